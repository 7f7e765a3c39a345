"""The winning candidates' publicity of a tender under the Bidding Law (BLR Art 54) and the
objections taken while it runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config import clock


class CandidatePublicity(models.Model):
    """The ranked candidates published for at least 3 days; objections are taken until `ends_on` 24:00."""

    tender = models.OneToOneField(
        "tenders.Tender", on_delete=models.PROTECT, related_name="candidate_publicity"
    )
    announcement = models.OneToOneField("tenders.Announcement", on_delete=models.PROTECT, related_name="+")
    candidates = models.JSONField(
        default=list
    )  # [{"rank", "supplier", "credit_code", "price"}]: no scores (each bidder sees only its own)
    starts_on = models.DateField(_("publicity from"))
    ends_on = models.DateField(_("publicity until"))
    published_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("winning candidates publicity")

    def __str__(self) -> str:
        return f"{self.tender_id} {self.starts_on}–{self.ends_on}"


class CandidateObjection(models.Model):
    """An objection to the candidates (BLR Art 54): raised by a bidder during the publicity,
    answered by the buyer's officers within 3 days; the decision waits for the answer."""

    publicity = models.ForeignKey(CandidatePublicity, on_delete=models.PROTECT, related_name="objections")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(default=clock.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("objection to the candidates")

    def __str__(self) -> str:
        return f"{self.publicity_id} {self.supplier_id}"
