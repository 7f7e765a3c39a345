"""Tender states and their transitions, announcement kinds, and the shapes a tender's fields take."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenderStatus(models.TextChoices):
    # Being prepared by the buyer's or agency's officers; visible only to them.
    DRAFT = "draft", _("Draft")
    # Submitted into an approval flow; frozen for editing, still not public.
    IN_APPROVAL = "in_approval", _("In approval")
    # The notice is public and frozen. Bids are accepted until the deadline, judged from the clock
    # where it is read (see `Tender.is_open_for_bids`), so no job has to run at the deadline.
    PUBLISHED = "published", _("Published")
    # The deadline has passed and the opening ceremony has begun (set by bidding).
    OPENING = "opening", _("Opening")
    # Bids were opened; the committee is evaluating.
    EVALUATION = "evaluation", _("Evaluation")
    # The committee's signed report is issued (set by evaluation); the buyer decides the award.
    AWAITING_AWARD = "awaiting_award", _("Awaiting the award decision")
    # A winner was decided and announced.
    AWARDED = "awarded", _("Awarded")
    # The procurement failed (fewer than 3 bids, or too few passed review): a failure notice is
    # drafted, and the officers re-run it (`tender_rerun`) or change the method with approval.
    FAILED = "failed", _("Failed")
    # Cancelled with a reason after publication; a cancellation notice says why.
    CANCELLED = "cancelled", _("Cancelled")


# Which state may follow which. One guard (`tenders.services._transition_guard`) reads this table.
TENDER_TRANSITIONS: dict[str, frozenset[str]] = {
    TenderStatus.DRAFT: frozenset({TenderStatus.IN_APPROVAL}),
    TenderStatus.IN_APPROVAL: frozenset({TenderStatus.DRAFT, TenderStatus.PUBLISHED}),
    TenderStatus.PUBLISHED: frozenset({TenderStatus.OPENING, TenderStatus.CANCELLED}),
    TenderStatus.OPENING: frozenset({TenderStatus.EVALUATION, TenderStatus.FAILED, TenderStatus.CANCELLED}),
    TenderStatus.EVALUATION: frozenset(
        {TenderStatus.AWAITING_AWARD, TenderStatus.AWARDED, TenderStatus.FAILED, TenderStatus.CANCELLED}
    ),
    TenderStatus.AWAITING_AWARD: frozenset(
        {TenderStatus.AWARDED, TenderStatus.FAILED, TenderStatus.CANCELLED}
    ),
    # An upheld challenge sends the award back to a new decision (awards.services.award_decision_reopen).
    TenderStatus.AWARDED: frozenset({TenderStatus.AWAITING_AWARD}),
    TenderStatus.FAILED: frozenset(),
    TenderStatus.CANCELLED: frozenset(),
}

# States in which the tender and its notices are public (a draft or one in approval never is).
PUBLIC_STATUSES = frozenset(
    {
        TenderStatus.PUBLISHED,
        TenderStatus.OPENING,
        TenderStatus.EVALUATION,
        TenderStatus.AWAITING_AWARD,
        TenderStatus.AWARDED,
        TenderStatus.FAILED,
        TenderStatus.CANCELLED,
    }
)
# States in which the officers may still edit the tender directly (afterwards only by amendment).
EDITABLE_STATUSES = frozenset({TenderStatus.DRAFT})


class PublicPhase(models.TextChoices):
    """What the public list filters on: the stored status, with "published" split by the clock."""

    OPEN = "open", _("Open for bids")
    CLOSED = "closed", _("Bids closed")
    OPENING = "opening", _("Opening")
    EVALUATION = "evaluation", _("Evaluation")
    AWAITING_AWARD = "awaiting_award", _("Awaiting the award decision")
    AWARDED = "awarded", _("Awarded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ProcurementKind(models.TextChoices):
    """Decides the minimum price weight (MOF87 Art 55)."""

    GOODS = "goods", _("Goods")
    SERVICES = "services", _("Services")
    WORKS = "works", _("Works")


class EvaluationMethod(models.TextChoices):
    """MOF87 Art 53."""

    LOWEST_PRICE = "lowest_price", _("Lowest evaluated price")
    COMPREHENSIVE = "comprehensive", _("Comprehensive scoring")


class ConsultationCase(models.TextChoices):
    """The cases of 财库〔2015〕124号 in which a competitive consultation may go on with two
    suppliers; the tender declares one and its notice shows it."""

    # Not one of the cases: the method's ordinary minimum applies.
    NONE = "", _("None")
    # A research project whose market is not competitive enough.
    RESEARCH = "research", _("Research project with too little market competition")
    # Government purchase of services.
    SERVICES = "services", _("Government purchase of services")


class AnnouncementKind(models.TextChoices):
    TENDER_NOTICE = "tender_notice", _("Tender notice")
    AMENDMENT = "amendment", _("Amendment")
    CLARIFICATION = "clarification", _("Clarification")
    CANCELLATION = "cancellation", _("Cancellation notice")
    # The procurement failed (流标: fewer than 3 bids at the deadline, or too few passed review):
    # drafted by the platform when it fails, reviewed and published by an officer.
    FAILURE = "failure", _("Failure notice")
    # Published by awards/: the winning candidates' publicity (BLR Art 54), the result announcement
    # (中标/成交结果公告, MOF87 Art 69) and the contract notice (合同公告, GPLR Art 50).
    CANDIDATES = "candidates", _("Winning candidates publicity")
    RESULT = "result", _("Award result announcement")
    CONTRACT = "contract", _("Contract notice")


# SEALED_BIDS.md: read-out names; price and currency are always read out, first.
READOUT_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
READOUT_ALWAYS = ("price", "currency")
# SEALED_BIDS.md: tender and lot identifiers.
SB1_IDENTIFIER_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")

# The share window Δ a new tender starts with (an officer may change it): one hour.
DEFAULT_SHARE_WINDOW_S = 3600
MAX_SHARE_WINDOW_S = 7 * 24 * 3600
