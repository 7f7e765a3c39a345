"""Request bodies the API accepts: every DRF parser reads at most a bounded number of bytes, and JSON
is refused past a nesting depth, so no body can exhaust memory or Python's recursion limit.

DRF reads `request.stream` itself and so bypasses Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`; the
limits here are the API's own (`API_MAX_JSON_BYTES`, `API_MAX_JSON_DEPTH`, `API_MAX_FORM_BYTES`,
`UPLOAD_MAX_BYTES` for multipart). Each refusal is a `DomainError` with a message in the user's
language: 413 for a body too large, 400 for one nested too deeply. They are DRF `APIException`s,
not `DomainError`s, because DRF imports this module while `config.exceptions` is still loading.
`config.exceptions.api_exception_handler` renders them as `{"code", "message"}`."""

import json
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"


class RequestMalformed(exceptions.APIException):
    status_code = 400
    default_code = "malformed_request"


def _too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(
        _("The request body is larger than the %(limit)s bytes this address accepts.") % {"limit": limit}
    )


def declared_length(parser_context: dict[str, Any] | None) -> int | None:
    request = (parser_context or {}).get("request")
    if request is None:
        return None
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return None


def read_limited(stream: Any, limit: int, parser_context: dict[str, Any] | None = None) -> bytes:
    """The whole body, or RequestTooLarge once it passes `limit` bytes (judged from Content-Length
    first, so an honest client's oversized body is refused without being read)."""
    declared = declared_length(parser_context)
    if declared is not None and declared > limit:
        raise _too_large(limit)
    if stream is None:
        return b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed document (a scalar is 0), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in children)
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_loads_limited(body: bytes, *, max_depth: int) -> Any:
    """Parse strict JSON (no NaN/Infinity), refusing documents nested deeper than `max_depth`."""
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:
        document = None
        too_deep = True
    except (UnicodeDecodeError, ValueError) as exc:
        raise RequestMalformed(_("The request body is not valid JSON.")) from exc
    else:
        too_deep = json_depth(document) > max_depth
    if too_deep:
        raise RequestMalformed(
            _("The request body nests arrays or objects more than %(limit)d levels deep.")
            % {"limit": max_depth},
            code="json_too_deep",
        )
    return document


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream, settings.API_MAX_JSON_BYTES, parser_context)
        return json_loads_limited(body, max_depth=settings.API_MAX_JSON_DEPTH)


class LimitedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream, settings.API_MAX_FORM_BYTES, parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        return QueryDict(body, encoding=encoding)


class LimitedMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies carry files: the whole body may be one largest upload plus the form fields.
    Each file is then checked on its own by `config.uploads` (size, type by content, count)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.UPLOAD_MAX_BYTES + settings.API_MAX_FORM_BYTES
        declared = declared_length(parser_context)
        if declared is not None and declared > limit:
            raise _too_large(limit)
        return super().parse(stream, media_type, parser_context)
