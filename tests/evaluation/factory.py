"""Tenders for the evaluation tests: sealed at the deadline (bidders known, nothing opened), or run
through the whole ceremony to the signed opening record; and a small expert pool."""

import datetime as dt

import time_machine

from accounts.constants import Role
from accounts.services import membership_grant
from bidding.services import ceremony as ceremony_services
from evaluation.services import expert_profile_save
from tests.bidding.ceremony_factory import ceremony_make, custodian_submits

# Where the evaluation tests stand: after the opening of the ceremony factory's tender (deadline
# 2026-12-01 09:30 Beijing time).
EVALUATION_DAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def sealed_tender(demo, **kwargs):
    """A tender whose bids were sealed at the deadline: the opening has begun, nothing is opened."""
    ceremony = ceremony_make(demo, **kwargs)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=2), tick=False):
        ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
    ceremony.tender.refresh_from_db()
    return ceremony


def opened_tender(demo, *, record: bool = True, **kwargs):
    """A tender whose bids were opened; with `record`, the confirmation window ran out and the signed
    opening record was issued (the tender is in evaluation)."""
    ceremony = sealed_tender(demo, **kwargs)
    with time_machine.travel(ceremony.deadline + dt.timedelta(seconds=5), tick=False):
        for j in ceremony.custodians:
            custodian_submits(ceremony, j)
    if record:
        with time_machine.travel(ceremony.deadline + dt.timedelta(hours=1), tick=False):
            ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
    ceremony.tender.refresh_from_db()
    return ceremony


def pool(demo, *, count: int = 7, specialities=("A02",), region: str = "310000"):
    """expert1..count in the pool, matching the factory tender (category A0201, region 310000)."""
    profiles = []
    for i in range(1, count + 1):
        profiles.append(
            expert_profile_save(
                by=demo.users["supervisor"],
                user=demo.users[f"expert{i}"],
                specialities=list(specialities),
                region=region,
            )
        )
    return profiles


def extra_expert(demo, username: str, **profile):
    """Another user with the expert role, put in the pool."""
    from accounts.models import User

    user = User.objects.create(
        username=f"pool_{username}", full_name=f"专家{username}", email=f"pool_{username}@example.test"
    )
    membership_grant(user=user, organisation=demo.orgs["regulator"], role=Role.EVALUATION_EXPERT)
    values = {"specialities": ["A02"], "region": "310000", **profile}
    return expert_profile_save(by=demo.users["supervisor"], user=user, **values)


def committee(demo, tender):
    """expert1..7 in the pool, five drawn by the supervisor, each confirming. Returns the members."""
    from evaluation.models import CommitteeMember
    from evaluation.services import committee_draw, member_respond

    pool(demo, count=7)
    committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])
    members = list(CommitteeMember.objects.filter(tender=tender).select_related("user").order_by("pk"))
    for member in members:
        member_respond(member_id=member.pk, user=member.user, accept=True)
    return members


def record_issue(ceremony):
    """Let the confirmation window run out: the ceremony closes and the signed record is issued."""
    with time_machine.travel(ceremony.deadline + dt.timedelta(hours=1), tick=False):
        ceremony_services.ceremony_advance(tender_id=ceremony.tender.pk)
    ceremony.tender.refresh_from_db()
