"""The second factor (TOTP, with one-time recovery codes) that privileged people must give after
their password: procurement officers, approvers, key custodians, evaluation experts, department
staff and administrators. Devices are django-otp's; a session that gave a valid code carries
`SESSION_FLAG`, and `SecondFactorMiddleware` sends any other privileged session to give one
(or to enrol first) before it reaches anything else."""

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import user_roles

SESSION_FLAG = "otp_verified"
RECOVERY_CODE_COUNT = 10
ROLES_NEEDING_SECOND_FACTOR: frozenset[str] = frozenset(
    {
        Role.PROCUREMENT_OFFICER,
        Role.APPROVER,
        Role.KEY_CUSTODIAN,
        Role.EVALUATION_EXPERT,
        Role.DEPARTMENT_STAFF,
        Role.PLATFORM_ADMIN,
    }
)


def second_factor_required(*, user: User) -> bool:
    """True for administrators (Django staff) and anyone holding a privileged role."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(user_roles(user=user) & ROLES_NEEDING_SECOND_FACTOR)


def second_factor_enrolled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_second_factor_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_FLAG))


def second_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (an authenticator code, or a recovery code, which is then used
    up), or None. Wrong codes are throttled per device by django-otp (each failure doubles the wait)."""
    code = "".join(code.split())
    for device in [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]:
        with transaction.atomic():
            if device.verify_token(code):
                return device
    return None


def second_factor_verify(*, request: HttpRequest, code: str) -> bool:
    """Before: `request.user` signed in with their password and has an enrolled device.
    After, when the code is right: the session is marked verified."""
    device = second_factor_check(user=request.user, code=code)
    if device is None:
        return False
    otp_login(request, device)
    request.session[SESSION_FLAG] = True
    return True


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice

    @property
    def secret(self) -> str:
        return b32encode(self.device.bin_key).decode()


def totp_enrolment_start(*, user: User) -> Enrolment:
    """A new, unconfirmed authenticator for `user` (replacing an earlier unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return Enrolment(TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False))


def totp_enrolment_pending(*, user: User) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return Enrolment(device) if device else None


@transaction.atomic
def totp_enrolment_confirm(*, request: HttpRequest, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code it shows; returns fresh recovery codes.

    Before: `totp_enrolment_start` made a pending device for `request.user`.
    After, when the code is right: that device is the user's only authenticator, the recovery codes
    are replaced by new ones (returned to show once), and the session is verified."""
    user = request.user
    pending = totp_enrolment_pending(user=user)
    if pending is None or not pending.device.verify_token("".join(code.split())):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    pending.device.confirmed = True
    pending.device.save(update_fields=["confirmed"])
    codes = recovery_codes_replace(user=user)
    otp_login(request, pending.device)
    request.session[SESSION_FLAG] = True
    return codes


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """New one-time recovery codes for `user`; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _exempt(path: str) -> bool:
    prefixes = [
        reverse("accounts:second_factor"),
        reverse("accounts:second_factor_setup"),
        reverse("accounts:logout"),
        reverse("set_language"),
        settings.STATIC_URL,
    ]
    return any(path.startswith(prefix) for prefix in prefixes)


class SecondFactorMiddleware:
    """A privileged user's session reaches nothing but the second-factor pages (and sign-out) until
    it gave a code; the API answers 403 with code `second_factor_required`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not session_second_factor_verified(request)
            and not _exempt(request.path)
            and second_factor_required(user=user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": _("Confirm your sign-in with your authenticator code first."),
                    },
                    status=403,
                )
            return redirect(
                f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


def _websocket_needs_code(scope: dict) -> bool:
    user = scope.get("user")
    session = scope.get("session")
    if user is None or not user.is_authenticated:
        return False
    return not (session is not None and session.get(SESSION_FLAG)) and second_factor_required(user=user)


class SecondFactorWebsocketMiddleware:
    """Channels: a privileged session that has not given its code connects as anonymous, so live
    pages (the opening room, approvals) hold to the same rule as HTTP. Inside AuthMiddlewareStack."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if await database_sync_to_async(_websocket_needs_code)(scope):
            scope = {**scope, "user": AnonymousUser()}
        return await self.app(scope, receive, send)
