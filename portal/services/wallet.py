"""Electronic licences and reuse (电子证照, 材料复用): an approval of a service that issues a licence
puts a signed licence in the holder's wallet; later applications take a wallet licence or a file
the applicant sent before instead of a new upload; forms start filled from the account.

The licence PDF is a private SignedDocument (subject "portal.licence:<number>"): its holder, staff
of a department whose application it was attached to, and supervisors read it; anyone verifies it
at its QR code without seeing it (reports)."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from config import clock
from portal.constants import ApplicationStatus
from portal.exceptions import InvalidFormDefinition
from portal.models import Application, Attachment, Licence, ServiceMaterial
from portal.selectors import is_application_staff
from portal.services.realname import enterprise_of

# ---------------------------------------------------------------- the account: prefill


# What each account fact fills: a form field's UI hint "prefill" names one; without it, these
# field names are understood (the demo forms and most published ones use them).
PREFILL_BY_FIELD = {
    "applicant_name": "name",
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "contact_phone": "phone",
    "email": "email",
    "company_name": "enterprise_name",
    "enterprise_name": "enterprise_name",
    "credit_code": "credit_code",
}


def _known_id_number(user: User) -> str:
    """The ID number the account holds (when the account app records one), else the one the person
    gave in their latest application."""
    own = str(getattr(user, "id_number", "") or "")
    if own:
        return own
    for form in (
        Application.objects.filter(applicant=user)
        .exclude(status=ApplicationStatus.DRAFT)
        .order_by("-submitted_at")
        .values_list("form_data", flat=True)[:5]
    ):
        if isinstance(form, dict) and form.get("id_number"):
            return str(form["id_number"])
    return ""


def account_facts(user: User, organisation: Organisation | None = None) -> dict[str, str]:
    organisation = organisation or enterprise_of(user=user)
    facts = {
        "name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "id_number": _known_id_number(user),
        "enterprise_name": organisation.name if organisation else "",
        "credit_code": organisation.credit_code if organisation else "",
    }
    return {k: v for k, v in facts.items() if v}


def prefill(
    *, user: User, schema: dict, ui: dict, organisation: Organisation | None = None
) -> dict[str, Any]:
    """Initial form data for a new draft: every string field the account knows a value for."""
    facts = account_facts(user, organisation)
    hints = (ui or {}).get("fields", {})
    data: dict[str, Any] = {}
    for name, spec in (schema or {}).get("properties", {}).items():
        if spec.get("type") not in (None, "string"):
            continue
        source = hints.get(name, {}).get("prefill", PREFILL_BY_FIELD.get(name))
        if source in facts:
            data[name] = facts[source]
    return data


# ---------------------------------------------------------------- licences


def _licence_number(kind: str) -> str:
    return f"DZZZ-{clock.today_local():%Y%m%d}-{secrets.token_hex(4).upper()}"


def licence_readable(*, user: User, number: str) -> bool:
    licence = Licence.objects.filter(number=number).first()
    if licence is None or not user.is_authenticated:
        return False
    if licence.holder_id == user.pk or user_has_role(user=user, role=Role.SUPERVISOR):
        return True
    return any(
        is_application_staff(user=user, application=a.application)
        for a in licence.attachments.select_related("application__service")
    )


@transaction.atomic
def licence_issue(*, application: Application) -> Licence | None:
    """Put the licence of an approved application in its holder's wallet (idempotent: once only).

    Before: approved; the service issues a licence (`Service.licence_kind`). After: a Licence with
    its signed PDF; the applicant sees a step saying so."""
    from portal.documents import licence_document_issue
    from portal.services import _event

    service = application.service
    if application.status != ApplicationStatus.APPROVED or not service.licence_kind:
        return None
    if Licence.objects.filter(application=application).exists():
        return None
    number = _licence_number(service.licence_kind)
    while Licence.objects.filter(number=number).exists():
        number = _licence_number(service.licence_kind)
    issued_at = clock.now()
    licence = Licence(
        number=number,
        kind=service.licence_kind,
        name=service.result_name,
        name_en=service.result_name_en,
        holder=application.applicant,
        organisation=application.organisation,
        service=service,
        application=application,
        issued_at=issued_at,
    )
    document = licence_document_issue(licence=licence, application=application)
    licence.document = document
    licence.save()
    _event(
        application,
        "licence",
        f"电子证照“{service.result_name}”已放入您的证照夹，以后办事可直接使用。",
        f"The electronic licence “{service.result_name_en or service.result_name}” is in your wallet; "
        "use it in later applications instead of an upload.",
    )
    return licence


def wallet_of(user: User) -> QuerySet[Licence]:
    return Licence.objects.filter(holder=user, revoked_at__isnull=True).select_related("service", "document")


# ---------------------------------------------------------------- reuse


@dataclass(frozen=True)
class ReuseOffer:
    """Something the applicant has that may stand for a material: `value` is what the page posts."""

    value: str  # "licence:<number>" or "attachment:<id>"
    label: str
    is_licence: bool


def reuse_offers(*, application: Application, material: ServiceMaterial) -> list[ReuseOffer]:
    """Wallet licences of the kind the material accepts, then files the applicant sent for a
    material of the same key or name in an earlier application (newest first, each file once)."""
    user = application.applicant
    offers: list[ReuseOffer] = []
    if material.licence_kind:
        for licence in wallet_of(user).filter(kind=material.licence_kind):
            offers.append(
                ReuseOffer(
                    f"licence:{licence.number}",
                    str(
                        _("Electronic licence %(name)s no. %(number)s, issued %(date)s")
                        % {
                            "name": licence.title,
                            "number": licence.number,
                            "date": timezone.localtime(licence.issued_at).strftime("%Y-%m-%d"),
                        }
                    ),
                    True,
                )
            )
    same_material = ServiceMaterial.objects.filter(name=material.name).values_list("key", flat=True)
    earlier = (
        Attachment.objects.filter(
            application__applicant=user,
            superseded=False,
            licence__isnull=True,
            material_key__in={material.key, *same_material},
        )
        .exclude(application=application)
        .exclude(application__status=ApplicationStatus.DRAFT)
        .select_related("application__service")
        .order_by("-uploaded_at")
    )
    seen: set[str] = set()
    for attachment in earlier[:20]:
        if attachment.sha256 in seen:
            continue
        seen.add(attachment.sha256)
        offers.append(
            ReuseOffer(
                f"attachment:{attachment.pk}",
                str(
                    _("%(file)s, sent with %(service)s (%(reference)s) on %(date)s")
                    % {
                        "file": attachment.filename,
                        "service": attachment.application.service.title,
                        "reference": attachment.application.reference,
                        "date": timezone.localtime(attachment.uploaded_at).strftime("%Y-%m-%d"),
                    }
                ),
                False,
            )
        )
    return offers


@transaction.atomic
def attachment_reuse(*, user: User, application: Application, material_key: str, value: str) -> Attachment:
    """Attach a wallet licence or an earlier file for one material, instead of a new upload.

    Before: the applicant's own editable application; `value` is one of `reuse_offers` for that
    material (anything else is refused, nothing changes). After: an attachment pointing to the same
    stored file (same hash), replacing any earlier one for the material."""
    from portal.services import _own_editable

    application = _own_editable(user, application)
    material = application.service.materials.filter(key=material_key).first()
    if material is None:
        raise InvalidFormDefinition(_("This service asks for no such material."))
    if value not in {offer.value for offer in reuse_offers(application=application, material=material)}:
        raise InvalidFormDefinition(_("This licence or file cannot be used for this material."))
    kind, _sep, ident = value.partition(":")
    licence = source = None
    if kind == "licence":
        licence = Licence.objects.select_related("document").get(number=ident)
        file, filename = licence.document.file, f"{licence.name}-{licence.number}.pdf"
        size, sha256 = licence.document.size, licence.document.sha256
    else:
        source = Attachment.objects.get(pk=int(ident))
        file, filename, size, sha256 = source.file, source.filename, source.size, source.sha256
    application.attachments.filter(material_key=material_key, superseded=False).update(superseded=True)
    return Attachment.objects.create(
        application=application,
        material_key=material_key,
        file=file.name,
        filename=filename[:200],
        size=size,
        sha256=sha256,
        uploaded_at=clock.now(),
        licence=licence,
        reused_from=source,
    )


def reuse_from_post(*, user: User, application: Application, data) -> int:
    """The application page's choices ("reuse-<key>" = an offer's value); returns how many were used."""
    used = 0
    for material in application.service.materials.all():
        value = data.get(f"reuse-{material.key}", "")
        if value:
            attachment_reuse(user=user, application=application, material_key=material.key, value=value)
            used += 1
    return used
