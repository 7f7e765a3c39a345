"""The procurement contract made from an award, its public notice (合同公告), the performance
security, the acceptance of performance (履约验收), and the release of every bid security."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.remedy_constants import ContractStatus, SecurityReleaseReason

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Contract(models.Model):
    """One contract per live award decision."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    award = models.OneToOneField(
        "awards.AwardDecision", verbose_name=_("award"), on_delete=models.PROTECT, related_name="contract"
    )
    tender = models.ForeignKey(
        "tenders.Tender", verbose_name=_("tender"), on_delete=models.PROTECT, related_name="contracts"
    )
    lot = models.ForeignKey(
        "tenders.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    buyer = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("contract title"), max_length=300)
    amount = models.DecimalField(_("contract amount (CNY)"), **MONEY)
    main_items = models.TextField(_("main items"), blank=True)
    starts_on = models.DateField(_("performance from"), null=True, blank=True)
    ends_on = models.DateField(_("performance until"), null=True, blank=True)
    # The day the award notice went out: the 30 days to sign run from it.
    award_notice_on = models.DateField(_("award notice sent on"))
    sign_due_on = models.DateField(_("to be signed by"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    document = models.FileField(_("signed contract"), upload_to="awards/contracts/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Why it was signed after the 30 days, when it was (recorded and in the ledger).
    late_reason = models.TextField(_("reason for signing late"), blank=True)
    notice_due_on = models.DateField(_("contract notice due by"), null=True, blank=True)
    notice_published_at = models.DateTimeField(_("contract notice published"), null=True, blank=True)
    # The contract notice, published as the tender's announcement (frozen, hash in the ledger).
    notice = models.OneToOneField(
        "tenders.Announcement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    performance_security = models.DecimalField(
        _("performance security (CNY)"), default=Decimal("0.00"), **MONEY
    )
    performance_security_due_on = models.DateField(_("performance security due by"), null=True, blank=True)
    performance_security_received_on = models.DateField(
        _("performance security received on"), null=True, blank=True
    )
    accepted_on = models.DateField(_("performance accepted on"), null=True, blank=True)
    acceptance_passed = models.BooleanField(_("acceptance passed"), null=True, blank=True)
    acceptance_report = models.TextField(_("acceptance report"), blank=True)
    acceptance_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    sign_reminded_at = models.DateTimeField(null=True, blank=True)
    sign_overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.reference


class BidSecurityRelease(models.Model):
    """One bidder's bid security on one tender: when it must be returned and when it was."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="security_releases")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    reason = models.CharField(_("why returned"), max_length=12, choices=SecurityReleaseReason.choices)
    due_on = models.DateField(_("to be returned by"))
    released_on = models.DateField(_("returned on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "supplier"], name="bid_security_release_once")
        ]
        verbose_name = _("bid security release")
        verbose_name_plural = _("bid security releases")

    def __str__(self) -> str:
        return f"{self.tender_id}/{self.supplier_id}"
