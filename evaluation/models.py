"""The expert pool and its declarations, a tender's evaluation settings, committee draws and members,
and the committee's work: bid reads (audited), compliance findings, dissents, scores and flags."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from config import clock
from evaluation.constants import (
    DEFAULT_JUSTIFICATION_HOURS,
    DEFAULT_LOW_PRICE_MARGIN,
    SME_DEDUCTION_MAX,
    DrawPurpose,
    FlagKind,
    MemberKind,
    MemberState,
    RelationshipKind,
)


def public_id_new() -> str:
    """An opaque pool id: what the ledger names an expert by (never a name or username)."""
    return "EX-" + secrets.token_hex(6).upper()


class ExpertProfile(models.Model):
    """One expert in the pool. Specialities are category codes read as a tree by prefix: "A02"
    covers every tender whose category code starts with "A02". The region matches the same way
    once trailing "00" pairs are dropped ("310000" covers "310105")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile"
    )
    public_id = models.CharField(
        _("pool id"), max_length=20, unique=True, default=public_id_new, editable=False
    )
    specialities = models.JSONField(_("specialities (category codes)"), default=list, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    employer_name = models.CharField(_("employer (if not on the platform)"), max_length=200, blank=True)
    region = models.CharField(_("region code"), max_length=12)
    available = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["public_id"]

    def __str__(self) -> str:
        return self.public_id


class Relationship(models.Model):
    """A declared tie between an expert and a supplier, with its dates (to = still current when empty)."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(_("kind"), max_length=16, choices=RelationshipKind.choices)
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    detail = models.CharField(_("detail (position, share, relation)"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    declared_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("declared relationship")
        ordering = ["expert", "-started_on"]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.kind} {self.supplier_id}"


class EvaluationSettings(models.Model):
    """Per-tender evaluation settings the tender itself does not hold."""

    tender = models.OneToOneField(
        "tenders.Tender", on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    sme_deduction = models.DecimalField(
        _("small and micro enterprise price deduction (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(SME_DEDUCTION_MAX)],
    )
    reserved_for_sme = models.BooleanField(_("reserved for small and micro enterprises"), default=False)
    complex_project = models.BooleanField(_("technically complex or of large social impact"), default=False)
    buyer_representatives = models.PositiveSmallIntegerField(_("buyer's representatives"), default=0)
    low_price_margin = models.DecimalField(
        _("abnormally low: below the others' mean by (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_LOW_PRICE_MARGIN,
    )
    justification_hours = models.PositiveIntegerField(
        _("time to justify a low price (hours)"), default=DEFAULT_JUSTIFICATION_HOURS
    )

    class Meta:
        verbose_name = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.tender_id)


class Draw(models.Model):
    """One verifiable draw: the sorted candidate list (opaque pool ids) and the seed commitment go
    into the ledger first, the seed after; the selection is `evaluation.draw.draw_order`."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="evaluation_draws")
    sequence = models.PositiveSmallIntegerField()
    purpose = models.CharField(max_length=12, choices=DrawPurpose.choices)
    seats = models.PositiveSmallIntegerField(_("experts to draw"))
    candidates = models.JSONField(default=list)  # sorted public ids
    candidates_sha256 = models.CharField(max_length=64)
    seed_commitment = models.CharField(max_length=64)  # SHA-256 hex of the seed
    seed = models.CharField(max_length=64, blank=True)  # hex, empty until revealed
    selected = models.JSONField(default=list)  # public ids in draw order
    exclusions = models.JSONField(default=dict)  # reason → count (no ids: private anyway)
    commit_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    reveal_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    replaces = models.ForeignKey(
        "CommitteeMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "sequence"]
        constraints = [models.UniqueConstraint(fields=["tender", "sequence"], name="draw_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.tender_id}#{self.sequence}"


class CommitteeMember(models.Model):
    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=MemberKind.choices)
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    state = models.CharField(max_length=10, choices=MemberState.choices, default=MemberState.INVITED)
    invited_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    reviews_submitted_at = models.DateTimeField(null=True, blank=True)
    scores_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="committee_member_once")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.kind} {self.user_id} {self.state}"


class BidRead(models.Model):
    """Audit: someone read an opened bid's form or an attachment in the workspace."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="+")
    opening = models.ForeignKey("bidding.BidOpening", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=20)  # "form" or "attachment/<i>"
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.opening_id} {self.what}"


class ComplianceFinding(models.Model):
    """One member's qualification and compliance finding on one bid, with the reason (MOF87 Art 61)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="findings")
    opening = models.ForeignKey("bidding.BidOpening", on_delete=models.PROTECT, related_name="+")
    compliant = models.BooleanField(_("passes qualification and compliance"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "opening"], name="finding_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.opening_id} {self.compliant}"


class Dissent(models.Model):
    """A member's written dissent from the majority on a bid (MOF87 Art 61)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="dissents")
    opening = models.ForeignKey(
        "bidding.BidOpening", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("reasons"))
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.member_id} {self.opening_id}"


class Score(models.Model):
    """One member's points for one bid on one non-price criterion (the price score is computed)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="scores")
    opening = models.ForeignKey("bidding.BidOpening", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey("tenders.Criterion", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=6, decimal_places=2)
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "opening", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.opening_id} {self.criterion_id} {self.points}"


class Flag(models.Model):
    """Something the committee and the supervisor must see, naming its evidence."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="evaluation_flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    suppliers = models.JSONField(default=list)  # supplier ids concerned
    evidence = models.JSONField(default=dict)
    justification_due = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["tender", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.kind}"


class EvaluationReport(models.Model):
    """The committee's signed report (PDF through reports, signed by the platform), its hash in the ledger."""

    tender = models.OneToOneField(
        "tenders.Tender", on_delete=models.PROTECT, related_name="evaluation_report"
    )
    document = models.OneToOneField("reports.SignedDocument", on_delete=models.PROTECT, related_name="+")
    ledger_index = models.PositiveBigIntegerField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.tender_id} {self.document_id}"
