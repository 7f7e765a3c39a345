"""What every WebSocket consumer shares: a frame is read only if it is JSON text within the API's
size and depth limits and is an object with a string "type"; anything else gets an `error` event
in the user's language and the connection stays open (a bad frame is the client's mistake, not a
server error: nothing is logged as one). Consumers subclass `JsonFrameConsumer` and handle the
requests they know in `receive_json`; the default answers that this connection takes none."""

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from config.language import browser_preference_ignored
from config.parsers import RequestMalformed, json_loads_limited


def scope_language(scope: dict[str, Any]) -> str:
    """The language the page's own requests get (config/language.py): the language cookie, else the
    default; the browser's Accept-Language only on the API's paths."""
    request = HttpRequest()
    request.COOKIES = dict(scope.get("cookies") or {})
    if not browser_preference_ignored(scope.get("path", "")):
        headers = dict(scope.get("headers") or [])
        request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", b"").decode("latin-1")
    return translation.get_language_from_request(request)


class JsonFrameConsumer(AsyncJsonWebsocketConsumer):
    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        with translation.override(scope_language(self.scope)):
            content = await self._frame(text_data)
            if content is not None:
                await self.receive_json(content, **kwargs)

    async def _frame(self, text_data: str | None) -> dict[str, Any] | None:
        """The frame as a JSON object with a "type", or None after telling the client why not."""
        if text_data is None:
            await self.send_error(
                code="malformed_frame", message=_("Send messages as JSON text, not binary.")
            )
            return None
        encoded = text_data.encode("utf-8", "replace")
        if len(encoded) > settings.API_MAX_JSON_BYTES:
            await self.send_error(
                code="frame_too_large",
                message=_("A message may be at most %(limit)d bytes.")
                % {"limit": settings.API_MAX_JSON_BYTES},
            )
            return None
        try:
            content = json_loads_limited(encoded, max_depth=settings.API_MAX_JSON_DEPTH)
        except RequestMalformed as exc:
            await self.send_error(code=exc.get_codes(), message=str(exc.detail))
            return None
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error(
                code="malformed_frame", message=_('A message must be a JSON object with a "type" text.')
            )
            return None
        return content

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        await self.send_error(
            code="unknown_request",
            message=_("This connection only sends updates; it takes no requests."),
            request=content.get("type"),
            id=content.get("id"),
        )

    async def send_error(self, *, code: Any, message: str, request: Any = None, id: Any = None) -> None:  # noqa: A002
        await self.send_json(
            {"type": "error", "request": request, "code": code, "message": message, "id": id}
        )
