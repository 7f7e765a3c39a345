"""Sealed bidding's records. So far: the custodians' per-tender opening keys and their signed
confirmations of the tender's parameters (SEALED_BIDS.md "Keys")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningKey(models.Model):
    """Custodian `index`'s registered opening key C_j for one tender: the signed registration exactly as
    received ({"registration", "pop", "signature"}). `key_id` is unique across every tender."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="opening_keys")
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opening_keys"
    )
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

    tender = models.ForeignKey(
        "tenders.Tender", on_delete=models.PROTECT, related_name="custodian_confirmations"
    )
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


# --- sealed bids: uploads, versions, receipts, withdrawals, the seal (SEALED_BIDS.md "Submitting") ---


class BidLimit(models.Model):
    """A tender's size limits for one bid version (all files together, and their number). Tenders
    without a row use the platform defaults in `bidding.constants`."""

    tender = models.OneToOneField("tenders.Tender", on_delete=models.CASCADE, related_name="bid_limit")
    max_bytes = models.PositiveBigIntegerField(_("largest bid (bytes, all files)"))
    max_files = models.PositiveIntegerField(_("most files a bid may have (form included)"))

    def __str__(self) -> str:
        return f"{self.tender_id}: {self.max_bytes} bytes, {self.max_files} files"


class BidUpload(models.Model):
    """The ciphertext chunks of one bid id arriving before its manifest. `file_sizes[f]` is the
    plaintext size of file f the client declared when opening it; it fixes every chunk's length.
    Nobody but the supplier's own staff may learn that a row exists (SB1 property 6)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="+")
    # SB1's lot id, null exactly when the tender has no lots (as in the manifest; "" is no lot id).
    lot = models.CharField(_("lot"), max_length=64, null=True, blank=True)  # noqa: DJ001
    bid = models.CharField(_("bid id"), max_length=36, unique=True)  # never reused anywhere
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_sizes = models.JSONField()
    opened_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.bid


class BidChunk(models.Model):
    """One acknowledged ciphertext chunk: its bytes are in the bid storage under `name`, written and
    fsynced before this row was committed (and so before the acknowledgement). Never changed."""

    upload = models.ForeignKey(BidUpload, on_delete=models.PROTECT, related_name="chunks")
    file_index = models.PositiveIntegerField()
    index = models.PositiveIntegerField()
    length = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=43)  # b64u
    name = models.CharField(max_length=300)  # storage name
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["upload", "file_index", "index"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "file_index", "index"], name="bid_chunk_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.upload_id}/{self.file_index}/{self.index}"


class BidReceipt(models.Model):
    """A platform-signed receipt: "SB1/receipt" for an accepted version, "SB1/withdrawal-receipt" for
    a withdrawal. `sequence` counts 1, 2, … over one supplier's receipts of both kinds in a tender.
    Appended to the ledger only at the seal (`ledger_index`), never before the deadline."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    supplier_code = models.CharField(max_length=18)  # the seal orders receipts by it
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    envelope = models.JSONField()  # {"payload", "key_id", "signature"}
    receipt_sha256 = models.CharField(max_length=43, unique=True)  # b64u(SHA-256(JCS(envelope)))
    received_at = models.DateTimeField()
    ledger_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "received_at", "supplier_code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "supplier", "sequence"], name="bid_receipt_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.supplier_code} #{self.sequence}"


class BidVersion(models.Model):
    """An accepted bid version: the manifest bytes exactly as signed, the signature, who sent it and
    its receipt. Every version is kept; the counting one is the latest unwithdrawn per supplier and lot."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="+")
    lot = models.CharField(_("lot"), max_length=64, null=True, blank=True)  # noqa: DJ001 - as BidUpload.lot
    bid = models.CharField(_("bid id"), max_length=36, unique=True)
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    upload = models.OneToOneField(BidUpload, on_delete=models.PROTECT, related_name="version")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    manifest = models.BinaryField()
    signature = models.CharField(max_length=86)  # b64u of the 64-byte P1363 signature
    signer = models.CharField(_("signing certificate"), max_length=43)
    manifest_sha256 = models.CharField(max_length=43, unique=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    receipt = models.OneToOneField(BidReceipt, on_delete=models.PROTECT, related_name="version")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["tender", "supplier", "lot", "received_at", "pk"]
        indexes = [models.Index(fields=["tender", "supplier", "lot", "received_at"])]

    def __str__(self) -> str:
        return self.bid


class EphemeralKeyUse(models.Model):
    """The x-coordinate of every ephemeral key E_j of every accepted manifest: no manifest may use
    one again (a copied E_j would let a custodian's answer for one bid open another)."""

    x = models.CharField(max_length=43, unique=True)  # b64u of the 32-byte x-coordinate
    version = models.ForeignKey(BidVersion, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.x


class BidWithdrawal(models.Model):
    """A signed withdrawal of a version ({"statement", "signature"} as received) and its receipt."""

    version = models.OneToOneField(BidVersion, on_delete=models.PROTECT, related_name="withdrawal")
    envelope = models.JSONField()
    signer = models.CharField(max_length=43)
    withdrawal_sha256 = models.CharField(max_length=43, unique=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receipt = models.OneToOneField(BidReceipt, on_delete=models.PROTECT, related_name="withdrawal")
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.withdrawal_sha256


class SealStatement(models.Model):
    """The tender's one seal statement, written once at (or after) the deadline: the signed envelope
    as logged, its ledger index, and how many receipts were logged before it."""

    tender = models.OneToOneField("tenders.Tender", on_delete=models.PROTECT, related_name="seal_statement")
    envelope = models.JSONField()
    ledger_index = models.PositiveBigIntegerField()
    sealed_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"seal {self.tender_id} ({self.count})"


# --- the opening ceremony (SEALED_BIDS.md "Opening"): defined in their own module, part of this app ---
from bidding.models_ceremony import (  # noqa: E402, F401
    BidOpening,
    CeremonyCheckIn,
    CeremonyEvent,
    CeremonyRoom,
    Objection,
    ReadoutConfirmation,
    ShareSubmission,
)
