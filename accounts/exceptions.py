from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError


class LoginThrottled(DomainError):
    status_code = 429
    code = "login_throttled"

    def __init__(self) -> None:
        super().__init__(_("Too many failed sign-in attempts. Please try again in 15 minutes."))
