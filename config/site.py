"""The site's own address, for links that leave the page: mail, QR codes, the OIDC demo (README,
"The site's address"). While a request is served it is the address that request came to
(`request.build_absolute_uri`, so another host or port just works, and the host is one
ALLOWED_HOSTS accepts); with no request (Celery mail, the demo loader) it is `settings.SITE_URL`
(YIZHAN_SITE_URL). Work queued during a request takes the request's address along
(`site_url()` as a task argument, `site_address(...)` in the task)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current: ContextVar[str | None] = ContextVar("yizhan_site_url", default=None)


def site_url() -> str:
    """The scheme, host and port of the request being served, else SITE_URL; no trailing slash."""
    return (_current.get() or settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` ("/info/…") as a full address on this site; a full address is returned unchanged."""
    if "://" in path:
        return path
    return site_url() + "/" + path.lstrip("/")


@contextmanager
def site_address(url: str | None) -> Iterator[None]:
    """Use `url` as the site's address inside the block (a task queued by a request); None keeps SITE_URL."""
    token = _current.set(url.rstrip("/") if url else None)
    try:
        yield
    finally:
        _current.reset(token)


class SiteAddressMiddleware:
    """Remembers the address of the request being served, for `site_url()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with site_address(request.build_absolute_uri("/")):
            return self.get_response(request)
