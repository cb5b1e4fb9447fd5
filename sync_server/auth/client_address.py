"""The client's address as the server should believe it: the peer's, unless the peer is a
configured reverse proxy (``FIELDCHECK_TRUSTED_PROXIES``), in which case the nearest address
in ``X-Forwarded-For`` that is not itself a trusted proxy. Without that setting the header is
ignored: anyone can write it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    """The trusted proxies as networks (a bare address is a network of one); ValueError
    names an entry that is neither."""
    found = []
    for entry in trusted:
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"FIELDCHECK_TRUSTED_PROXIES: {entry!r} is not an address") from None
    return tuple(found)


def _trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address for ``peer`` and the ``X-Forwarded-For`` header it sent."""
    peer = peer or "unknown"
    proxies = networks(trusted)
    if not proxies or not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):  # the last hop was added by the proxy nearest to us
        if not _trusted(hop, proxies):
            return hop[:100]
    return hops[0][:100] if hops else peer
