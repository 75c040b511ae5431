"""The webhook's address classifier: every form of an inside address is refused, in
IPv4, in IPv6 and in the IPv6 forms that carry an IPv4 address; public ones pass."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realisa.webhooks.addresses import WebhookRefused, check_url, pin, refusal
from tests.api.conftest import ApiClient
from tests.conftest import World

Api = Callable[[str | None], ApiClient]

INSIDE_V4 = [
    "0.0.0.0/8",  # this network, 0.0.0.0 the unspecified address
    "10.0.0.0/8",
    "100.64.0.0/10",  # shared address space (carrier-grade NAT), Alibaba's metadata
    "127.0.0.0/8",
    "169.254.0.0/16",  # link-local, the clouds' metadata
    "172.16.0.0/12",
    "192.0.0.0/29",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and the broadcast address
]
INSIDE_V6 = [
    "::/128",
    "::1/128",
    "::/96",  # IPv4-compatible, deprecated
    "::ffff:0:0:0/96",  # IPv4-translated
    "64:ff9b:1::/48",  # local-use NAT64
    "100::/64",  # discard
    "2001::/32",  # Teredo
    "2001:db8::/32",
    "fc00::/7",  # unique local, AWS's metadata over IPv6
    "fe80::/10",
    "fec0::/10",  # site-local, deprecated
    "ff00::/8",
]
PUBLIC_V4 = ["8.0.0.0/8", "80.0.0.0/8", "151.0.0.0/8", "185.0.0.0/8", "212.0.0.0/8"]
PUBLIC_V6 = ["2a00::/12", "2600::/12", "2c00::/12"]
METADATA = [
    "169.254.169.254",
    "169.254.170.2",
    "168.63.129.16",
    "100.100.100.200",
    "192.0.0.192",
    "fd00:ec2::254",
]


def addresses_in(networks: list[str]) -> st.SearchStrategy[Any]:
    def inside(network: Any) -> st.SearchStrategy[Any]:
        first = int(network.network_address)
        return st.integers(first, first + network.num_addresses - 1).map(type(network[0]))

    parsed = [IPv4Network(n) if "." in n else IPv6Network(n) for n in networks]
    return st.sampled_from(parsed).flatmap(inside)


def ipv6_forms(address: IPv4Address) -> st.SearchStrategy[IPv6Address]:
    """The IPv6 addresses that lead to ``address``: mapped, 6to4 and NAT64."""
    value = int(address)
    return st.sampled_from(
        [
            IPv6Address((0xFFFF << 32) | value),  # ::ffff:a.b.c.d
            IPv6Address((0x64FF9B << 96) | value),  # 64:ff9b::a.b.c.d
        ]
    ) | st.integers(0, 2**80 - 1).map(
        lambda suffix: IPv6Address((0x2002 << 112) | (value << 80) | suffix)  # 6to4
    )


@given(addresses_in(INSIDE_V4 + INSIDE_V6))
def test_an_inside_address_is_refused(address: Any) -> None:
    assert refusal(address) is not None


@given(addresses_in(INSIDE_V4).flatmap(ipv6_forms))
def test_an_inside_ipv4_address_is_refused_in_its_ipv6_forms(address: IPv6Address) -> None:
    assert refusal(address) is not None


@given(addresses_in(PUBLIC_V4 + PUBLIC_V6))
def test_a_public_address_passes(address: Any) -> None:
    assert refusal(address) is None


@given(addresses_in(PUBLIC_V4).flatmap(ipv6_forms))
def test_a_public_ipv4_address_passes_in_its_ipv6_forms(address: IPv6Address) -> None:
    assert refusal(address) is None  # NAT64 networks reach IPv4 webhooks that way


@pytest.mark.parametrize("address", METADATA)
def test_a_metadata_service_is_refused_by_name(address: str) -> None:
    with pytest.raises(WebhookRefused, match="service de métadonnées du nuage"):
        check_url(f"https://[{address}]/" if ":" in address else f"https://{address}/")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[0:0:0:0:0:ffff:7f00:1]/hook",
        "https://[::ffff:169.254.169.254]/latest/meta-data/",
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "https://[2002:a00:1::1]/hook",
        "https://[::127.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://10.1.2.3/hook",
        "https://[ff02::1]/hook",
    ],
)
def test_an_inside_ip_is_refused_when_the_webhook_is_registered(
    world: World, api: Api, url: str
) -> None:
    response = api("of_admin").json(
        "post", "/webhooks", {"url": url, "secret": "s" * 32, "events": ["certificate.entered"]}
    )
    assert response.status_code == 422
    assert response.json()["detail"].endswith(": envoi refusé.")


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "0x7f.0.0.1", "localhost"])
def test_a_name_the_resolver_reads_as_the_loopback_is_refused_before_sending(host: str) -> None:
    with pytest.raises(WebhookRefused, match="la boucle locale"):
        pin(f"https://{host}/hook")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://logiciel.example/hook", "L'adresse d'un webhook doit commencer par https://."),
        ("https://moi:motdepasse@logiciel.example/hook", "identifiant ni de mot de passe"),
        ("ftp://logiciel.example/hook", "L'adresse d'un webhook doit commencer par https://."),
        ("/hook", "Donnez une adresse complète"),
        ("https://0177.0.0.1/hook", "Donnez une adresse complète"),  # octal: ambiguous
    ],
)
def test_an_address_that_is_not_plain_https_is_refused(url: str, message: str) -> None:
    with pytest.raises(WebhookRefused, match=message):
        check_url(url)
