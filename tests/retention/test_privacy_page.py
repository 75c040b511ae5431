"""« Données personnelles »: what is kept about beneficiaries and employers, why and for
how long; open to everyone, linked from every page's footer."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_anyone_reads_what_is_kept_and_for_how_long(client: Client) -> None:
    page = unescape(client.get(reverse("privacy")).text)
    assert "<h1>Données personnelles</h1>" in page
    for words in ("<strong>3 ans</strong>", "<strong>6 ans</strong>", "<strong>10 ans</strong>"):
        assert words in page
    assert "<strong>12 mois</strong>" in page and "30 jours plus tard" in page


def test_every_page_links_to_it(world: World, client: Client) -> None:
    link = f'<a href="{reverse("privacy")}">Données personnelles</a>'
    assert link in unescape(client.get(reverse("login")).text)
    client.force_login(world.employer)
    assert link in unescape(client.get(reverse("dossiers:list")).text)
