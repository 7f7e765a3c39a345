"""Electronic licences (电子证照) in their holders' wallets, and the English names of departments
(the departments themselves are accounts.Organisation, which the portal does not change)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Licence(models.Model):
    """A licence or certificate an approved application issued (结婚证, 营业执照 …): a signed PDF
    (reports.SignedDocument, verifiable at its QR code) kept in the holder's wallet, offered in
    later applications instead of an upload."""

    number = models.CharField(_("electronic licence number"), max_length=40, unique=True)
    kind = models.SlugField(_("kind"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=160, blank=True)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licences")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="licences"
    )
    service = models.ForeignKey("portal.Service", on_delete=models.PROTECT, related_name="licences")
    application = models.OneToOneField(
        "portal.Application", on_delete=models.PROTECT, related_name="licence_issued"
    )
    document = models.ForeignKey("reports.SignedDocument", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def title(self) -> str:
        lang = get_language() or ""
        return self.name_en if lang.startswith("en") and self.name_en else self.name


class DepartmentName(models.Model):
    """A department's name in English (the Chinese name is the organisation's own)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="portal_name"
    )
    name_en = models.CharField(_("name in English"), max_length=240)

    def __str__(self) -> str:
        return self.name_en
