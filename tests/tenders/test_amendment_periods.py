"""A clarification or amendment that comes too late moves the deadline out, counted as the tender's
method counts it (RULES.md "Publication and documents"): 3 working days for negotiation and enquiry
(MOF74 Art 10; before: never moved), 15 calendar days for tenders, the period ending on the first
working day after a holiday (Civil Code Art 203, MOF87 Art 85; before: a holiday last day was
accepted). National Day 2026: 1–7 Oct off, Saturday 10 Oct a make-up working day."""

import pytest
import time_machine

from tenders import services
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db


SEPTEMBER = at("2026-09-14", "09:00")


def published(demo, *, method, deadline, issue=SEPTEMBER):
    with time_machine.travel(issue, tick=False):
        return publish(demo, make_tender(demo, method=method, issue=issue, deadline=deadline))


def amend_on(demo, tender, day, **kwargs):
    with time_machine.travel(at(day, "16:00"), tick=False):
        announcement = services.tender_amend(
            tender_id=tender.pk, by=demo.users["officer"], summary="更正技术参数", **kwargs
        )
    tender.refresh_from_db()
    return announcement


@pytest.mark.parametrize("method", ["competitive_negotiation", "enquiry"])
def test_three_working_days_at_the_limit_keep_the_deadline(demo, method):
    # Working days after Wed 30 Sep: Thu 8, Fri 9, Sat 10 Oct (make-up day).
    tender = published(demo, method=method, deadline=at("2026-10-10", "10:00"))
    amendment = amend_on(demo, tender, "2026-09-30")
    assert not amendment.deadline_moved and tender.bid_deadline == at("2026-10-10", "10:00")


@pytest.mark.parametrize("method", ["competitive_negotiation", "enquiry"])
def test_one_day_inside_moves_the_deadline_to_the_make_up_saturday(demo, method):
    tender = published(demo, method=method, deadline=at("2026-10-09", "10:00"))
    amendment = amend_on(demo, tender, "2026-09-30")
    assert amendment.deadline_moved
    assert amendment.new_deadline == at("2026-10-10", "10:00") == tender.bid_deadline


def test_negotiation_clarification_answer_moves_it_too(demo):
    tender = published(demo, method="competitive_negotiation", deadline=at("2026-10-09", "10:00"))
    with time_machine.travel(at("2026-09-30", "10:00"), tick=False):
        question = services.question_ask(tender_id=tender.pk, by=demo.users["supplier1"], text="可否分批交货？")
        clarification = services.question_answer(
            question_id=question.pk, by=demo.users["officer"], answer="可以分两批交货。"
        )
    assert clarification.new_deadline == at("2026-10-10", "10:00")


def test_the_rule_set_says_working_days_not_calendar_days(demo):
    tender = published(demo, method="enquiry", deadline=at("2026-10-12", "10:00"))
    assert tender.rule_set["clarification_min_working_days"] == 3
    assert tender.rule_set["clarification_min_days"] is None


def test_fifteen_days_ending_on_a_holiday_run_to_the_first_working_day(demo):
    # 22 Sep + 15 days = 7 Oct, a holiday: the period ends on Thu 8 Oct.
    tender = published(demo, method="open_tender", deadline=at("2026-10-08", "09:30"), issue=at("2026-09-01"))
    assert not amend_on(demo, tender, "2026-09-22").deadline_moved
    # 20 Sep + 15 = 5 Oct (holiday) → 8 Oct: a deadline on 6 Oct (16 calendar days later) moves.
    other = published(demo, method="open_tender", deadline=at("2026-10-06", "09:30"), issue=at("2026-09-01"))
    moved = amend_on(demo, other, "2026-09-20")
    assert moved.deadline_moved and other.bid_deadline == at("2026-10-08", "09:30")


def test_fifteen_days_one_day_inside_the_limit_moves_it(demo):
    tender = published(demo, method="open_tender", deadline=at("2026-10-08", "09:30"), issue=at("2026-09-01"))
    moved = amend_on(demo, tender, "2026-09-24")  # 24 Sep + 15 = 9 Oct
    assert moved.deadline_moved and tender.bid_deadline == at("2026-10-09", "09:30")
