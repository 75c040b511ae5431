"""The layout's parts for a phone, as the server renders them (the browser side is in
tests/browser/test_phone_menu.py and test_every_page_on_phone.py)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tests.conftest import World

MENU_BUTTON = re.compile(
    r'<button type="button" class="menu-button" aria-expanded="false" '
    r'aria-controls="(?P<menu>[\w-]+)" data-menu-button>Menu</button>'
)


def test_a_signed_in_page_has_the_menu_button_of_its_navigation(
    world: World, client: Client
) -> None:
    client.force_login(world.of_user)
    page = client.get(reverse("dossiers:list")).text
    button = MENU_BUTTON.search(page)
    assert button is not None
    menu = page.index(f'<div class="site-menu" id="{button["menu"]}">')
    assert menu < page.index('<nav class="main-nav"') < page.index("Se déconnecter")
    assert "/static/realisa/layout.js" in page


def test_a_page_without_navigation_has_no_menu_button(client: Client) -> None:
    page = client.get(reverse("login")).text
    assert "data-menu-button" not in page
    assert 'class="site-menu"' not in page
