"""Where people land and what the portal's navigation offers them (issue #20): a citizen signing in
lands in 个人中心, not on the account page that says they hold no role; department staff see the
applications awaiting acceptance in the navigation."""

from functools import cached_property
from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import cache_control

from accounts.models import User
from accounts.selectors import memberships_of
from portal.constants import ApplicationStatus
from portal.selectors import staff_departments, staff_queue


@login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands (LOGIN_REDIRECT_URL): people without a role in any organisation (citizens,
    most enterprise users) go to their personal centre; everyone else to the account page with
    their roles."""
    if memberships_of(user=cast(User, request.user)).exists():
        return redirect("accounts:home")
    return redirect("portal:my")


class PortalNavigation:
    """What the navigation shows the signed-in person, read only when a page shows the navigation."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = getattr(request, "user", None)

    @cached_property
    def is_staff(self) -> bool:
        return bool(self.user and self.user.is_authenticated and staff_departments(user=self.user).exists())

    @cached_property
    def awaiting_acceptance(self) -> int:
        if not self.is_staff:
            return 0
        return staff_queue(user=cast(User, self.user)).filter(status=ApplicationStatus.SUBMITTED).count()

    @property
    def awaiting_status(self) -> str:
        return ApplicationStatus.SUBMITTED


def navigation(request: HttpRequest) -> dict[str, object]:
    return {"portal_nav": PortalNavigation(request)}


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on every site whatever the page links (a 404 before)."""
    path = finders.find("portal/favicon.ico")
    if not path:
        raise Http404()
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/x-icon")
