"""Every award time limit, at its last day and one day past, each across the 2026 National Day
holiday (1–7 October; Saturday 10 October is a make-up working day)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from awards.constants import AwardStatus
from awards.deadlines import award_deadlines
from awards.exceptions import ObjectionPeriodOver
from awards.models import DeadlineAlert
from awards.services import (
    award_deadlines_check,
    candidate_objection_raise,
    candidate_publicity_publish,
)
from tests.awards.factory import announced, at, awaiting_award, decided, report_moved
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db(transaction=True)


def _deadline(tender, key):
    return next(d for d in award_deadlines(tender) if d.key == key)


@pytest.mark.parametrize("announce_on, late", [("2026-10-09", False), ("2026-10-10", True)])
def test_decision_within_5_working_days_and_result_within_2_across_national_day(demo, announce_on, late):
    ceremony, _members = awaiting_award(demo, method="competitive_consultation")
    tender = ceremony.tender
    report_moved(tender, at("2026-09-29"))
    # 5 working days from Tuesday 29 September: 30 Sep, 8, 9, 10 (make-up Saturday), 12 October.
    with time_machine.travel(at("2026-10-12", "09:00"), tick=False):
        decision = _deadline(tender, "decision")
        assert decision.due_on == dt.date(2026, 10, 12) and decision.days_left() == 0
        assert award_deadlines_check() == {"reminded": 1, "escalated": 0}
        client = choose_english(Client())
        client.force_login(demo.users["officer"])
        page = client.get(f"/awards/tenders/{tender.reference}/").content.decode()
        assert "2026-10-12" in page and "0 days left" in page
    mail.outbox.clear()
    with time_machine.travel(at("2026-10-13", "09:00"), tick=False):
        assert _deadline(tender, "decision").overdue()
        assert award_deadlines_check() == {"reminded": 0, "escalated": 1}
        assert any(demo.users["supervisor"].email in m.to for m in mail.outbox)
        assert award_deadlines_check() == {"reminded": 0, "escalated": 0}  # once
        page = client.get(f"/awards/tenders/{tender.reference}/").content.decode()
        assert "overdue by 1 day" in page

    # Decided on 30 September: the result is due 2 working days later, on 9 October (not 2 October).
    with time_machine.travel(at("2026-09-30", "15:00"), tick=False):
        decision = decided(demo, tender)
    assert decision.status == AwardStatus.DECIDED
    due = _deadline(tender, "announcement")
    assert due.due_on == dt.date(2026, 10, 9)
    with time_machine.travel(at("2026-10-09", "09:00"), tick=False):
        assert award_deadlines_check()["escalated"] == 0
    with time_machine.travel(at(announce_on, "16:00"), tick=False):
        result = announced(demo, tender, decision)
    assert result.late is late
    tender.refresh_from_db()
    assert tender.status == "awarded"


def test_candidates_published_within_3_days_and_objections_until_the_last_day(demo):
    ceremony, _members = awaiting_award(demo)  # open tender: under the Bidding Law
    tender = ceremony.tender
    # 3 days from Monday 28 September end on 1 October, a holiday: the limit moves to 8 October.
    report_moved(tender, at("2026-09-28"))
    publicity = _deadline(tender, "publicity")
    assert publicity.due_on == dt.date(2026, 10, 8)
    assert not publicity.overdue(dt.date(2026, 10, 8)) and publicity.overdue(dt.date(2026, 10, 9))
    with time_machine.travel(at("2026-10-09", "09:00"), tick=False):
        assert award_deadlines_check() == {"reminded": 1, "escalated": 1}
    # Escalated: the publicity; reminded: the decision, due a working day later (Saturday 10 October).
    assert set(DeadlineAlert.objects.values_list("limit", "stage")) == {
        ("publicity", "escalated"),
        ("decision", "reminded"),
    }

    # Published on 29 September (sooner, the test travels back): 3 days end on 2 October, a holiday,
    # so objections are taken until 8 October 24:00.
    with time_machine.travel(at("2026-09-29", "11:00"), tick=False):
        shown = candidate_publicity_publish(tender_id=tender.pk, by=demo.users["officer"])
    assert shown.ends_on == dt.date(2026, 10, 8)
    assert shown.announcement.payload["late"] is False
    assert [c["rank"] for c in shown.candidates] == [1, 2, 3]
    with time_machine.travel(at("2026-10-08", "23:59"), tick=False):
        objection = candidate_objection_raise(
            tender_id=tender.pk, by=demo.users["supplier1"], text="第一候选人业绩证明不实。"
        )
    assert objection.pk
    with time_machine.travel(at("2026-10-09", "00:00"), tick=False):
        with pytest.raises(ObjectionPeriodOver):
            candidate_objection_raise(tender_id=tender.pk, by=demo.users["supplier2"], text="迟到的异议")
        client = choose_english(Client())
        client.force_login(demo.users["supplier2"])
        answer = client.post(
            f"/api/awards/tenders/{tender.reference}/objections/",
            {"text": "迟到的异议"},
            content_type="application/json",
        )
        assert answer.status_code == 409 and "2026-10-08 24:00" in answer.json()["message"]
    assert objection.publicity.objections.count() == 1
