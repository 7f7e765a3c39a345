"""The live progress socket: followed by officers, supervisors and the committee, refused to others;
it pushes counts when a member answers, and never a finding or a score."""

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from evaluation.models import CommitteeMember
from evaluation.routing import websocket_urlpatterns
from evaluation.services import committee_draw, member_respond
from tests.evaluation.factory import EVALUATION_DAY, pool, sealed_tender

pytestmark = pytest.mark.django_db(transaction=True)

COUNTS = {"type", "drawn", "confirmed", "invited", "declined", "reviews_submitted", "scores_submitted"}


def _follow(tender, user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/evaluation/{tender.reference}/"
    )
    communicator.scope["user"] = user
    return communicator


def test_progress_is_pushed_to_those_who_may_follow_and_holds_counts_only(demo):
    ceremony = sealed_tender(demo)
    tender = ceremony.tender
    with time_machine.travel(EVALUATION_DAY, tick=False):
        pool(demo, count=7)
        committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])
    member = CommitteeMember.objects.select_related("user").order_by("pk").first()

    async def follow():
        outsider = _follow(tender, demo.users["supplier1"])
        connected, code = await outsider.connect()
        assert not connected and code == 4403
        officer = _follow(tender, demo.users["officer"])
        connected, _ = await officer.connect()
        assert connected
        first = await officer.receive_json_from()
        assert set(first) == COUNTS and first["drawn"] == 5 and first["confirmed"] == 0
        await sync_to_async(member_respond)(member_id=member.pk, user=member.user, accept=True)
        pushed = await officer.receive_json_from()
        assert set(pushed) == COUNTS and pushed["confirmed"] == 1 and pushed["invited"] == 4
        await officer.disconnect()

    with time_machine.travel(EVALUATION_DAY, tick=False):
        async_to_sync(follow)()
