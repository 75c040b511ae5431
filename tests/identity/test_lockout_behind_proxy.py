"""Behind the reverse proxy, django-axes locks the pair (username, the client's own address):
an attacker's failures lock out the attacker, not everyone who comes through the proxy."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import PASSWORD

WRONG = "faux"


def attempt(client: Client, username: str, password: str = WRONG, **headers: str) -> int:
    credentials = {"username": username, "password": password}
    return client.post(reverse("login"), credentials, **headers).status_code


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


def test_two_clients_behind_the_same_proxy_are_locked_separately(
    world: World, behind_proxy: None
) -> None:
    name = world.of_user.username
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert [attempt(attacker, name) for _ in range(5)][-1] == 429
    assert attempt(attacker, name, PASSWORD) == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(colleague, name, PASSWORD) == 302


def test_a_client_cannot_escape_its_lock_by_writing_another_forwarded_address(
    world: World, behind_proxy: None
) -> None:
    name = world.of_user.username
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(5):  # the proxy appends the address it saw after whatever was sent
        attempt(attacker, name, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66")
    assert attempt(attacker, name, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66") == 429


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lock(world: World) -> None:
    name = world.of_user.username
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(5):
        attempt(attacker, name, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert attempt(attacker, name, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20") == 429
