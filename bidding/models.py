"""Sealed bidding's records. So far: the custodians' per-tender opening keys and their signed
confirmations of the tender's parameters (SEALED_BIDS.md "Keys")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningKey(models.Model):
    """Custodian `index`'s registered opening key C_j for one tender: the signed registration exactly as
    received ({"registration", "pop", "signature"}). `key_id` is unique across every tender."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="opening_keys")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opening_keys")
    index = models.PositiveSmallIntegerField(_("custodian index"))
    key = models.CharField(_("public key"), max_length=87, unique=True)  # b64u(C_j), 65 bytes
    key_id = models.CharField(_("key id"), max_length=43, unique=True)  # b64u(SHA-256(C_j))
    signer = models.CharField(_("signing certificate"), max_length=43)
    envelope = models.JSONField()
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["tender", "index"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "index"], name="opening_key_tender_index_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tender_id}/{self.index} {self.key_id}"


class CustodianConfirmation(models.Model):
    """Custodian `index`'s signed confirmation of the tender's custodian list, threshold, deadline and
    share window ({"confirmation", "signature"}). A newer one replaces it (e.g. after the deadline moved);
    publication needs each custodian's confirmation of the tender as it stands."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="custodian_confirmations")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    index = models.PositiveSmallIntegerField(_("custodian index"))
    signer = models.CharField(_("signing certificate"), max_length=43)
    envelope = models.JSONField()
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["tender", "index", "-confirmed_at"]
        indexes = [models.Index(fields=["tender", "index", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.tender_id}/{self.index} {self.confirmed_at:%Y-%m-%d %H:%M}"
