"""The client's real network address behind reverse proxies, for HTTP and WebSockets alike.

Daphne's own `--proxy-headers` believes the left-most X-Forwarded-For address from any peer, so a
client could name its own address (and dodge per-address sign-in throttling, or write a false address
into the audit log). Here the header counts only when the peer is one of `TRUSTED_PROXIES`, and the
client is the right-most forwarded address that is not itself a trusted proxy: the one the outermost
trusted proxy actually saw."""

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address_from(
    *, peer: str | None, forwarded_for: str | None, networks: list[Network]
) -> str | None:
    """The client's address given the TCP peer and its X-Forwarded-For header (None when unknown)."""
    if peer is None or not forwarded_for or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed hop: believe nothing the chain says beyond the proxy itself
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer  # every hop is a trusted proxy: the first is the origin


class TrustedProxyMiddleware:
    """ASGI middleware: rewrites `scope["client"]` (Django's REMOTE_ADDR, Channels' client) from
    X-Forwarded-For when, and only when, the connection comes from a trusted proxy."""

    def __init__(self, app: Any, trusted: Iterable[str] | None = None) -> None:
        self.app = app
        self.networks = trusted_networks(settings.TRUSTED_PROXIES if trusted is None else trusted)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        if scope.get("type") in ("http", "websocket") and self.networks and scope.get("client"):
            forwarded = b",".join(
                value for name, value in scope.get("headers", []) if name.lower() == b"x-forwarded-for"
            )
            peer = scope["client"][0]
            address = client_address_from(
                peer=peer, forwarded_for=forwarded.decode("latin-1"), networks=self.networks
            )
            if address != peer:
                scope = {**scope, "client": (address, 0)}
        return await self.app(scope, receive, send)
