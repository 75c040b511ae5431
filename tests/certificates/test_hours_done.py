"""« Heures réalisées et heures financées » under the months table: each month's presence
and absence, the training's running total, and the total against the financed hours."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from tests.conftest import World
from tests.factories import CertificateFactory


def a_month(
    world: World,
    month: date,
    *,
    centre: float = 0,
    internship: float = 0,
    absence: float = 0,
    status: MonthStatus = MonthStatus.CERTIFIED,
    **fields: Any,
) -> Certificate:
    """The dossier's ``month`` with its hours (in hours), as entered or certified."""
    return CertificateFactory(  # type: ignore[no-any-return]
        dossier=world.dossier,
        month=month,
        centre_minutes=round(centre * 60),
        internship_minutes=round(internship * 60),
        absence_minutes=round(absence * 60),
        status=status,
        **fields,
    )


def section(client: Client, world: World) -> str:
    """The section's text as a reader reads it."""
    html = client.get(reverse("certificates:dossier", args=[world.dossier.number])).text
    start = html.index('id="realise"')
    text = unescape(re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]))
    return re.sub(r"\s+", " ", text)


def rows(text: str) -> dict[str, str]:
    return {
        month: cells.strip()
        for month, cells in re.findall(r"((?:[A-Z][a-zé]+ 2026)|Total) ((?:[^A-Z])*)", text)
    }


def test_each_month_the_running_total_and_the_financed_hours(world: World, client: Client) -> None:
    # The dossier finances 600 h.
    a_month(world, date(2026, 2, 1), centre=20)
    a_month(
        world, date(2026, 3, 1), centre=24, internship=6.5, absence=2, status=MonthStatus.ENTERED
    )
    client.force_login(world.of_user)

    text = section(client, world)

    summary = "Présence réalisée : 50 h 30 sur 600 h financées (reste 549 h 30). Absences : 2 h."
    assert summary in text
    lines = rows(text)
    assert lines["Février 2026"] == "20 h 0 h 20 h"  # presence, absence, so far
    assert lines["Mars 2026"] == "30 h 30 2 h 50 h 30"
    assert lines["Avril 2026"] == "— — 50 h 30"
    assert lines["Total"] == "50 h 30 2 h sur 600 h financées"


def test_the_beneficiary_counts_only_the_months_it_sees(world: World, client: Client) -> None:
    a_month(world, date(2026, 2, 1), centre=20)
    # March entered, not certified: still the organisation's draft.
    a_month(world, date(2026, 3, 1), centre=30, status=MonthStatus.ENTERED)
    client.force_login(world.beneficiary)

    text = section(client, world)

    assert "Présence réalisée : 20 h sur 600 h financées (reste 580 h)." in text
    assert rows(text)["Mars 2026"] == "— — 20 h"


def test_above_the_financed_hours_the_overrun_is_named(world: World, client: Client) -> None:
    world.dossier.planned_minutes = 40 * 60
    world.dossier.save(update_fields=["planned_minutes"])
    a_month(world, date(2026, 2, 1), centre=42, gap_reason="Rattrapage de deux séances")
    client.force_login(world.agent)

    assert "Présence réalisée : 42 h sur 40 h financées (dépassement de 2 h)." in section(
        client, world
    )
