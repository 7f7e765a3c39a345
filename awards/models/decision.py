"""The buyer's award decision: which candidate from the committee's recommended order, why if not
the first, and the approval flow it goes through."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.constants import AwardReason, AwardStatus
from config import clock


class AwardDecision(models.Model):
    """One decision per tender (and per lot when the tender has lots). A re-opened decision stays
    as a record; the next one is a new row."""

    tender = models.ForeignKey(
        "tenders.Tender", verbose_name=_("tender"), on_delete=models.PROTECT, related_name="award_decisions"
    )
    lot = models.ForeignKey(
        "tenders.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opening = models.ForeignKey(
        "bidding.BidOpening", verbose_name=_("chosen bid"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("chosen supplier"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank of the chosen candidate"))
    reason = models.CharField(
        _("reason"), max_length=20, choices=AwardReason.choices, default=AwardReason.FIRST_CANDIDATE
    )
    reason_detail = models.TextField(_("explanation"), blank=True)
    amount = models.DecimalField(_("award amount (CNY)"), max_digits=16, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.IN_APPROVAL
    )
    approval = models.ForeignKey(
        "approvals.ApprovalInstance", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(_("why it was re-opened"), blank=True)
    # What re-opened it ("approval_returned", "challenge:<id>"): the record an upheld challenge leaves.
    reopened_by_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["tender", "lot", "-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.tender_id}/{self.lot_id or '-'} {self.supplier_id} {self.status}"

    @property
    def is_live(self) -> bool:
        return self.status != AwardStatus.REOPENED
