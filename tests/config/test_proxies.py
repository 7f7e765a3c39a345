"""The client's address behind reverse proxies: X-Forwarded-For only from a trusted proxy."""

import asyncio

from config.asgi import application
from config.proxies import TrustedProxyMiddleware


def seen_client(*, peer: str, forwarded_for: str | None, trusted: list[str]) -> str:
    seen = {}

    async def inner(scope, receive, send):
        seen["client"] = scope["client"][0]

    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for is not None else []
    scope = {"type": "http", "client": (peer, 50000), "headers": headers}
    asyncio.run(TrustedProxyMiddleware(inner, trusted=trusted)(scope, None, None))
    return seen["client"]


def test_a_trusted_proxy_forwards_the_real_client_address():
    assert (
        seen_client(peer="10.0.0.5", forwarded_for="198.51.100.7", trusted=["10.0.0.0/8"]) == "198.51.100.7"
    )


def test_a_client_cannot_choose_its_address_through_a_trusted_proxy():
    # The proxy appends what it saw; whatever the client wrote itself stands to the left.
    forwarded = "1.2.3.4, 198.51.100.7"
    assert seen_client(peer="10.0.0.5", forwarded_for=forwarded, trusted=["10.0.0.5"]) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    forwarded = "198.51.100.7, 10.0.0.9"
    assert seen_client(peer="10.0.0.5", forwarded_for=forwarded, trusted=["10.0.0.0/8"]) == "198.51.100.7"


def test_the_header_is_ignored_from_anyone_else():
    assert seen_client(peer="203.0.113.9", forwarded_for="10.1.1.1", trusted=["10.0.0.0/8"]) == "203.0.113.9"
    assert seen_client(peer="10.0.0.5", forwarded_for="1.2.3.4", trusted=[]) == "10.0.0.5"


def test_a_malformed_header_leaves_the_proxy_address():
    assert seen_client(peer="10.0.0.5", forwarded_for="not-an-ip", trusted=["10.0.0.5"]) == "10.0.0.5"


def test_the_served_application_applies_the_rule():
    assert isinstance(application, TrustedProxyMiddleware)
