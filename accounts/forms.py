from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.constants import AccountKind
from accounts.http import client_address  # noqa: F401 - public here too (evaluation imports it)
from accounts.throttling import (
    login_failure_record,
    login_failures_clear,
    login_throttle_check,
    sign_in_client,
)


class ThrottledSignInMixin:
    """Judge each attempt by its recent failures (accounts/throttling.py) before checking the
    password; record a failure, or forget this client's failures after a success."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        client = sign_in_client(self.request, username=username)
        login_throttle_check(username=username, client=client)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, client=client)
            raise
        login_failures_clear(username=username, client=client)
        return cleaned


class ThrottledAuthenticationForm(ThrottledSignInMixin, AuthenticationForm):
    """The sign-in page's form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
    }


class ThrottledAdminAuthenticationForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The Django admin's sign-in form, behind the same rules (accounts/admin.py installs it)."""


class RegistrationForm(forms.Form):
    account_kind = forms.ChoiceField(
        label=_("Account kind"),
        choices=[
            (AccountKind.CITIZEN, AccountKind.CITIZEN.label),
            (AccountKind.ENTERPRISE, AccountKind.ENTERPRISE.label),
        ],
        widget=forms.RadioSelect,
    )
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^1[3-9]\d{9}\Z",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class AuditSearchForm(forms.Form):
    operator = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Part of the action, e.g. publish or sign_in."),
    )
    address = forms.GenericIPAddressField(label=_("Network address"), required=False)
    since = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    until = forms.DateField(label=_("Until (YYYY-MM-DD)"), required=False)
