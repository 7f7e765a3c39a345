"""Over-long request lines reaching Daphne: a 45 KB query string gets a 414 answer and a too-long
header line a 431, instead of a connection closed without a word (config/http_limits.py)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def daphne_port() -> Iterator[int]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "Daphne did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def _exchange(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_45_kb_query_string_is_answered_414(daphne_port):
    answer = _exchange(
        daphne_port, b"GET /notices/?q=" + b"x" * 45_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 414 URI Too Long\r\n")
    assert "请求地址或请求头过长".encode() in answer and b"too long" in answer


def test_too_long_header_line_is_answered_431(daphne_port):
    answer = _exchange(
        daphne_port, b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + b"y" * 20_000 + b"\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
