"""Challenges (质疑) a supplier files with the buyer, their evidence, and complaints (投诉) to the
finance department when the answer does not satisfy or does not come."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.remedy_constants import ChallengeStatus, ChallengeSubject, ComplaintOutcome, ComplaintStatus


class Challenge(models.Model):
    """One supplier's written challenge against a tender's documents, process or result, for the
    whole tender or one lot. While it is pending no contract is signed for that lot."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    tender = models.ForeignKey(
        "tenders.Tender", verbose_name=_("tender"), on_delete=models.PROTECT, related_name="challenges"
    )
    lot = models.ForeignKey(
        "tenders.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The decision a challenge against the result is about (null for documents and process).
    award = models.ForeignKey(
        "awards.AwardDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="challenges"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("challenger"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("challenged"), max_length=12, choices=ChallengeSubject.choices)
    # The day the challenger knew (or could have known) of the harm: the 7 working days run from it.
    known_on = models.DateField(_("known of the harm on"))
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed"))
    answer_due_on = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING
    )
    approval = models.ForeignKey(
        "approvals.ApprovalInstance", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    # The buyer's finding, set with the answer and final when the answer's approval completes.
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Supplier ids the answer went to: the challenger and every other affected supplier.
    answer_sent_to = models.JSONField(default=list, blank=True)
    answer_sha256 = models.CharField(max_length=64, blank=True)
    filed_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    answer_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_pending(self) -> bool:
        return self.status == ChallengeStatus.PENDING


class ChallengeEvidence(models.Model):
    """A file the challenger gave with its reasons (checked by config.uploads)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="awards/challenges/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Complaint(models.Model):
    """A complaint to the finance department about a challenge's answer (or its missing answer)."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    challenge = models.OneToOneField(Challenge, on_delete=models.PROTECT, related_name="complaint")
    regulator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("finance department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("lodged"))
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.LODGED
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due by"), null=True, blank=True)
    # Every status change: [{"status", "at", "note"}], shown to the parties.
    history = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ComplaintOutcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_payload = models.JSONField(null=True, blank=True)
    decision_sha256 = models.CharField(max_length=64, blank=True)
    decision_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.reference

    @property
    def suspends(self) -> bool:
        return self.status == ComplaintStatus.SUSPENDED
