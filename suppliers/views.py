"""Supplier pages: registration, profile, qualifications, staff, certificates and keys (made in the
browser by static/dist/keys.js), the officer's verification queue, and the public lookup."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import user_is_platform_admin
from config import clock
from config.exceptions import DomainError, NotAllowed
from suppliers import selectors, services
from suppliers.approvals import supplier_verification_decide, verification_instance
from suppliers.forms import (
    DebarForm,
    QualificationForm,
    RejectForm,
    StaffAddForm,
    SupplierProfileForm,
    SupplierRegisterForm,
)
from suppliers.models import Certificate, Qualification, Supplier


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view using it is behind login_required)."""
    return cast(User, request.user)


def _my_supplier(request: HttpRequest) -> Supplier:
    supplier = selectors.supplier_of(user=_user(request))
    if supplier is None:
        raise Http404(_("You do not work for a registered enterprise."))
    return supplier


def _with_expiry(qualifications):
    today = clock.today_local()
    return [(q, selectors.qualification_expiry(q, today)) for q in qualifications]


def _qualification_warnings(supplier: Supplier) -> dict:
    """What the supplier's own pages warn about: records expired or expiring soon, and open tenders
    its staff follow that would refuse its bid because a required one lapses by their deadline."""
    return {
        "to_renew": selectors.qualifications_to_renew(supplier=supplier, today=clock.today_local()),
        "at_risk": selectors.tenders_at_risk(supplier=supplier, at=clock.now()),
    }


