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
