"""« Calendrier prévisionnel »: the organisation enters a own_plan dossier's plan from a
weekly pattern, previews it against the financed hours, saves it (audited), and « Charger le
calendrier » reads it; a month whose hours are entered keeps its days; the funder's plan,
and the other parties, read it only.

The world's dossier runs from Monday 12 January to Friday 19 June 2026: 115 weekdays, of
which five national public holidays (Easter Monday 6 April, 1 and 8 May, Ascension 14 May,
Whit Monday 25 May), and Good Friday 3 April in Moselle. It finances 600 h."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.plan import find_period, month_plan
from realisa.choices import MonthStatus, PlanOwner
from realisa.dossiers.models import Dossier, PlannedDay
from tests.certificates.conftest import MARCH, PLANNED_DAYS, plan_march
from tests.certificates.test_hours_done import a_month
from tests.conftest import World

MONDAY_TO_FRIDAY = {f"centre_{day}": "7" for day in range(5)}


def page(world: World) -> str:
    return reverse("certificates:plan", args=[world.dossier.number])


def browser(world: World, role: str) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(world.user(role))
    return client


def days_of(dossier: Dossier) -> dict[date, tuple[int, int]]:
    return {
        day.date: (day.centre_minutes, day.internship_minutes)
        for day in PlannedDay.objects.filter(dossier=dossier)
    }


def test_the_organisation_previews_then_saves_a_weekly_pattern(own_plan: World) -> None:
    client = browser(own_plan, "of_user")
    assert "Saisir le calendrier à partir d'une semaine type" in client.get(page(own_plan)).text

    preview = client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "preview"})

    assert preview.status_code == 200
    assert (
        "Total prévu : <strong>770 h</strong> pour 600 h financées : 170 h de plus que les "
        "heures financées" in preview.text
    )
    assert "Aperçu (rien n'est enregistré)" in preview.text
    assert not PlannedDay.objects.exists()

    saved = client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"}, follow=True)

    assert "Le calendrier prévisionnel est enregistré : 770 h sur 110 jours." in saved.text
    days = days_of(own_plan.dossier)
    assert len(days) == 110 and date(2026, 4, 6) not in days and date(2026, 4, 3) in days
    assert set(days.values()) == {(7 * 60, 0)}
    event = AuditEvent.objects.get(action="dossier.plan_changed")
    assert (event.actor, event.ip) == (own_plan.of_user, "203.0.113.9")
    assert event.payload["total_minutes"] == 770 * 60
    journal = reverse("funder:audit_dossier", args=[own_plan.dossier.number])
    assert "Calendrier prévisionnel modifié" in browser(own_plan, "agent").get(journal).text
    # « Charger le calendrier » reads it: March's 22 weekdays, 7 h each.
    period = find_period(own_plan.dossier, MARCH)
    assert period is not None
    assert month_plan(own_plan.dossier, period).planned_total == 22 * 7 * 60
    # The form starts again from the saved pattern.
    assert 'name="centre_0" id="id_centre_0" value="7 h"' in client.get(page(own_plan)).text


def test_in_moselle_good_friday_is_not_planned(own_plan: World, settings: Any) -> None:
    settings.PUBLIC_HOLIDAYS_REGION = "57"
    browser(own_plan, "of_user").post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"})

    days = days_of(own_plan.dossier)
    assert len(days) == 109 and date(2026, 4, 3) not in days


def test_a_month_whose_hours_are_entered_keeps_its_days(own_plan: World) -> None:
    plan_march(own_plan.dossier)
    a_month(own_plan, MARCH, centre=21, internship=7, status=MonthStatus.ENTERED)
    client = browser(own_plan, "of_user")

    preview = client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "preview"})
    assert "heures saisies : calendrier conservé" in preview.text
    client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"})

    days = days_of(own_plan.dossier)
    march = {day: hours for day, hours in days.items() if day.month == 3}
    assert march == dict(PLANNED_DAYS.items())
    assert len(days) == 110 - 22 + len(PLANNED_DAYS)
    assert AuditEvent.objects.get(action="dossier.plan_changed").payload["mois_conserves"] == [
        "2026-03"
    ]


def test_weeks_in_a_company_and_a_closure(own_plan: World) -> None:
    data = {
        **MONDAY_TO_FRIDAY,
        "from_0": "2026-03-09",
        "to_0": "2026-03-13",
        "kind_0": "internship",
        "from_1": "2026-03-20",
        "to_1": "2026-03-20",
        "kind_1": "closure",
        "action": "save",
    }
    browser(own_plan, "of_user").post(page(own_plan), data)

    days = days_of(own_plan.dossier)
    assert days[date(2026, 3, 9)] == (0, 7 * 60)
    assert date(2026, 3, 20) not in days
    assert len(days) == 109


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Indiquez les heures d&#x27;au moins un jour de la semaine."),
        (
            {**MONDAY_TO_FRIDAY, "from_0": "2026-03-13", "to_0": "2026-03-09", "kind_0": "closure"},
            "La fin de la période précède son début.",
        ),
        (
            {**MONDAY_TO_FRIDAY, "from_0": "2026-07-01", "to_0": "2026-07-03", "kind_0": "closure"},
            "La période sort de la formation (du 12/01/2026 au 19/06/2026).",
        ),
        (
            {**MONDAY_TO_FRIDAY, "from_0": "2026-03-09"},
            "Indiquez les deux dates et la nature de la période.",
        ),
        ({"centre_0": "25"}, "24 h"),
    ],
)
def test_a_wrong_form_comes_back_with_its_reason_and_what_was_typed(
    own_plan: World, fields: dict[str, str], message: str
) -> None:
    response = browser(own_plan, "of_user").post(page(own_plan), {**fields, "action": "save"})

    assert response.status_code == 400
    assert message in response.text
    assert "Le calendrier n'est pas enregistré" in response.text
    for name, value in fields.items():
        assert f'value="{value}"' in response.text, name
    assert not PlannedDay.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"plan_owner": PlanOwner.FUNDER}, "Ce calendrier est fourni par le financeur"),
        ({"is_paperless": False}, "Ce dossier n'est pas dématérialisé"),
    ],
)
def test_the_funder_s_plan_and_a_dossier_entered_by_month_are_read_only(
    own_plan: World, change: dict[str, Any], words: str
) -> None:
    Dossier.objects.filter(pk=own_plan.dossier.pk).update(**change)
    client = browser(own_plan, "of_admin")

    shown = client.get(page(own_plan))
    refused = client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"})

    assert words in shown.text and 'name="centre_0"' not in shown.text
    assert refused.status_code == 403
    assert not PlannedDay.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("beneficiary", 403), ("employer", 403), ("other_of_user", 404)],
)
def test_only_the_organisation_enters_it(own_plan: World, role: str, status: int) -> None:
    client = browser(own_plan, role)

    shown = client.get(page(own_plan))
    refused = client.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"})

    assert (shown.status_code, refused.status_code) == ((200, 403) if status == 403 else (404, 404))
    assert 'name="centre_0"' not in shown.text
    assert not PlannedDay.objects.exists()


def test_the_funder_enters_the_plan_it_owns_and_the_organisation_reads_it(
    own_plan: World,
) -> None:
    Dossier.objects.filter(pk=own_plan.dossier.pk).update(plan_owner=PlanOwner.FUNDER)
    agent = browser(own_plan, "agent")

    assert 'name="centre_0"' in agent.get(page(own_plan)).text
    saved = agent.post(page(own_plan), {**MONDAY_TO_FRIDAY, "action": "save"})

    assert saved.status_code == 302 and PlannedDay.objects.exists()
    event = AuditEvent.objects.get(action="dossier.plan_changed")
    assert event.actor == own_plan.agent
    organisation = browser(own_plan, "of_admin").get(page(own_plan)).text
    assert "Ce calendrier est fourni par le financeur" in organisation
    assert 'name="centre_0"' not in organisation
