"""The demo: the pool, and one tender in evaluation with its committee drawn; flags silent on it."""

import pytest
import time_machine
from django.test import override_settings

from evaluation import demo as evaluation_demo
from evaluation.constants import MemberState
from evaluation.models import CommitteeMember, Draw
from evaluation.selectors import workspace_access
from evaluation.services import bid_form_read
from evaluation.services.flags import flags_compute
from tenders.constants import TenderStatus
from tenders.models import Tender
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(EVALUATION_DEMO_TENDER=True)
def test_the_demo_tender_is_in_evaluation_with_its_committee_drawn_and_no_flags(demo):
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        evaluation_demo.load(demo)
        evaluation_demo.load(demo)  # twice changes nothing
    tender = Tender.objects.get(title=evaluation_demo.DEMO_TITLE)
    assert tender.status == TenderStatus.EVALUATION and tender.ceremony.record_id is not None
    assert Draw.objects.filter(tender=tender).count() == 1
    members = list(CommitteeMember.objects.filter(tender=tender).order_by("pk"))
    assert len(members) == 5
    assert [m.state for m in members] == [MemberState.CONFIRMED] * 4 + [MemberState.INVITED]
    # expert7 declared a family tie with a bidder (supplier2): never drawn.
    assert demo.users["expert7"].pk not in {m.user_id for m in members}
    opening = tender.ceremony.bid_openings.first()
    assert bid_form_read(tender_id=tender.pk, user=members[0].user, opening_id=opening.pk)["readout"]["price"]
    assert workspace_access(tender=tender, user=members[0].user).can_write
    assert all(found == [] for found in flags_compute(tender).values())


@override_settings(EVALUATION_DEMO_TENDER=True)
def test_the_pages_show_each_role_what_it_may_see(demo):
    from django.test import Client

    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        evaluation_demo.load(demo)
    tender = Tender.objects.get(title=evaluation_demo.DEMO_TITLE)
    draw = Draw.objects.get(tender=tender)
    members = list(CommitteeMember.objects.filter(tender=tender).select_related("user").order_by("pk"))
    ref = tender.reference

    def page(username, url):
        client = choose_english(Client())
        if username:
            client.force_login(demo.users[username])
        return client.get(url)

    # The public replay page recomputes the committee from the ledger alone.
    replay = page(None, f"/evaluation/tenders/{ref}/draws/1/replay/").content.decode()
    assert "The replay gives the published committee" in replay and " ".join(draw.selected) in replay
    # The officer sees pool ids and counts, never names; the supervisor sees names.
    officer = page("officer", f"/evaluation/tenders/{ref}/").content.decode()
    supervisor = page("supervisor", f"/evaluation/tenders/{ref}/").content.decode()
    for member in members:
        assert member.user.full_name not in officer and member.user.full_name in supervisor
    assert draw.selected[0] in officer
    # The pool is the supervisor's; the declarations page is the expert's own.
    assert page("supervisor", "/evaluation/pool/").status_code == 200
    assert page("officer", "/evaluation/pool/").status_code == 404
    assert "配偶之兄为该公司法定代表人" in page("expert7", "/evaluation/declarations/").content.decode()
    # The expert still invited sees the invitation; a confirmed member opens the workspace.
    assert "Confirm" in page(members[-1].user.username, "/evaluation/").content.decode()
    assert page(members[0].user.username, f"/evaluation/tenders/{ref}/workspace/").status_code == 200
    assert page(members[-1].user.username, f"/evaluation/tenders/{ref}/workspace/").status_code == 403
