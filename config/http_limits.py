"""Daphne's HTTP side (Twisted's `HTTPChannel`) answers an over-long request line by closing the
connection without a word: Twisted's `LineReceiver.lineLengthExceeded` drops the transport once a
line passes 16 KiB (a 45 KB query string, say). Here it answers first, 414 URI Too Long for the
request line and 431 for a header line, in both languages (no request was parsed, so there is no
language to choose), then closes. Longer lines are still not accepted: the limit stays Twisted's.

Installed from `config.asgi`, which Daphne imports before it serves."""

_BODY = "请求地址或请求头过长。/ The request line or a header is too long.\n".encode()


def _answer(status: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: " + str(len(_BODY)).encode() + b"\r\n"
        b"Connection: close\r\n\r\n" + _BODY
    )


def _line_length_exceeded(self, line: bytes) -> None:
    # `__first_line` (name-mangled) is true until the request line has been read.
    on_request_line = bool(getattr(self, "_HTTPChannel__first_line", 0))
    self.transport.write(
        _answer(b"414 URI Too Long" if on_request_line else b"431 Request Header Fields Too Large")
    )
    self.loseConnection()


def install() -> None:
    """Make Twisted's HTTP channel answer over-long lines instead of dropping the connection."""
    try:
        from twisted.web import http
    except ImportError:  # not served by Daphne
        return
    http.HTTPChannel.lineLengthExceeded = _line_length_exceeded
