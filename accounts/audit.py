"""The audit log: who did what, from which network address, when (EBM, supervision chapter).

`AuditMiddleware` records every change a signed-in person makes (any POST, PUT, PATCH or DELETE that
reached a view) and every read of a URL named in `settings.AUDITED_READS` (decrypted bids, an
application's attachments, private documents, the audit log itself); the sign-in signals record
signing in, failing to, and signing out. Entries are only ever added. Supervisors and platform
administrators search them (`audit_search`, the page at /accounts/audit/)."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import AuditEntry, User
from accounts.selectors import user_has_role, user_is_platform_admin
from config import clock

_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
_SIGN_IN_OUT = {
    "accounts:login",
    "accounts:logout",
    "admin:login",
    "admin:logout",
}  # the signals record these


def audit_record(
    *,
    action: str,
    operator: User | None,
    operator_name: str = "",
    address: str | None,
    path: str = "",
    status: int | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=clock.now(),
        operator=operator if operator is not None and operator.is_authenticated else None,
        operator_name=(
            operator.get_username() if operator is not None and operator.is_authenticated else operator_name
        )[:150],
        address=address,
        action=action[:100],
        path=path[:500],
        status=status,
    )


def user_may_read_audit(*, user: User) -> bool:
    return user.is_authenticated and (
        user_is_platform_admin(user=user) or user_has_role(user=user, role=Role.SUPERVISOR)
    )


@dataclass(frozen=True)
class AuditFilters:
    operator: str = ""
    action: str = ""
    address: str = ""
    since: date | None = None
    until: date | None = None


def audit_search(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.operator:
        entries = entries.filter(operator_name__iexact=filters.operator)
    if filters.action:
        entries = entries.filter(action__icontains=filters.action)
    if filters.address:
        entries = entries.filter(address=filters.address)
    zone = timezone.get_current_timezone()
    if filters.since:
        entries = entries.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        entries = entries.filter(at__lte=datetime.combine(filters.until, time.max, tzinfo=zone))
    return entries


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None:
            return response  # no view was reached (404 before resolving, static files)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        changed = request.method in _CHANGES and signed_in and match.view_name not in _SIGN_IN_OUT
        if changed or match.view_name in settings.AUDITED_READS:
            audit_record(
                action=f"{request.method} {match.view_name}",
                operator=user if signed_in else None,
                address=request.META.get("REMOTE_ADDR") or None,
                path=request.path,
                status=response.status_code,
            )
        return response
