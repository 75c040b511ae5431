"""Where a webhook may be delivered: the rules of its address, and the one IP it goes to.

``check_url`` is the rule at registration and before each try: HTTPS, no credentials in
the address, no IP written in it that points inside (plain HTTP and the loopback interface
only when ``WEBHOOK_ALLOW_HTTP_LOOPBACK`` is on, for the tests).

``pin(url)`` resolves the host once and refuses the whole answer when one of its addresses
is not public: loopback, private, link-local, multicast, reserved, unspecified, a cloud's
metadata service, or one of those carried inside an IPv6 form (``::ffff:127.0.0.1``, 6to4,
NAT64). The delivery then connects to that very address, with the name kept for the
``Host`` header and for TLS (SNI and the certificate's check), so a name that answers
otherwise a moment later (DNS rebinding) reaches nothing else.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

import httpx
from django.conf import settings

from realisa.lib.errors import Invalid

IPAddress = IPv4Address | IPv6Address

COMPLETE = "Donnez une adresse complète, comme https://exemple.fr/realisa."
HTTPS_ONLY = "L'adresse d'un webhook doit commencer par https://."
NO_CREDENTIALS = "L'adresse d'un webhook ne peut pas contenir d'identifiant ni de mot de passe."

# Metadata services answer a machine's credentials to whoever asks from inside the cloud.
# Most are link-local or private already; Azure's and Oracle's look public to ipaddress.
METADATA = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack
        "169.254.170.2",  # AWS ECS tasks
        "168.63.129.16",  # Azure's wire server
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)
NAT64 = IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address

# The first property that holds names the reason (loopback is also private: it comes first).
REASONS = (
    ("is_unspecified", "l'adresse non spécifiée"),
    ("is_loopback", "la boucle locale"),
    ("is_link_local", "une adresse de lien local"),
    ("is_multicast", "une adresse de multidiffusion"),
    ("is_private", "un réseau privé"),
    ("is_reserved", "une plage réservée"),
)


class WebhookRefused(Invalid):
    """This address may not receive webhooks; ``message`` says why, in French."""


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 form leads to: mapped, 6to4 or NAT64; None for others."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why no webhook may go to ``address`` (« un réseau privé »…); None when it is public."""
    if isinstance(address, IPv6Address):
        carried = embedded_ipv4(address)
        if carried is not None:
            return refusal(carried)
    if address in METADATA:
        return "un service de métadonnées du nuage"
    for prop, reason in REASONS:
        if getattr(address, prop):
            return reason
    if isinstance(address, IPv6Address) and address.is_site_local:
        return "une adresse de site local"
    return None if address.is_global else "une adresse non publique"


def _loopback_allowed(address: IPAddress) -> bool:
    return bool(settings.WEBHOOK_ALLOW_HTTP_LOOPBACK) and address.is_loopback


def _literal(host: str) -> IPAddress | None:
    try:
        return ip_address(host)
    except ValueError:
        return None


def _refuse(host: str, address: IPAddress, reason: str) -> WebhookRefused:
    return WebhookRefused(f"L'adresse {host} mène à {address}, {reason} : envoi refusé.")


def check_url(url: str) -> httpx.URL:
    """The address, parsed, when a webhook may be registered there; else ``WebhookRefused``."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise WebhookRefused(COMPLETE) from error
    if not parsed.host:
        raise WebhookRefused(COMPLETE)
    if parsed.userinfo:
        raise WebhookRefused(NO_CREDENTIALS)
    literal = _literal(parsed.host)
    loopback = parsed.host == "localhost" or (literal is not None and literal.is_loopback)
    if parsed.scheme == "http" and loopback and settings.WEBHOOK_ALLOW_HTTP_LOOPBACK:
        return parsed
    if parsed.scheme != "https":
        raise WebhookRefused(HTTPS_ONLY)
    reason = None if literal is None or _loopback_allowed(literal) else refusal(literal)
    if reason is not None and literal is not None:
        raise _refuse(parsed.host, literal, reason)
    return parsed


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: ``url`` names the checked IP; ``host`` is the name for the
    ``Host`` header; ``sni_hostname`` the name TLS sends and checks the certificate against
    (None for plain HTTP or an address written as an IP)."""

    url: httpx.URL
    host: str
    sni_hostname: str | None
    address: IPAddress


def resolve(host: str, port: int) -> IPAddress:
    """The first address of ``host``, once every address of its answer is checked."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ip_address(info[4][0]) for info in answers]
    for address in addresses:
        reason = None if _loopback_allowed(address) else refusal(address)
        if reason is not None:
            raise _refuse(host, address, reason)
    return addresses[0]


def pin(url: str) -> Target:
    """Check ``url``, resolve its host once, and give the address to connect to."""
    parsed = check_url(url)
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    address = resolve(host, port)
    named = parsed.scheme == "https" and _literal(host) is None
    return Target(
        url=parsed.copy_with(host=str(address)),
        host=parsed.netloc.decode("ascii"),
        sni_hostname=host if named else None,
        address=address,
    )
