"""The navigation shows each role only the pages it can use: every link answers 200 for
that role, and « Jetons d'API » only where the API serves the role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from realisa.context_processors import links_of
from tests.conftest import World

ROLES = ("agent", "of_admin", "of_user", "beneficiary", "employer")


@pytest.mark.parametrize("role", ROLES)
def test_every_link_of_the_navigation_opens_for_its_role(
    world: World, client: Client, role: str
) -> None:
    user = world.user(role)
    client.force_login(user)
    page = client.get(reverse("dossiers:list")).text
    for label, name in links_of(user):
        assert f'href="{reverse(name)}"' in page, label
        assert client.get(reverse(name)).status_code == 200, (role, label)


@pytest.mark.parametrize(
    ("role", "tokens"), [(r, r not in ("beneficiary", "employer")) for r in ROLES]
)
def test_api_tokens_are_offered_where_the_api_serves_the_role(
    world: World, client: Client, role: str, tokens: bool
) -> None:
    client.force_login(world.user(role))
    assert ("Jetons d&#x27;API" in client.get(reverse("dossiers:list")).text) is tokens
