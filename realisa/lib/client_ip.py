"""The client's IP address, as the audit, the evidence, the lockouts and the rate limits see it.

Without trusted proxies (the default) it is the peer of the connection, ``REMOTE_ADDR``,
and ``X-Forwarded-For`` is never read: anyone can write that header. Behind reverse
proxies, ``settings.TRUSTED_PROXIES`` names them, either by count (``2``: the peer and the
hop before it are proxies) or by address and network (``["10.0.0.0/8", "::1"]``). The
header is then read from the right, where each trusted proxy appended the address it saw,
and the client is the first address that is not a trusted proxy: whatever a client puts in
the header lies to the left of that and is never reached. An entry that is not an IP
address ends the walk at the proxy that wrote it, never at a value a client could choose.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# "[2001:db8::1]:443" or "192.0.2.1:8080": some proxies write the client's port too.
_WITH_PORT = re.compile(r"^\[(?P<v6>[^\]]+)\](?::\d+)?$|^(?P<v4>[\d.]+):\d+$")


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client that sent ``request``, or None when it has none."""
    if request is None:
        return None
    client = parse_address(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.TRUSTED_PROXIES
    if client is None or not trusted:
        return str(client) if client is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hops, value in enumerate(reversed(forwarded), start=1):
        if not _is_trusted_proxy(client, hops, trusted):
            break
        seen = parse_address(value)
        if seen is None:  # a trusted proxy wrote something unreadable: keep the proxy
            break
        client = seen
    return str(client)


def parse_address(value: str) -> Address | None:
    """``value`` as an IP address (an IPv4-mapped IPv6 one as IPv4), or None."""
    value = value.strip()
    port = _WITH_PORT.match(value)
    if port is not None:
        value = port.group("v6") or port.group("v4")
    if "%" in value:  # an IPv6 zone (fe80::1%eth0) names a local interface, not a client
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted_proxy(address: Address, hops: int, trusted: int | list[str]) -> bool:
    """Whether ``address``, ``hops`` steps from the portal, is one of the trusted proxies."""
    if isinstance(trusted, int):
        return hops <= trusted
    return any(address in network for network in trusted_networks(tuple(trusted)))


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of ``TRUSTED_PROXIES`` (an address is a network of one)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES : « {entry} » n'est ni une adresse IP ni un réseau."
            ) from error
    return tuple(networks)
