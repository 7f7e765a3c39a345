from django.utils.translation import gettext_lazy, ngettext

from config.exceptions import DomainError


class LoginThrottled(DomainError):
    """Too many recent failures: this attempt must wait; nothing is locked."""

    status_code = 429
    code = "login_throttled"

    def __init__(self, *, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        minutes = (wait_seconds + 59) // 60
        if wait_seconds < 60:
            message = ngettext(
                "Too many failed sign-in attempts. Please wait %(count)d second before trying again.",
                "Too many failed sign-in attempts. Please wait %(count)d seconds before trying again.",
                wait_seconds,
            ) % {"count": wait_seconds}
        else:
            message = ngettext(
                "Too many failed sign-in attempts. Please wait %(count)d minute before trying again.",
                "Too many failed sign-in attempts. Please wait %(count)d minutes before trying again.",
                minutes,
            ) % {"count": minutes}
        super().__init__(message)


class PasswordResetThrottled(DomainError):
    status_code = 429
    code = "password_reset_throttled"

    def __init__(self) -> None:
        super().__init__(
            gettext_lazy(
                "Too many password-reset requests. Please check your mailbox, or try again in an hour."
            )
        )
