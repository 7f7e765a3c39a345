"""Requests whose user is signed in, for the type checker: a view behind `login_required` (or a
DRF view behind `IsAuthenticated`) annotates its request with one of these, so `request.user` is
a `User` rather than `User | AnonymousUser`. An annotation only: the decorator or permission is
what makes it true, so use these on such views and nowhere else."""

from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User


def client_address(request: HttpRequest) -> str | None:
    """The client's network address: REMOTE_ADDR, which config/proxies.py has already set from a
    trusted proxy's X-Forwarded-For where there is one."""
    return request.META.get("REMOTE_ADDR") or None
