"""Failed sign-in throttling and known devices: slow a guesser down, never lock a known user out.
Also the limit on password-reset mails.

Every failure is recorded with the account name, the client's address and, when the browser carries
a valid known-device cookie for that account, the device. An attempt is judged by the scopes it
belongs to: from a known device, by that device's own failures only; otherwise by the account's
failures from unknown clients and by the address's failures. In each scope the first few failures
are free, after that the next attempt must wait an exponentially growing delay after the last
failure (capped). Nothing is ever locked: a delay passes, and a user signing in from a browser
where they signed in before is not slowed by anyone else's guessing (OWASP "device cookies")."""

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.exceptions import LoginThrottled, PasswordResetThrottled
from accounts.http import client_address
from accounts.models import LoginFailure, PasswordResetRequest
from config import clock

_DEVICE_SALT = "accounts.known-device"


@dataclass(frozen=True)
class SignInClient:
    """Where an attempt comes from: the client's address and the known device, if any."""

    address: str | None
    device: str  # the nonce of a valid known-device cookie for the attempted account, or ""


def sign_in_client(request: HttpRequest | None, *, username: str) -> SignInClient:
    if request is None:
        return SignInClient(address=None, device="")
    return SignInClient(
        address=client_address(request),
        device=known_device_of(request, username=username),
    )


def _wait_seconds(failures: QuerySet[LoginFailure], *, free: int) -> int:
    """Seconds the next attempt in this scope must still wait (0: it may go ahead)."""
    summary = failures.aggregate(count=Count("id"), last=Max("at"))
    over = summary["count"] - free
    if over < 0:
        return 0
    delay = min(
        settings.LOGIN_THROTTLE_BASE_DELAY_SECONDS * 2**over, settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS
    )
    remaining = (summary["last"] + timedelta(seconds=delay) - clock.now()).total_seconds()
    return max(0, math.ceil(remaining))


def login_throttle_check(*, username: str, client: SignInClient) -> None:
    """Raise `LoginThrottled` when this attempt comes too soon after the failures in its scopes."""
    recent = LoginFailure.objects.filter(
        at__gte=clock.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    )
    free = settings.LOGIN_THROTTLE_FREE_FAILURES
    if client.device:
        waits = [_wait_seconds(recent.filter(device=client.device), free=free)]
    else:
        waits = [_wait_seconds(recent.filter(username__iexact=username, device=""), free=free)]
        if client.address:
            waits.append(
                _wait_seconds(
                    recent.filter(address=client.address), free=settings.LOGIN_THROTTLE_ADDRESS_FREE_FAILURES
                )
            )
    wait = max(waits)
    if wait:
        raise LoginThrottled(wait_seconds=wait)


def login_failure_record(*, username: str, client: SignInClient) -> None:
    LoginFailure.objects.create(
        username=username[:150], address=client.address, device=client.device, at=clock.now()
    )


def login_failures_clear(*, username: str, client: SignInClient) -> None:
    """After a success: forget the failures this client made on this account (the device's, or the
    address's unknown-client ones), not those anyone else made on it."""
    mine = LoginFailure.objects.filter(username__iexact=username)
    if client.device:
        mine.filter(device=client.device).delete()
    else:
        mine.filter(device="", address=client.address).delete()


def known_device_of(request: HttpRequest, *, username: str) -> str:
    """The device nonce from the request's known-device cookie when it was issued for `username`."""
    value = request.COOKIES.get(settings.KNOWN_DEVICE_COOKIE_NAME)
    if not value or not username:
        return ""
    try:
        payload = signing.loads(value, salt=_DEVICE_SALT, max_age=settings.KNOWN_DEVICE_COOKIE_AGE_SECONDS)
    except signing.BadSignature:
        return ""
    if not isinstance(payload, dict) or str(payload.get("u", "")).lower() != username.lower():
        return ""
    return str(payload.get("d", ""))[:32]


def known_device_mark(request: HttpRequest, *, username: str) -> None:
    """Ask `KnownDeviceMiddleware` to give this browser a fresh known-device cookie for `username`
    (called on every successful sign-in, by the page form and the admin's alike)."""
    request.known_device_for = username  # type: ignore[attr-defined]


class KnownDeviceMiddleware:
    """Sets the cookie `known_device_mark` asked for on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        username = getattr(request, "known_device_for", None)
        if username:
            value = signing.dumps({"u": username.lower(), "d": secrets.token_hex(16)}, salt=_DEVICE_SALT)
            response.set_cookie(
                settings.KNOWN_DEVICE_COOKIE_NAME,
                value,
                max_age=settings.KNOWN_DEVICE_COOKIE_AGE_SECONDS,
                secure=settings.KNOWN_DEVICE_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def password_reset_allow(*, email: str, address: str | None) -> None:
    """Record a password-reset request, or refuse it when this mailbox or this client already asked
    for too many within the hour (whether or not the mailbox belongs to an account: the answer must
    not tell)."""
    recent = PasswordResetRequest.objects.filter(at__gte=clock.now() - timedelta(hours=1))
    if recent.filter(email__iexact=email).count() >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL:
        raise PasswordResetThrottled()
    if address and recent.filter(address=address).count() >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        raise PasswordResetThrottled()
    PasswordResetRequest.objects.create(email=email, address=address, at=clock.now())