@login_required
def register(request: HttpRequest) -> HttpResponse:
    if selectors.supplier_of(user=_user(request)) is not None:
        return redirect("suppliers:profile")
    form = SupplierRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_register(user=_user(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error("credit_code", str(exc))
        else:
            messages.success(request, _("Your enterprise is registered and waits for verification."))
            return redirect("suppliers:profile")
    return render(request, "suppliers/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    supplier = _my_supplier(request)
    is_admin = selectors.user_is_supplier_admin(user=_user(request), supplier=supplier)
    initial = {
        "name": supplier.name,
        "categories": ", ".join(supplier.categories),
        **{
            f: getattr(supplier, f)
            for f in (
                "legal_representative",
                "address",
                "size_class",
                "contact_name",
                "contact_phone",
                "contact_email",
            )
        },
    }
    form = SupplierProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not is_admin:
            raise NotAllowed(_("Only the enterprise's administrator can do this."))
        if form.is_valid():
            services.supplier_profile_update(supplier=supplier, by=_user(request), **form.cleaned_data)
            messages.success(request, _("The profile is saved."))
            return redirect("suppliers:profile")
    now = clock.now()
    return render(
        request,
        "suppliers/profile.html",
        {
            "supplier": supplier,
            "form": form,
            "is_admin": is_admin,
            "debarment": selectors.debarment_active(supplier=supplier, at=now),
            "ineligible": selectors.supplier_ineligibility_reason(supplier, now),
            **_qualification_warnings(supplier),
        },
    )


@login_required
@require_POST
def resubmit(request: HttpRequest) -> HttpResponse:
    services.supplier_resubmit(supplier=_my_supplier(request), by=_user(request))
    messages.success(request, _("Your registration was sent for verification again."))
    return redirect("suppliers:profile")


@login_required
def qualifications(request: HttpRequest) -> HttpResponse:
    supplier = _my_supplier(request)
    is_admin = selectors.user_is_supplier_admin(user=_user(request), supplier=supplier)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.qualification_add(
                supplier=supplier,
                by=_user(request),
                kind=data["kind"],
                title=data["title"],
                number=data["number"],
                category=data["category"],
                expires_on=data["expires_on"],
                file=data["file"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("suppliers:qualifications")
    return render(
        request,
        "suppliers/qualifications.html",
        {
            "supplier": supplier,
            "is_admin": is_admin,
            "form": form,
            "rows": _with_expiry(supplier.qualifications.all()),
            **_qualification_warnings(supplier),
        },
    )


@login_required
def qualification_file(request: HttpRequest, pk: int) -> FileResponse:
    qualification = get_object_or_404(Qualification, pk=pk)
    if not (
        selectors.user_is_supplier_member(user=_user(request), supplier=qualification.supplier)
        or selectors.user_may_verify_suppliers(user=_user(request))
    ):
        raise Http404
    return FileResponse(
        qualification.file.open("rb"), as_attachment=True, filename=qualification.file.name.rsplit("/", 1)[-1]
    )


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    supplier = _my_supplier(request)
    is_admin = selectors.user_is_supplier_admin(user=_user(request), supplier=supplier)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_staff_add(supplier=supplier, by=_user(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error("username", str(exc))
        else:
            messages.success(request, _("%(username)s was added.") % form.cleaned_data)
            return redirect("suppliers:staff")
    return render(
        request,
        "suppliers/staff.html",
        {
            "supplier": supplier,
            "is_admin": is_admin,
            "form": form,
            "members": selectors.supplier_staff(supplier=supplier),
        },
    )


@login_required
@require_POST
def staff_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    services.supplier_staff_remove(
        supplier=_my_supplier(request), by=_user(request), membership_id=membership_id
    )
    messages.success(request, _("The staff role was removed; that person's bidder certificates are revoked."))
    return redirect("suppliers:staff")


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    """Make a signing key in the browser, enrol it, download and revoke certificates."""
    from accounts.constants import Role
    from accounts.selectors import user_has_role

    supplier = selectors.supplier_of(user=_user(request))
    is_custodian = user_has_role(user=_user(request), role=Role.KEY_CUSTODIAN)
    if supplier is None and not is_custodian:
        raise Http404(_("Only a supplier's staff or a key custodian holds a signing certificate."))
    now = clock.now()
    rows = [
        (c, selectors.certificate_status(c.fingerprint, now))
        for c in selectors.certificates_visible_to(user=_user(request))
    ]
    return render(
        request,
        "suppliers/certificates.html",
        {
            "supplier": supplier,
            "is_custodian": is_custodian,
            "rows": rows,
            "purpose": "bidder" if supplier is not None else "custodian",
            "own_valid": any(c.holder_id == request.user.pk and s.is_valid for c, s in rows),
            "ineligible": selectors.supplier_ineligibility_reason(supplier, now) if supplier else None,
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, fingerprint: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate, fingerprint=fingerprint)
    services.certificate_revoke(
        certificate=certificate, by=_user(request), reason=request.POST.get("reason", "")
    )
    messages.success(request, _("The certificate is revoked."))
    return redirect("suppliers:certificates")


def certificate_download(request: HttpRequest, fingerprint: str) -> HttpResponse:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    certificate = get_object_or_404(Certificate, fingerprint=fingerprint)
    pem = x509.load_der_x509_certificate(bytes(certificate.der)).public_bytes(serialization.Encoding.PEM)
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = (
        f'attachment; filename="yizhan-certificate-{certificate.serial_number}.pem"'
    )
    return response


def crl(request: HttpRequest) -> HttpResponse:
    return HttpResponse(selectors.certificate_revocation_list(), content_type="application/pkix-crl")


def ca_chain(request: HttpRequest) -> HttpResponse:
    from suppliers import ca

    return HttpResponse(ca.chain_pem(), content_type="application/x-pem-file")


@login_required
def custodian_keys(request: HttpRequest) -> HttpResponse:
    from bidding.selectors.keys import confirmation_current, custodianships_of, opening_key_of

    rows = []
    for custodian in custodianships_of(user=_user(request)):
        tender = custodian.tender
        rows.append(
            (
                custodian,
                opening_key_of(tender=tender, index=custodian.index, user=_user(request)),
                confirmation_current(tender, custodian),
            )
        )
    return render(request, "suppliers/custodian_keys.html", {"rows": rows})


@login_required
def custodian_key(request: HttpRequest, reference: str) -> HttpResponse:
    from bidding.selectors.keys import confirmation_current, custodianship_get, opening_key_of

    custodian = custodianship_get(user=_user(request), reference=reference)
    if custodian is None:
        raise Http404(_("You are not a key custodian of this tender."))
    tender = custodian.tender
    return render(
        request,
        "suppliers/custodian_key.html",
        {
            "custodian": custodian,
            "tender": tender,
            "opening_key": opening_key_of(tender=tender, index=custodian.index, user=_user(request)),
            "confirmation": confirmation_current(tender, custodian),
            "custodians": tender.custodians.select_related("user").order_by("index"),
            "replaceable": selectors.opening_key_replaceable(tender),
            "replaced": selectors.opening_keys_replaced(tender=tender, custodian=custodian),
            "certificate": selectors.custodian_certificate_valid(user=_user(request), at=clock.now()),
        },
    )


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    if not selectors.user_may_verify_suppliers(user=_user(request)):
        raise NotAllowed(_("Only a procurement officer or an administrator can verify suppliers."))
    return render(request, "suppliers/verification_queue.html", {"suppliers": selectors.verification_queue()})


@login_required
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.user_may_verify_suppliers(user=_user(request)):
        raise NotAllowed(_("Only a procurement officer or an administrator can verify suppliers."))
    supplier = get_object_or_404(Supplier.objects.select_related("organisation"), pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    debar_form = DebarForm(request.POST if request.POST.get("decision") == "debar" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "approve":
            supplier_verification_decide(supplier=supplier, by=_user(request), approve=True)
            messages.success(request, _("%(name)s is verified.") % {"name": supplier.name})
            return redirect("suppliers:verification_queue")
        if decision == "reject" and reject_form.is_valid():
            supplier_verification_decide(
                supplier=supplier, by=_user(request), approve=False, reason=reject_form.cleaned_data["reason"]
            )
            messages.success(request, _("%(name)s is rejected.") % {"name": supplier.name})
            return redirect("suppliers:verification_queue")
        if decision == "debar" and debar_form.is_valid():
            try:
                services.supplier_debar(supplier=supplier, by=_user(request), **debar_form.cleaned_data)
            except DomainError as exc:
                debar_form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(name)s is debarred.") % {"name": supplier.name})
                return redirect("suppliers:verification", pk=supplier.pk)
    return render(
        request,
        "suppliers/verification.html",
        {
            "supplier": supplier,
            "rows": _with_expiry(supplier.qualifications.all()),
            "reject_form": reject_form,
            "debar_form": debar_form,
            "instance": verification_instance(supplier),
            "may_debar": user_is_platform_admin(user=_user(request)),
            "debarments": supplier.debarments.all(),
        },
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Public: anyone may look a supplier up by name or credit code and see its status and debarments."""
    query = request.GET.get("q", "").strip()
    now = clock.now()
    results = []
    if query:
        for supplier in selectors.supplier_public_search(query=query)[:50]:
            results.append((supplier, selectors.debarment_active(supplier=supplier, at=now)))
    return render(
        request,
        "suppliers/lookup.html",
        {
            "query": query,
            "results": results,
            "debarments": selectors.debarments_public(at=now),
        },
    )
