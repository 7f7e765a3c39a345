"""Committee draws: who may be drawn for a tender (conflicts excluded), the committed and revealed
draw in the ledger, invitations, answers, and one replacement draw for each decline."""

import os
from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Membership, User
from accounts.selectors import user_has_role
from bidding.selectors.opened import bidders_of, opening_participants
from config import clock
from config.exceptions import NotAllowed, NotFound
from evaluation import draw as draw_rules
from evaluation.constants import (
    CONFLICT_YEARS,
    DrawPurpose,
    ExclusionReason,
    MemberKind,
    MemberState,
)
from evaluation.exceptions import DrawRefused, EvaluationError
from evaluation.models import CommitteeMember, Draw, ExpertProfile
from evaluation.selectors import committee_shape
from evaluation.services.live import progress_announce_on_commit
from evaluation.services.pool import supervisor_require
from ledger.encoding import format_time
from ledger.selectors import ledger_entry_get
from ledger.services import ledger_append
from suppliers.models import Supplier
from tenders.constants import TenderStatus
from tenders.models import Tender

DRAW_STATUSES = (TenderStatus.OPENING, TenderStatus.EVALUATION)


def _region_prefix(region: str) -> str:
    while region.endswith("00") and len(region) > 2:
        region = region[:-2]
    return region


