"""Domain errors and the one place that turns them (and DRF's errors) into answers.

Every app's `exceptions.py` subclasses `DomainError`; a service raises it with a message in the
user's language (lazy translation), and nothing else needs to catch it: the API gets
`{"code", "message"}` JSON here, pages get `config.middleware.DomainErrorMiddleware`."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A refusal a user can act on. `code` is stable for clients; `message` is for people."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: Any = None, *, code: str | None = None, **params: Any) -> None:
        self.message = message if message is not None else gettext_lazy("The request was refused.")
        if code:
            self.code = code
        self.params = params
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(DomainError):
    """The user is known but may not do this (roles, organisation, ownership)."""

    status_code = 403
    code = "not_allowed"


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The state or the clock forbids this now (deadline passed, wrong state, duplicate)."""

    status_code = 409
    code = "conflict"


def _body(code: str, message: Any, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": str(message), **extra}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.message), status=exc.status_code)
    if isinstance(exc, Http404):
        return Response(_body("not_found", _("Not found.")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(_body("not_allowed", _("You do not have permission to do this.")), status=403)
    if isinstance(exc, drf_exceptions.ParseError):
        return Response(_body("malformed_request", _("The request body is not valid JSON.")), status=400)
    if isinstance(exc, drf_exceptions.ValidationError):
        return Response(
            _body("invalid", _("Some fields are missing or invalid."), fields=exc.detail), status=400
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, drf_exceptions.APIException):
        codes = exc.get_codes()
        detail = exc.detail if isinstance(exc.detail, str) else response.data.get("detail", exc.detail)
        response.data = _body(codes if isinstance(codes, str) else str(exc.default_code), detail)
    return response
