"""Reactions to Django's own authentication signals (connected in AccountsConfig.ready)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.audit import audit_record
from accounts.second_factor import SESSION_FLAG
from accounts.sessions import LAST_SEEN_KEY, PRIVILEGED_KEY
from accounts.throttling import known_device_mark


@receiver(user_logged_in, dispatch_uid="accounts.known_device_on_sign_in")
def known_device_on_sign_in(sender, request, user, **kwargs) -> None:
    """Every successful sign-in (site, admin) makes this browser a known device for the account."""
    if request is not None:
        known_device_mark(request, username=user.get_username())
        # A password alone never carries over a second factor given earlier in this session.
        if hasattr(request, "session"):
            for key in (SESSION_FLAG, LAST_SEEN_KEY, PRIVILEGED_KEY):
                request.session.pop(key, None)


def _address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    # Only a real request: test clients' force_login signs in with an empty stand-in request.
    if request is not None and request.META.get("SERVER_NAME"):
        audit_record(action="sign_in", operator=user, address=_address(request), path=request.path)


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        audit_record(
            action="sign_in_failed",
            operator=None,
            operator_name=str(credentials.get("username", "")),
            address=_address(request),
            path=request.path,
        )


@receiver(user_logged_out, dispatch_uid="accounts.audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs) -> None:
    if request is not None and user is not None:
        audit_record(action="sign_out", operator=user, address=_address(request), path=request.path)
