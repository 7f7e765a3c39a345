"""Signed documents the platform issued: the stored PDF, its hash, and the public verification token."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedDocument(models.Model):
    """A PDF signed with the platform's document-signing certificate (PAdES).

    `token` is printed as a QR code on the document and opens the public verification page,
    which shows `sha256` and checks the signature of the stored file (or of a file uploaded there);
    it shows the content (title, download) only of a public document or to a permitted reader."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="reports/signed/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    signer_subject = models.CharField(_("signed by"), max_length=300)
    signer_fingerprint = models.CharField(_("certificate fingerprint (SHA-256)"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    subject_ref = models.CharField(max_length=80, blank=True)  # e.g. "portal.application:SQ2026..."
    # A public document (an opening record) is downloadable by anyone; a private one (a citizen's
    # decision letter) only by those its subject's app names (reports.access), while anyone with
    # its link may still check it is authentic without seeing its content.
    public = models.BooleanField(_("public"), default=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- open data (reports.ocds)


class OcdsRelease(models.Model):
    """One OCDS release as published (reports/ocds/releases.py): written once, never changed, so
    the API, the bulk files and the records all show the same release. Indexed for the API's
    filters: by contracting process, by buyer, by date."""

    release_id = models.CharField(max_length=200, unique=True)
    ocid = models.CharField(max_length=120)
    date = models.DateTimeField()
    buyer = models.CharField(max_length=120)  # the buyer's party id, e.g. "CN-SAIC-11310000..."
    tags = models.JSONField(default=list)
    source = models.CharField(max_length=120, unique=True)  # e.g. "tenders.announcement:12"
    release = models.JSONField()
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["ocid", "date", "id"], name="ocds_release_ocid"),
            models.Index(fields=["buyer", "date", "id"], name="ocds_release_buyer"),
            models.Index(fields=["date", "id"], name="ocds_release_date"),
        ]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")

    def __str__(self) -> str:
        return self.release_id


class OcdsBulkFile(models.Model):
    """A daily bulk download: every release, or every record, as gzip-compressed JSON Lines."""

    class Kind(models.TextChoices):
        RELEASES = "releases", _("Releases")
        RECORDS = "records", _("Records")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField()
    file = models.FileField(upload_to="open-data/", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="ocds_bulk_file_unique")]
        verbose_name = _("open data bulk file")
        verbose_name_plural = _("open data bulk files")

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class TenderFact(models.Model):
    """What the statistics count of one public tender, kept up to date by `reports.statistics`
    whenever the tender is saved (and rebuilt by `manage.py statistics_rebuild`). A row a tender,
    so a dashboard never has to read bids, evaluations or awards to draw its figures."""

    tender = models.OneToOneField(
        "tenders.Tender", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    buyer = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the Beijing month of publication
    method = models.CharField(max_length=32)
    category = models.CharField(max_length=1, blank=True)  # A goods, B works, C services
    region = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=16)
    budget = models.DecimalField(max_digits=16, decimal_places=2)
    bids = models.PositiveIntegerField(null=True)  # bids received; None until the opening
    award_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    award_sme = models.BooleanField(null=True)  # won by a small or micro enterprise
    award_days = models.PositiveIntegerField(null=True)  # calendar days from publication to award
    failure_reason = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.tender_id} {self.status}"


class TenderTally(models.Model):
    """The sums of `TenderFact` rows that share a month, a buyer and one key of one dimension
    ("method" → "open_tender", "region" → "310115", "all" → ""): what the dashboards read. Kept
    in step with the facts by adding each change's difference, so a dashboard over a million
    tenders adds up a few thousand of these rows instead (docs/statistics.md)."""

    month = models.DateField()
    # None: every buyer together, so the public dashboard without an organisation adds up a row a
    # month and key rather than one a buyer as well.
    buyer = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, related_name="+")
    dimension = models.CharField(max_length=16)
    key = models.CharField(max_length=120, blank=True)
    tenders = models.IntegerField(default=0)
    budget = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    opened = models.IntegerField(default=0)  # tenders whose bids were counted at an opening
    bids = models.IntegerField(default=0)
    awarded = models.IntegerField(default=0)
    awarded_budget = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    award_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    sme_awarded = models.IntegerField(default=0)
    sme_award_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    award_days = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "month", "buyer", "key"], name="tender_tally_unique")
        ]
        indexes = [models.Index(fields=["month", "dimension"], name="tender_tally_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.buyer_id} {self.dimension}={self.key}"
