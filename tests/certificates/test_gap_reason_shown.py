"""« Motif de l'écart » and « Je certifie zéro heure pour ce mois » once saved: the month's
page shows them to its parties, the funder's dossier page to the agent."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.certificates.test_hours_done import a_month
from tests.conftest import World

REASON = "Séance de rattrapage le samedi 14 mars"


@pytest.fixture
def months(world: World) -> World:
    a_month(world, date(2026, 3, 1), centre=30, gap_reason=REASON)
    a_month(world, date(2026, 4, 1), absence=14, zero_hours_confirmed=True)
    return world


def page(world: World, role: str, name: str, *args: object) -> str:
    client = Client()
    client.force_login(world.user(role))
    response = client.get(reverse(name, args=[world.dossier.number, *args]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["of_user", "agent", "beneficiary", "employer"])
def test_the_month_page_shows_the_reason_and_the_zero_hour_decision(
    months: World, role: str
) -> None:
    march = page(months, role, "certificates:month", 2026, 3)
    april = page(months, role, "certificates:month", 2026, 4)

    assert "Motif de l'écart" in march and REASON in march
    assert "certifié zéro heure de présence pour ce mois" in april
    assert REASON not in april


def test_the_funder_s_dossier_page_shows_them_beside_the_hours(months: World) -> None:
    html = page(months, "agent", "funder:dossier")

    assert f"Motif de l'écart :</strong> {REASON}" in html
    assert "Zéro heure certifiée" in html
