"""The enterprise registry: supplier profiles, qualification documents, debarments, and the
platform CA's enrolment challenges and issued signing certificates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from suppliers.constants import CertificatePurpose, QualificationKind, SizeClass, VerificationStatus


class Supplier(models.Model):
    """An enterprise's registration; its name and credit code live on the accounts Organisation."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="supplier")
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    address = models.CharField(_("registered address"), max_length=300)
    size_class = models.CharField(_("size class"), max_length=8, choices=SizeClass.choices)
    # Free category names (e.g. "office equipment"); the procurement catalogue may later map them.
    categories = models.JSONField(_("categories supplied"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact email"))
    verification_status = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    verification_reason = models.TextField(_("reason"), blank=True)
    verification_decided_at = models.DateTimeField(null=True, blank=True)
    verification_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__name"]
        indexes = [models.Index(fields=["verification_status"])]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def credit_code(self) -> str:
        return self.organisation.credit_code


def qualification_upload_to(instance: "Qualification", filename: str) -> str:
    return f"suppliers/{instance.supplier_id}/qualifications/{instance.sha256}/{filename}"


class Qualification(models.Model):
    """A licence the supplier holds, with the uploaded scan and its digest."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("licence number"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    file = models.FileField(_("document"), upload_to=qualification_upload_to, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Null for a licence with no end date (长期).
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    # The expiry date the last reminder was sent for, so the daily task sends each reminder once.
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["supplier", "kind", "expires_on"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return self.title


class Debarment(models.Model):
    """A period in which the supplier may not bid (published), decided by an administrator."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="debarments")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["supplier", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.supplier} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class EnrolmentChallenge(models.Model):
    """A random value the person's new key must sign; single use, short-lived."""

    nonce = models.CharField(max_length=43, unique=True)  # b64u of 32 random bytes
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=CertificatePurpose.choices)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.nonce


class Certificate(models.Model):
    """A signing certificate the platform CA issued; `fingerprint` is b64u(SHA-256(DER)), the SB1 `signer`."""

    fingerprint = models.CharField(_("fingerprint"), max_length=43, unique=True)
    serial_number = models.CharField(_("serial number"), max_length=64, unique=True)  # hex
    der = models.BinaryField()
    purpose = models.CharField(_("purpose"), max_length=10, choices=CertificatePurpose.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    public_key = models.CharField(_("public key"), max_length=87)  # b64u of the 65-byte SEC1 point
    subject = models.CharField(pgettext_lazy("certificate", "subject"), max_length=500)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.CharField(_("revocation reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-not_before"]

    def __str__(self) -> str:
        return self.fingerprint


class OpeningKeyReplacement(models.Model):
    """A custodian's opening key registration that was replaced before publication (a lost laptop, a
    forgotten passphrase), kept for audit: never changed, never deleted. The current registration is
    `bidding.OpeningKey`; this row holds the one it replaced, exactly as it was signed, and is also
    in the ledger (`suppliers/opening-key-replacement`). Its key is never accepted again, anywhere."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="+")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    index = models.PositiveSmallIntegerField(_("custodian index"))
    key = models.CharField(_("public key"), max_length=87, unique=True)  # b64u(C_j) of the old key
    key_id = models.CharField(_("key id"), max_length=43, unique=True)
    signer = models.CharField(_("signing certificate"), max_length=43)
    envelope = models.JSONField()  # {"registration", "pop", "signature"} as registered
    registered_at = models.DateTimeField()
    replaced_by_key_id = models.CharField(_("replaced by"), max_length=43)
    replaced_at = models.DateTimeField(_("replaced at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["tender", "index", "replaced_at"]

    def __str__(self) -> str:
        return f"{self.tender_id}/{self.index} {self.key_id} → {self.replaced_by_key_id}"
