"""When a finalize arrived, and which finalizes are still being checked (issue 21, "the deadline
rush"). A bid is in time when the last byte of its finalize request reached the server before the
deadline (RULES.md: "not fully transmitted by the deadline" is the only way to miss it), however
long the platform then takes to verify it.

Two things are kept here, both before any heavy work:

- the **time of receipt**, read from the one clock when the request body is complete: by
  `FinalizeArrivalMiddleware` in the ASGI stack (the moment the server hands over the last body
  message), or by the view itself when there is no ASGI layer (the test client, WSGI);
- an **arrival marker** per finalize in flight, a small file under `VAR_DIR/bids-arriving/`
  holding the bid id and its time of receipt, from receipt until the finalize has committed or been
  refused. The seal (`bidding.services.seal`) waits while a marker of the tender received before
  the deadline exists, up to `FINALIZE_GRACE` after the deadline; a marker left by a killed process
  therefore delays the seal by the grace at most. Files, not rows: a marker must exist the moment
  the last byte is in, from the event loop, without waiting for a database connection in the
  (possibly long) queue of synchronous work that a rush builds up."""

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from config import clock

FINALIZE_PATH = re.compile(r"^/api/bidding/uploads/(?P<bid>[0-9a-f-]{36})/finalize/$")
SCOPE_KEY = "yizhan.received_at"


def _marker_directory() -> Path:
    return Path(settings.VAR_DIR) / "bids-arriving"


def marker_create(*, bid: str, received_at: dt.datetime) -> Path:
    """Note that a finalize of `bid` received at `received_at` is being checked. Not fsynced: a marker
    only needs to outlive its request, and a crash ends the request (its bid was not accepted)."""
    directory = _marker_directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{bid}.{uuid.uuid4().hex}"
    path.write_text(received_at.isoformat(), encoding="ascii")
    return path


def marker_remove(path: Path) -> None:
    path.unlink(missing_ok=True)


@contextmanager
def finalize_arrival(*, bid: str, received_at: dt.datetime | None) -> Iterator[dt.datetime]:
    """The time of receipt of a finalize of `bid` (stamped now when no ASGI layer stamped it), with
    an arrival marker held for the duration when none is held by the middleware."""
    if received_at is not None:  # the middleware holds the marker
        yield received_at
        return
    received_at = clock.now()
    path = marker_create(bid=bid, received_at=received_at)
    try:
        yield received_at
    finally:
        marker_remove(path)


def finalizes_arriving() -> list[tuple[str, dt.datetime]]:
    """(bid, time of receipt) of every finalize still being checked, on this machine's VAR_DIR."""
    directory = _marker_directory()
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    arriving = []
    for name in names:
        try:
            stamp = (directory / name).read_text(encoding="ascii")
            arriving.append((name.split(".", 1)[0], dt.datetime.fromisoformat(stamp)))
        except (OSError, ValueError):  # removed meanwhile, or half written: its request is still running
            continue
    return arriving


class FinalizeArrivalMiddleware:
    """ASGI middleware: stamps a finalize request's time of receipt (the one clock, read when the
    server hands over the body's last message) into the scope, where the view reads it, and holds
    its arrival marker until the response has been sent."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        match = FINALIZE_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        marker: list[Path] = []

        async def stamped_receive():
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False) and not marker:
                received_at = clock.now()
                scope[SCOPE_KEY] = received_at
                marker.append(marker_create(bid=match["bid"], received_at=received_at))
            return message

        try:
            return await self.app(scope, stamped_receive, send)
        finally:
            for path in marker:
                marker_remove(path)
