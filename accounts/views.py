from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import AuditFilters, audit_search, user_may_read_audit
from accounts.forms import AuditSearchForm, RegistrationForm, SecondFactorForm, ThrottledAuthenticationForm
from accounts.http import AuthenticatedHttpRequest
from accounts.second_factor import (
    recovery_codes_replace,
    second_factor_enrolled,
    second_factor_required,
    second_factor_verify,
    session_second_factor_verified,
    totp_enrolment_confirm,
    totp_enrolment_pending,
    totp_enrolment_start,
)
from accounts.selectors import memberships_of
from accounts.services import user_register
from accounts.throttling import password_reset_allow
from config.exceptions import DomainError


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with a limit on mails per mailbox and per client (accounts/throttling.py)."""

    def form_valid(self, form):
        password_reset_allow(email=form.cleaned_data["email"], address=self.request.META.get("REMOTE_ADDR"))
        return super().form_valid(form)


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                account_kind=data["account_kind"],
            )
        except DomainError as exc:
            field = "username" if exc.code == "username_taken" else "password1"
            form.add_error(field, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created."))
            return redirect("accounts:home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "memberships": memberships_of(user=request.user),
        "second_factor_enrolled": second_factor_enrolled(user=request.user),
    }
    return render(request, "accounts/home.html", context)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/accounts/me/"


@login_required
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: the authenticator code (or a recovery code)."""
    if session_second_factor_verified(request) or not second_factor_required(user=request.user):
        return redirect(_next_url(request))
    if not second_factor_enrolled(user=request.user):
        return redirect(
            f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or was already used. Wait for a new code and try again."))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def second_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app (QR code and secret), then show the recovery codes once. Someone
    who already has one must confirm with it first: a password alone never replaces a device."""
    if second_factor_enrolled(user=request.user) and not session_second_factor_verified(request):
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_enrolment_confirm(request=request, code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("The code does not match. Check the time on your phone and try again."))
    enrolment = totp_enrolment_pending(user=request.user) or totp_enrolment_start(user=request.user)
    qr_svg = segno.make(enrolment.device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    context = {"form": form, "secret": enrolment.secret, "qr_svg": qr_svg, "next": _next_url(request)}
    return render(request, "accounts/second_factor_setup.html", context)


@require_POST
@login_required
def recovery_codes_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); only for a session that gave its code."""
    if not second_factor_enrolled(user=request.user) or not session_second_factor_verified(request):
        return redirect("accounts:second_factor")
    codes = recovery_codes_replace(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/me/"})


@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit log for supervisors and platform administrators, newest first, with filters."""
    if not user_may_read_audit(user=request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    page = Paginator(audit_search(filters=filters).select_related("operator"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "accounts/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
