"""The live approval page's socket: who may follow it, and the history row each event pushes
(what the page's table shows, in the viewer's language, and only while they may see it)."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from accounts.constants import Role
from approvals import services
from approvals.routing import websocket_urlpatterns
from config import clock
from tests.approvals.factories import flow, staff

ENTRY_FIELDS = {"seq", "at", "at_display", "kind", "what", "who", "comment", "announcement"}


def _submit(orgs, people):
    definition = flow(
        {"key": "agency", "position": 1, "role": Role.APPROVER, "organisation": orgs["agency"]},
    )
    return services.approval_submit(
        subject=orgs["agency"], flow_code=definition.code, submitter=people["officer"]
    )


def _delegate(people, orgs):
    deputy = staff("deputy", orgs["buyer"], Role.PROCUREMENT_OFFICER)
    delegation = services.delegation_create(
        delegator=people["approver"],
        delegate=deputy,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(days=1),
        reason="leave",
    )
    return deputy, delegation


async def _follow(instance, user, language: str | None = None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/approvals/{instance.pk}/")
    if language:  # the language the user chose (its cookie)
        communicator.scope["cookies"] = {"django_language": language}
    communicator.scope["user"] = user
    return communicator


@pytest.mark.django_db(transaction=True)
def test_outsiders_are_refused(subject_adapter, orgs, people):
    instance = _submit(orgs, people)

    async def follow():
        outsider = await _follow(instance, people["supplier1"])
        connected, code = await outsider.connect()
        assert not connected and code == 4403

    async_to_sync(follow)()


@pytest.mark.django_db(transaction=True)
def test_each_event_pushes_the_history_row_in_the_viewers_language(subject_adapter, orgs, people):
    instance = _submit(orgs, people)
    deputy, _delegation = _delegate(people, orgs)
    shown = instance.last_event_seq  # submitted, step started

    async def follow():
        submitter = await _follow(instance, people["officer"], "en")
        approver = await _follow(instance, people["approver"])  # no Accept-Language: Chinese
        assert (await submitter.connect())[0] and (await approver.connect())[0]
        await sync_to_async(services.approval_approve)(
            instance_id=instance.pk, user=deputy, comment="Budget checked"
        )
        approved, completed = [await submitter.receive_json_from(timeout=5) for _ in range(2)]
        approved_zh = await approver.receive_json_from(timeout=5)
        await submitter.disconnect()
        await approver.disconnect()
        return approved, completed, approved_zh

    approved, completed, approved_zh = async_to_sync(follow)()

    assert (approved["type"], approved["seq"], approved["kind"]) == ("changed", shown + 1, "approved")
    entry = approved["entry"]
    assert set(entry) == ENTRY_FIELDS
    event = instance.events.get(seq=shown + 1)
    assert entry["seq"] == shown + 1 and entry["kind"] == "approved"
    assert entry["at"] == timezone.localtime(event.at).isoformat()
    assert entry["at_display"] == timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
    assert entry["what"] == "Approved: Agency"
    assert entry["who"] == "Deputy (for 孙磊)"  # the delegate, and for whom
    assert entry["comment"] == "Budget checked"
    assert entry["announcement"] == "Deputy (for 孙磊): Approved: Agency — Budget checked"
    # Only the row's text: no usernames, ids, hashes or ledger positions.
    pushed = json.dumps(entry)
    assert "deputy" not in pushed and '"approver"' not in pushed and event.subject_state_hash not in pushed

    assert completed["entry"]["who"] == "the platform"
    assert completed["entry"]["what"] == "Approval completed"
    assert completed["entry"]["announcement"] == "the platform: Approval completed"

    assert approved_zh["entry"]["what"] == "已同意: Agency"
    assert approved_zh["entry"]["who"] == "Deputy (代 孙磊)"


@pytest.mark.django_db(transaction=True)
def test_a_follower_who_may_no_longer_see_the_approval_is_told_nothing_more(subject_adapter, orgs, people):
    instance = _submit(orgs, people)
    deputy, delegation = _delegate(people, orgs)

    async def follow():
        watcher = await _follow(instance, deputy)
        submitter = await _follow(instance, people["officer"])
        assert (await watcher.connect())[0] and (await submitter.connect())[0]
        # The delegation ends: the deputy no longer sees this approval.
        await sync_to_async(services.delegation_revoke)(delegation_id=delegation.pk, user=people["approver"])
        await sync_to_async(services.approval_comment)(
            instance_id=instance.pk, user=people["officer"], comment="Internal note"
        )
        heard = await submitter.receive_json_from(timeout=5)
        closed = await watcher.receive_output(timeout=5)
        await submitter.disconnect()
        return heard, closed

    heard, closed = async_to_sync(follow)()
    assert heard["entry"]["comment"] == "Internal note"
    assert closed == {"type": "websocket.close", "code": 4403}
