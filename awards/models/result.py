"""The result announcement of an award decision and the notices each bidder receives."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.constants import NoticeKind


class ResultAnnouncement(models.Model):
    """The published 中标/成交结果公告: the frozen announcement (tenders.Announcement, its hash in
    the ledger as "tender/result") and the facts the officer added to it."""

    decision = models.OneToOneField("awards.AwardDecision", on_delete=models.PROTECT, related_name="result")
    announcement = models.OneToOneField("tenders.Announcement", on_delete=models.PROTECT, related_name="+")
    # MOF87 Art 69: the main items (name, specification, quantity, unit price, service requirements).
    main_items = models.JSONField(_("main items"), default=list)
    agency_fee = models.DecimalField(
        _("agency fee (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # Published after the 2-working-day limit: recorded, shown, and escalated.
    late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("result announcement")

    def __str__(self) -> str:
        return str(self.announcement_id)


class BidderNotice(models.Model):
    """One bidder's notice of the outcome. The winner's is the signed award notice PDF; every other
    bidder's carries its own scores, rank and the reason it did not win, and nobody else's."""

    decision = models.ForeignKey("awards.AwardDecision", on_delete=models.PROTECT, related_name="notices")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    opening = models.ForeignKey("bidding.BidOpening", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=NoticeKind.choices)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # This bidder's own figures only: price, evaluated price, price score, per-criterion means, total.
    scores = models.JSONField(default=dict)
    reason = models.TextField(_("why it did not win"), blank=True)
    document = models.OneToOneField(
        "reports.SignedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["decision", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "supplier"], name="bidder_notice_once")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.supplier_id} {self.kind}"


class DeadlineAlert(models.Model):
    """A reminder or escalation sent about one of a tender's award time limits (once each)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    limit = models.CharField(max_length=24)  # "decision", "announcement", "publicity"
    stage = models.CharField(max_length=10)  # "reminded" or "escalated"
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tender", "limit", "stage"], name="award_deadline_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.limit} {self.stage}"
