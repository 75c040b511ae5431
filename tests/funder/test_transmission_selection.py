"""« Transmission, deliberately »: the ready list starts with nothing ticked, is filtered by
organisation, month and dossier, selects all of a filter at once, and a confirmation step
shows the count, the hours and the organisations before « Transmettre »."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from realisa.funder import transmission_views
from realisa.funder.models import Transmission
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, JANUARY, certified, validated


def ready_page(client: Client, **filters: object) -> str:
    return unescape(client.get(reverse("funder:transmissions"), filters).content.decode())


def test_nothing_is_ticked_at_first(world: World, agent_client: Client) -> None:
    certified(world.dossier, JANUARY)
    certified(world.other_dossier, JANUARY)
    page = ready_page(agent_client)
    assert "2 mois prêts à transmettre" in page
    assert page.count('name="certificat"') == 2
    assert not re.search(r'name="certificat"[^>]*checked', page)


def test_the_list_is_filtered_by_organisation_month_and_dossier(
    world: World, agent_client: Client
) -> None:
    certified(world.dossier, JANUARY)
    validated(world.dossier, FEBRUARY)
    certified(world.other_dossier, JANUARY)
    organisation = world.dossier.organisation
    assert "2 mois prêts à transmettre pour ce filtre" in ready_page(
        agent_client, organisme=organisation.siret
    )
    by_month = ready_page(agent_client, mois="2026-01")
    assert "2 mois prêts à transmettre pour ce filtre" in by_month
    assert "Février 2026" not in by_month
    by_number = ready_page(agent_client, dossier=world.other_dossier.number)
    assert "1 mois prêt à transmettre pour ce filtre" in by_number
    assert world.dossier.number not in by_number.split("<caption>")[1].split("</table>")[0]


def test_the_confirmation_shows_what_will_be_transmitted(
    world: World, agent_client: Client
) -> None:
    january = certified(world.dossier, JANUARY, centre_minutes=100 * 60, absence_minutes=90)
    february = validated(world.dossier, FEBRUARY)
    response = agent_client.get(
        reverse("funder:transmission_confirm"), {"certificat": [january.pk, february.pk]}
    )
    page = unescape(response.content.decode())
    assert "<h1>Vérifier la transmission</h1>" in page
    assert "<dt>Mois</dt><dd>2 mois</dd>" in page
    presence = january.presence_minutes + february.presence_minutes
    assert f"<dt>Heures de présence</dt><dd>{presence // 60} h" in page
    assert f"<li>{world.dossier.organisation.name} : 2 mois</li>" in page
    assert not Transmission.objects.exists()  # nothing sent yet
    done = agent_client.post(
        reverse("funder:transmission_create"),
        {"certificat": re.findall(r'name="certificat" value="(\d+)"', page)},
        follow=True,
    )
    assert "créée : 2 mois transmis." in unescape(done.content.decode())


def test_select_all_takes_every_month_of_the_filter(world: World, agent_client: Client) -> None:
    certified(world.dossier, JANUARY)
    validated(world.dossier, FEBRUARY)
    other = certified(world.other_dossier, JANUARY)
    response = agent_client.get(
        reverse("funder:transmission_confirm"),
        {"tout": "1", "organisme": world.dossier.organisation.siret},
    )
    page = unescape(response.content.decode())
    assert "<dt>Mois</dt><dd>2 mois</dd>" in page
    assert f'value="{other.pk}"' not in page


def test_confirming_nothing_says_so(world: World, agent_client: Client) -> None:
    certified(world.dossier, JANUARY)
    response = agent_client.get(reverse("funder:transmission_confirm"), follow=True)
    assert "Sélectionnez au moins un mois à transmettre." in unescape(response.content.decode())
    assert not Transmission.objects.exists()


def test_the_list_is_searched_and_sorted_and_select_all_follows_the_search(
    world: World, agent_client: Client
) -> None:
    certified(world.dossier, JANUARY)
    certified(world.other_dossier, JANUARY)
    theirs = world.other_dossier
    found = ready_page(agent_client, q=theirs.beneficiary.last_name)
    assert "1 mois prêt à transmettre pour ce filtre" in found
    by_number = ready_page(agent_client, tri="-dossier").split("<tbody>")[1]
    numbers = sorted([world.dossier.number, theirs.number], reverse=True)
    assert by_number.index(numbers[0]) < by_number.index(numbers[1])
    response = agent_client.get(
        reverse("funder:transmission_confirm"), {"tout": "1", "q": theirs.organisation.siret}
    )
    assert "<dt>Mois</dt><dd>1 mois</dd>" in unescape(response.content.decode())


def test_the_batches_sent_are_paged(
    world: World, agent_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transmission_views, "BATCHES_PER_PAGE", 3)
    for month in (JANUARY, FEBRUARY):
        for dossier in (world.dossier, world.other_dossier):
            agent_client.post(
                reverse("funder:transmission_create"),
                {"certificat": [certified(dossier, month).pk]},
            )
    first, oldest = Transmission.objects.order_by("-pk")[0], Transmission.objects.order_by("pk")[0]
    page = ready_page(agent_client, mois="2026-01")
    assert str(first) in page and f'/transmissions/{oldest.pk}/"' not in page
    assert '<a href="?mois=2026-01&lots=2#lots" rel="next">' in page
    older = ready_page(agent_client, mois="2026-01", lots=2)
    assert f'/transmissions/{oldest.pk}/"' in older and "Page 2 sur 2" in older
