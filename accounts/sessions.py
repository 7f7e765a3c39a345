"""Sessions that end after inactivity: a signed-in session unused for longer than its limit is
signed out at its next request (sooner for roles that need a second factor, whose sessions can do
more harm when a screen is left unlocked)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.second_factor import second_factor_required
from config import clock

LAST_SEEN_KEY = "last_seen"
PRIVILEGED_KEY = "privileged"
_RESAVE_AFTER_SECONDS = 60  # not a session write on every request


def session_idle_limit(request: HttpRequest) -> int:
    if PRIVILEGED_KEY not in request.session:
        request.session[PRIVILEGED_KEY] = second_factor_required(user=request.user)
    if request.session[PRIVILEGED_KEY]:
        return settings.SESSION_IDLE_PRIVILEGED_SECONDS
    return settings.SESSION_IDLE_SECONDS


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > session_idle_limit(request):
                logout(request)
                messages.info(
                    request, _("You were signed out after a period of inactivity. Please sign in again.")
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: the API answers for itself
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen > _RESAVE_AFTER_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
