"""Reactions to Django's own authentication signals (connected in AccountsConfig.ready)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

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
