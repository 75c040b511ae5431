"""The client's address behind reverse proxies: X-Forwarded-For is read only as far as the
trusted proxies wrote it, so a client can never choose the address recorded for it."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import ConnectionEvent
from realisa.lib.client_ip import client_ip, parse_address
from tests.conftest import World
from tests.factories import PASSWORD

PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]


def ip_of(remote_addr: str, forwarded: str | None = None) -> str | None:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


def canonical(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def untrusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    seen = ipaddress.ip_address(canonical(address))
    return not any(seen in ipaddress.ip_network(network) for network in PROXIES)


addresses = st.ip_addresses()
clients = addresses.filter(untrusted)
proxies = st.lists(st.ip_addresses(network="10.0.0.0/8"), max_size=3)
# What a client may put in front: addresses, junk, empty entries, spaces, ports, anything.
forged = st.lists(st.one_of(addresses.map(str), st.text(max_size=30)), max_size=4)


def test_without_trusted_proxies_a_forged_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert ip_of("198.51.100.9", "127.0.0.1") == "198.51.100.9"


def test_a_forged_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = PROXIES
    assert ip_of("198.51.100.9", "10.0.0.7, 127.0.0.1") == "198.51.100.9"


def test_behind_trusted_proxies_the_client_is_the_right_most_untrusted_address(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = PROXIES
    assert ip_of("10.0.0.2", "127.0.0.1, 198.51.100.7, 10.0.0.1") == "198.51.100.7"
    assert ip_of("10.0.0.2", "203.0.113.5") == "203.0.113.5"
    assert ip_of("10.0.0.2") == "10.0.0.2"  # the proxy's own request (a health check)


def test_a_count_of_proxies_trusts_that_many_hops(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 2
    assert ip_of("127.0.0.1", "127.0.0.9, 198.51.100.7, 192.0.2.1") == "198.51.100.7"
    assert ip_of("127.0.0.1", "198.51.100.7") == "198.51.100.7"  # a shorter path


def test_an_unreadable_entry_is_never_taken_for_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXIES = PROXIES
    assert ip_of("10.0.0.2", "198.51.100.7, inconnu") == "10.0.0.2"
    assert ip_of("10.0.0.2", "198.51.100.7,") == "10.0.0.2"
    assert ip_of("not an address", "198.51.100.7") is None


def test_ports_and_ipv4_mapped_addresses_are_read_as_addresses(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert ip_of("::ffff:127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert ip_of("127.0.0.1", "198.51.100.7:4711") == "198.51.100.7"


def test_a_mistyped_trusted_proxy_is_a_configuration_error(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "10.0.0.300"]
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.300"):
        ip_of("10.0.0.2", "198.51.100.7")


@given(peer=addresses, header=st.text())
def test_without_trusted_proxies_the_client_is_always_the_peer(peer: Any, header: str) -> None:
    with override_settings(TRUSTED_PROXIES=[]):
        assert ip_of(str(peer), header) == canonical(peer)


@given(lies=forged, client=clients, hops=proxies)
def test_whatever_a_client_writes_the_trusted_proxies_name_it(
    lies: list[str], client: Any, hops: list[Any]
) -> None:
    header = ",".join([*lies, str(client), *map(str, hops)])
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert ip_of("10.0.0.1", header) == canonical(client)


@given(lies=forged, client=addresses, hops=st.lists(addresses, max_size=3), peer=addresses)
def test_whatever_a_client_writes_the_counted_proxies_name_it(
    lies: list[str], client: Any, hops: list[Any], peer: Any
) -> None:
    header = ", ".join([*lies, str(client), *map(str, hops)])
    with override_settings(TRUSTED_PROXIES=len(hops) + 1):
        assert ip_of(str(peer), header) == canonical(client)


@given(peer=st.one_of(addresses.map(str), st.text()), header=st.text(), count=st.integers(0, 4))
def test_any_header_gives_one_of_its_addresses_or_none(peer: str, header: str, count: int) -> None:
    named = {parse_address(value) for value in [peer, *header.split(",")]}
    for setting in (count, PROXIES):
        with override_settings(TRUSTED_PROXIES=setting):
            found = ip_of(peer, header)
        assert found is None or ipaddress.ip_address(found) in named


def test_the_audit_and_the_connection_log_record_the_client_behind_the_proxy(
    world: World, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    browser = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    browser.post(reverse("login"), {"username": world.of_user.username, "password": PASSWORD})
    assert ConnectionEvent.objects.get(action="account.login").ip == "198.51.100.7"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.4")
    request.user = world.of_user
    assert record(EventType.ACCOUNT_PASSWORD_SET, request=request).ip == "192.0.2.4"
