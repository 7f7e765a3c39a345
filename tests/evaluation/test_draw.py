"""The committee draw: who is left out (one constructed case for each kind of conflict), the ledger
holds the inputs and no personal data, and anyone replays it to the same committee; a decline
draws exactly one replacement the same way."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.constants import Role
from accounts.services import membership_grant
from config.exceptions import NotAllowed, NotFound
from evaluation import draw as draw_rules
from evaluation.constants import DrawPurpose, MemberState
from evaluation.models import CommitteeMember, Draw
from evaluation.services import committee_draw, member_respond, relationship_declare
from evaluation.services.draws import draw_published_inputs
from ledger.models import LedgerEntry
from tests.evaluation.factory import EVALUATION_DAY, extra_expert, pool, sealed_tender

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_draw_excludes_every_conflict_and_replays_from_the_ledger_to_the_same_committee(demo):
    ceremony = sealed_tender(demo)
    tender = ceremony.tender
    supplier1, supplier2, supplier3 = (b.supplier for b in ceremony.bidders)
    with time_machine.travel(EVALUATION_DAY, tick=False):
        clean = pool(demo, count=7)
        # One constructed case for each way an expert is left out.
        cases = {}
        for name, kind, supplier, started, ended in [
            ("employed", "employment", supplier1, dt.date(2020, 1, 1), dt.date(2024, 6, 30)),
            ("director", "directorship", supplier2, dt.date(2022, 3, 1), None),
            ("shareholder", "shareholding", supplier3, dt.date(2019, 5, 1), dt.date(2025, 1, 31)),
            ("family", "family", supplier1, dt.date(2010, 1, 1), None),
            # Ended more than 3 years ago: no longer a conflict, stays a candidate.
            ("long_ago", "employment", supplier2, dt.date(2015, 1, 1), dt.date(2023, 11, 30)),
        ]:
            profile = extra_expert(demo, name)
            relationship_declare(
                user=profile.user, kind=kind, supplier_id=supplier.pk, started_on=started, ended_on=ended
            )
            cases[name] = profile
        cases["on_payroll"] = extra_expert(demo, "on_payroll", employer=supplier2.organisation)
        cases["buyer_staff"] = extra_expert(demo, "buyer_staff", employer=demo.orgs["buyer"])
        cases["unavailable"] = extra_expert(demo, "unavailable", available=False)
        custodian = demo.users["custodian1"]  # held an opening key of this tender
        membership_grant(user=custodian, organisation=demo.orgs["regulator"], role=Role.EVALUATION_EXPERT)
        from evaluation.services import expert_profile_save

        cases["custodian"] = expert_profile_save(
            by=demo.users["supervisor"], user=custodian, specialities=["A02"], region="310000"
        )
        # Not matching: another speciality, another province.
        extra_expert(demo, "other_speciality", specialities=["C05"])
        extra_expert(demo, "other_region", region="110000")

        with pytest.raises(NotAllowed):
            committee_draw(tender_id=tender.pk, by=demo.users["officer"])
        mail.outbox.clear()  # earlier mails (custodians named on the tender) are not the draw's
        draw = committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])

    expected = sorted([p.public_id for p in clean] + [cases["long_ago"].public_id])
    assert draw.candidates == expected
    assert draw.exclusions == {
        "employment": 2,  # the declared employment and the employer on the profile
        "directorship": 1,
        "shareholding": 1,
        "family": 1,
        "buyer_staff": 1,
        "unavailable": 1,
        "opening": 1,
    }
    members = list(CommitteeMember.objects.filter(tender=tender))
    assert len(members) == 5 and {m.state for m in members} == {MemberState.INVITED}
    assert sorted(m.expert.public_id for m in members) == sorted(draw.selected)
    assert {m.user.email for m in members} == {m.to[0] for m in mail.outbox}

    # The ledger: commit before reveal, no names or usernames anywhere in either entry.
    commit = LedgerEntry.objects.get(index=draw.commit_ledger_index)
    reveal = LedgerEntry.objects.get(index=draw.reveal_ledger_index)
    assert commit.index < reveal.index
    published = json.dumps([commit.document, reveal.document], ensure_ascii=False)
    for member in members:
        assert member.user.username not in published and member.user.full_name not in published
    for profile in cases.values():
        assert profile.user.username not in published
    # Replay from the published inputs alone: same committee, by the function and by the command.
    inputs = draw_published_inputs(draw)
    assert draw_rules.draw_replay(commit=inputs["commit"], reveal=inputs["reveal"]) == draw.selected
    out = io.StringIO()
    call_command("evaluation_draw_replay", tender.reference, stdout=out)
    assert " ".join(draw.selected) in out.getvalue() and "matches" in out.getvalue()
    # A changed seed or candidate list does not replay.
    forged = {**inputs["reveal"], "seed": "00" * 32}
    with pytest.raises(draw_rules.ReplayMismatch):
        draw_rules.draw_replay(commit=inputs["commit"], reveal=forged)
    shorter = {**inputs["commit"], "candidates": inputs["commit"]["candidates"][1:]}
    with pytest.raises(draw_rules.ReplayMismatch):
        draw_rules.draw_replay(commit=shorter, reveal=inputs["reveal"])


def test_a_decline_replaces_that_member_only_by_a_replayable_draw(demo):
    ceremony = sealed_tender(demo)
    tender = ceremony.tender
    with time_machine.travel(EVALUATION_DAY, tick=False):
        pool(demo, count=7)
        draw = committee_draw(tender_id=tender.pk, by=demo.users["supervisor"])
        first = list(CommitteeMember.objects.filter(tender=tender).order_by("pk"))
        member_respond(member_id=first[0].pk, user=first[0].user, accept=True)
        with pytest.raises(NotFound):  # someone else cannot answer another's invitation
            member_respond(member_id=first[1].pk, user=first[0].user, accept=True)
        member_respond(member_id=first[1].pk, user=first[1].user, accept=False, reason="出差在外，无法到场。")
    after = list(CommitteeMember.objects.filter(tender=tender).order_by("pk"))
    assert len(after) == 6
    assert [m.state for m in after[:5]] == ["confirmed", "declined", "invited", "invited", "invited"]
    assert [m.user_id for m in after[:5]] == [m.user_id for m in first]
    replacement = after[5]
    again = Draw.objects.get(tender=tender, sequence=2)
    assert again.purpose == DrawPurpose.REPLACEMENT and again.replaces_id == first[1].pk
    # The candidates of the replacement are the pool minus everyone already drawn.
    assert sorted(again.candidates) == sorted(set(draw.candidates) - set(draw.selected))
    assert again.selected == [replacement.expert.public_id]
    inputs = draw_published_inputs(again)
    assert draw_rules.draw_replay(commit=inputs["commit"], reveal=inputs["reveal"]) == again.selected


def test_the_selection_is_the_documented_hmac_order():
    seed = bytes(range(32))
    candidates = ["EX-000001", "EX-000002", "EX-000003", "EX-000004"]
    tickets = {c: draw_rules.ticket(seed, c) for c in candidates}
    assert draw_rules.draw_order(seed=seed, candidates=candidates) == sorted(candidates, key=tickets.get)
    assert (
        draw_rules.draw_select(seed=seed, candidates=list(reversed(candidates)), seats=2)
        == sorted(candidates, key=tickets.get)[:2]
    )