def expert_matches(profile: ExpertProfile, tender: Tender) -> bool:
    """Speciality and region, each a tree by prefix (an empty tender field matches every expert)."""
    speciality = not tender.category_code or any(
        tender.category_code.startswith(s) for s in profile.specialities
    )
    region = not tender.region or tender.region.startswith(_region_prefix(profile.region))
    return speciality and region


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def conflicts(
    profile: ExpertProfile, tender: Tender, *, bidders: list[int], participants: set[int]
) -> list[str]:
    """Every reason the expert may not sit on this tender's committee (empty: none)."""
    reasons: list[str] = []
    if not profile.available:
        reasons.append(ExclusionReason.UNAVAILABLE)
    today = clock.today_local()
    cutoff = _years_before(today, CONFLICT_YEARS)
    for relationship in profile.relationships.filter(supplier_id__in=bidders, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff)
    ):
        reasons.append(ExclusionReason(relationship.kind))
    bidder_orgs = set(Supplier.objects.filter(pk__in=bidders).values_list("organisation_id", flat=True))
    user_orgs = set(
        Membership.objects.filter(user_id=profile.user_id, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    if profile.employer_id in bidder_orgs or user_orgs & bidder_orgs:
        reasons.append(ExclusionReason.EMPLOYMENT)
    if profile.employer_id == tender.buyer_id or tender.buyer_id in user_orgs:
        reasons.append(ExclusionReason.BUYER_STAFF)
    if profile.user_id in participants:
        reasons.append(ExclusionReason.OPENING)
    return sorted(set(reasons))


def draw_candidates(tender: Tender) -> tuple[list[ExpertProfile], Counter]:
    """The pool members who match the tender and have no conflict with any of its bidders, and how
    many were left out for each reason (a member counted once, under its first reason)."""
    bidders, participants = bidders_of(tender=tender), opening_participants(tender=tender)
    drawn_before = set(CommitteeMember.objects.filter(tender=tender).values_list("user_id", flat=True))
    candidates: list[ExpertProfile] = []
    left_out: Counter[str] = Counter()
    for profile in ExpertProfile.objects.order_by("public_id"):
        if not expert_matches(profile, tender):
            continue
        reasons = conflicts(profile, tender, bidders=bidders, participants=participants)
        if profile.user_id in drawn_before:
            reasons.insert(0, ExclusionReason.ALREADY_DRAWN)
        if reasons:
            left_out[str(reasons[0])] += 1
        else:
            candidates.append(profile)
    return candidates, left_out


def _locked_tender(tender_id: int) -> Tender:
    tender = Tender.objects.select_for_update().filter(pk=tender_id).first()
    if tender is None:
        raise NotFound()
    return tender


def _draw_commit(*, tender: Tender, by: User, seats: int, purpose: str, replaces=None) -> tuple[Draw, bytes]:
    candidates, left_out = draw_candidates(tender)
    ids = sorted(p.public_id for p in candidates)
    if len(ids) < seats:
        raise DrawRefused(
            _(
                "Only %(found)d experts in the pool match this tender without a conflict; %(needed)d are needed."
            )
            % {"found": len(ids), "needed": seats}
        )
    seed = os.urandom(32)
    sequence = (
        Draw.objects.filter(tender=tender).order_by("-sequence").values_list("sequence", flat=True).first()
        or 0
    ) + 1
    draw = Draw(
        tender=tender,
        sequence=sequence,
        purpose=purpose,
        seats=seats,
        candidates=ids,
        candidates_sha256=draw_rules.candidates_sha256(ids),
        seed_commitment=draw_rules.seed_commitment(seed),
        exclusions=dict(left_out),
        replaces=replaces,
        drawn_by=by,
        committed_at=clock.now(),
    )
    entry = ledger_append(
        kind="yizhan/evaluation-draw-commit",
        payload={
            "tender": tender.reference,
            "draw": sequence,
            "purpose": purpose,
            "seats": seats,
            "candidates": ids,
            "candidates_sha256": draw.candidates_sha256,
            "seed_commitment": draw.seed_commitment,
            "committed_at": format_time(draw.committed_at),
        },
    )
    draw.commit_ledger_index = entry.index
    draw.save()
    return draw, seed


def _draw_reveal(*, draw: Draw, seed: bytes) -> list[CommitteeMember]:
    draw.seed = seed.hex()
    draw.selected = draw_rules.draw_select(seed=seed, candidates=draw.candidates, seats=draw.seats)
    draw.revealed_at = clock.now()
    entry = ledger_append(
        kind="yizhan/evaluation-draw-reveal",
        payload={
            "tender": draw.tender.reference,
            "draw": draw.sequence,
            "commit_index": draw.commit_ledger_index,
            "seed": draw.seed,
            "selected": draw.selected,
            "revealed_at": format_time(draw.revealed_at),
        },
    )
    draw.reveal_ledger_index = entry.index
    draw.save(update_fields=["seed", "selected", "revealed_at", "reveal_ledger_index"])
    profiles = {p.public_id: p for p in ExpertProfile.objects.filter(public_id__in=draw.selected)}
    members = [
        CommitteeMember.objects.create(
            tender=draw.tender,
            user_id=profiles[public_id].user_id,
            kind=MemberKind.EXPERT,
            expert=profiles[public_id],
            draw=draw,
            invited_at=draw.revealed_at,
        )
        for public_id in draw.selected
    ]
    ids = [m.pk for m in members]
    transaction.on_commit(lambda: invitations_send(member_ids=ids))
    return members


def committee_draw(*, tender_id: int, by: User) -> Draw:
    """Draw the tender's experts (BL Art 37, GPLR Art 39).

    Before: `by` is a supervisor; the tender's bids were sealed (opening or evaluation, so its bidders
    are known); no committee was drawn yet. After, in two transactions: (1) the sorted candidate
    list (pool ids), its SHA-256 and SHA-256(seed) in the ledger; (2) the seed and the selection in
    the ledger, one invited member per seat, each told by mail. Names are not published."""
    supervisor_require(by)
    with transaction.atomic():
        tender = _locked_tender(tender_id)
        if tender.status not in DRAW_STATUSES or not bidders_of(tender=tender):
            raise DrawRefused(_("The committee is drawn once the bids are sealed at the deadline."))
        if Draw.objects.filter(tender=tender, purpose=DrawPurpose.COMMITTEE).exists():
            raise DrawRefused(_("The committee of this tender has already been drawn."))
        shape = committee_shape(tender)
        draw, seed = _draw_commit(tender=tender, by=by, seats=shape.experts, purpose=DrawPurpose.COMMITTEE)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("tender").get(pk=draw.pk)
        _draw_reveal(draw=draw, seed=seed)
    return draw


def member_respond(*, member_id: int, user: User, accept: bool, reason: str = "") -> CommitteeMember:
    """An invited expert confirms or declines.

    Before: the member is `user` and still invited. After: confirmed; or declined with the reason
    and exactly one replacement drawn the same way (its own committed and revealed draw)."""
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().filter(pk=member_id).first()
        if member is None or member.user_id != user.pk:
            raise NotFound()
        if member.state != MemberState.INVITED:
            raise EvaluationError(_("You have already answered this invitation."))
        member.responded_at = clock.now()
        progress_announce_on_commit(member.tender_id)
        if accept:
            member.state = MemberState.CONFIRMED
            member.save(update_fields=["state", "responded_at"])
            return member
        if not reason.strip():
            raise EvaluationError(_("Say why you decline."))
        member.state = MemberState.DECLINED
        member.decline_reason = reason.strip()
        member.save(update_fields=["state", "responded_at", "decline_reason"])
        tender = _locked_tender(member.tender_id)
        draw, seed = _draw_commit(
            tender=tender, by=user, seats=1, purpose=DrawPurpose.REPLACEMENT, replaces=member
        )
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("tender").get(pk=draw.pk)
        _draw_reveal(draw=draw, seed=seed)
    return member


def invitations_send(*, member_ids: list[int]) -> None:
    """Tell each drawn expert by mail (the message names the tender, never the other members)."""
    for member in CommitteeMember.objects.filter(pk__in=member_ids).select_related("user", "tender"):
        if not member.user.email:
            continue
        with translation.override(member.user.preferred_language or "zh-hans"):
            subject = gettext("You were drawn for the evaluation of %(ref)s") % {
                "ref": member.tender.reference
            }
            body = gettext(
                "You were drawn at random from the expert pool for the evaluation committee of "
                "%(ref)s %(title)s. Please confirm or decline on the platform under Evaluation."
            ) % {"ref": member.tender.reference, "title": member.tender.title}
        send_mail(subject, body, django_settings.DEFAULT_FROM_EMAIL, [member.user.email])


@transaction.atomic
def buyer_representative_appoint(*, tender_id: int, by: User, user: User) -> CommitteeMember:
    """The buyer names a representative to the committee (at most the third the rules leave).

    Before: `by` is a procurement officer of the buyer; `user` is staff of the buyer. After: a
    confirmed buyer's representative on the committee."""
    tender = _locked_tender(tender_id)
    if not user_has_role(user=by, role=Role.PROCUREMENT_OFFICER, organisation=tender.buyer_id):
        raise NotAllowed(_("Only the buyer's procurement officers may name its representatives."))
    if not Membership.objects.filter(user=user, organisation_id=tender.buyer_id, is_active=True).exists():
        raise EvaluationError(_("A buyer's representative must be staff of the buyer."))
    shape = committee_shape(tender)
    named = CommitteeMember.objects.filter(tender=tender, kind=MemberKind.BUYER_REPRESENTATIVE).count()
    if named >= shape.buyer_representatives:
        raise EvaluationError(
            _("The settings allow %(n)d buyer's representatives.") % {"n": shape.buyer_representatives}
        )
    if CommitteeMember.objects.filter(tender=tender, user=user).exists():
        raise EvaluationError(_("This person is already on the committee."))
    now = clock.now()
    return CommitteeMember.objects.create(
        tender=tender,
        user=user,
        kind=MemberKind.BUYER_REPRESENTATIVE,
        state=MemberState.CONFIRMED,
        invited_at=now,
        responded_at=now,
    )


def draw_published_inputs(draw: Draw) -> dict[str, Any]:
    """The two ledger payloads a replay reads."""
    assert draw.commit_ledger_index is not None  # set in the transaction that created the draw
    commit = ledger_entry_get(index=draw.commit_ledger_index).document["payload"]
    reveal = (
        ledger_entry_get(index=draw.reveal_ledger_index).document["payload"]
        if draw.reveal_ledger_index is not None
        else None
    )
    return {"commit": commit, "reveal": reveal}
