"""PUT /funder/dossiers/{number}/plan: the instruction system sends a dossier's planned
calendar, day by day or as a weekly pattern; the plan becomes the funder's, a month whose
hours are entered keeps its days, and the same plan again writes nothing.

The world's dossier runs from Monday 12 January to Friday 19 June 2026 (115 weekdays, five
national public holidays, and Good Friday 3 April in Moselle) and finances 600 h."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.abilities import identity_of, may_edit_plan
from realisa.certificates.models import Certificate
from realisa.choices import PlanOwner
from realisa.dossiers.models import Dossier, PlannedDay
from tests.api.conftest import ApiClient
from tests.certificates.conftest import PLANNED_DAYS, plan_march
from tests.conftest import World

Api = Callable[[str | None], ApiClient]
SEVEN_HOURS = {"centre_minutes": 7 * 60, "internship_minutes": 0}
MONDAY_TO_FRIDAY = {
    "monday": SEVEN_HOURS,
    "tuesday": SEVEN_HOURS,
    "wednesday": SEVEN_HOURS,
    "thursday": SEVEN_HOURS,
    "friday": SEVEN_HOURS,
}
OWNER_CHANGE = ["calendrier prévisionnel saisi par", "L'organisme de formation", "Le financeur"]


@pytest.fixture
def paperless(world: World, settings: Any) -> World:
    """The world, its dossier paperless (its organisation may enter the plan), national
    public holidays only."""
    settings.PUBLIC_HOLIDAYS_REGION = ""
    world.dossier.is_paperless = True
    world.dossier.save(update_fields=["is_paperless"])
    return world


def path(dossier: Dossier) -> str:
    return f"/funder/dossiers/{dossier.number}/plan"


def days_of(dossier: Dossier) -> dict[date, tuple[int, int]]:
    return {
        day.date: (day.centre_minutes, day.internship_minutes)
        for day in PlannedDay.objects.filter(dossier=dossier)
    }


def actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="dossiers.dossier").values_list("action", flat=True)
    )


def test_a_plan_by_days_becomes_the_funders(paperless: World, api: Api) -> None:
    dossier = paperless.dossier
    assert may_edit_plan(identity_of(paperless.of_user), dossier)
    body = {
        "days": [
            {"date": "2026-03-02", "centre_minutes": 420},
            {"date": "2026-03-03", "centre_minutes": 210, "internship_minutes": 210},
            {"date": "2026-03-04", "centre_minutes": 0},  # a day off
            {"date": "2026-04-01", "internship_minutes": 450},
        ]
    }

    response = api("agent").json("put", path(dossier), body)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "dossier": dossier.number,
        "outcome": "updated",
        "plan_owner": "funder",
        "financed_minutes": 600 * 60,
        "planned_minutes": 1290,
        "excess_minutes": 0,
        "shortfall_minutes": 600 * 60 - 1290,
        "months": [
            {"month": "2026-03", "days": 2, "planned_minutes": 840, "kept": False},
            {"month": "2026-04", "days": 1, "planned_minutes": 450, "kept": False},
        ],
        "kept_months": [],
    }
    assert days_of(dossier) == {
        date(2026, 3, 2): (420, 0),
        date(2026, 3, 3): (210, 210),
        date(2026, 4, 1): (0, 450),
    }
    dossier.refresh_from_db()
    assert dossier.plan_owner == PlanOwner.FUNDER
    updated = AuditEvent.objects.get(action="dossier.updated")
    assert (updated.actor, updated.payload["changes"]) == (paperless.agent, [OWNER_CHANGE])
    assert AuditEvent.objects.get(action="dossier.plan_changed").payload["source"] == "API"


def test_the_organisation_cannot_edit_the_funders_plan(paperless: World, api: Api) -> None:
    dossier = paperless.dossier
    api("agent").json("put", path(dossier), {"pattern": MONDAY_TO_FRIDAY})
    dossier.refresh_from_db()
    planned = days_of(dossier)

    assert not may_edit_plan(identity_of(paperless.of_user), dossier)
    browser = Client()
    browser.force_login(paperless.of_user)
    page = reverse("certificates:plan", args=[dossier.number])
    response = browser.post(page, {"centre_0": "3", "action": "save"})
    assert response.status_code == 403
    assert days_of(dossier) == planned


def test_a_pattern_leaves_out_the_regions_holidays_and_counts_its_exceptions(
    world: World, api: Api, settings: Any
) -> None:
    settings.PUBLIC_HOLIDAYS_REGION = "57"  # Moselle: Good Friday is a public holiday
    body = {
        "pattern": MONDAY_TO_FRIDAY,
        "exceptions": [
            {"first_day": "2026-06-01", "last_day": "2026-06-05", "kind": "internship"},
            {"first_day": "2026-02-16", "last_day": "2026-02-20", "kind": "closure"},
        ],
    }

    response = api("agent").json("put", path(world.dossier), body)

    assert response.status_code == 200, response.content
    days = days_of(world.dossier)
    assert len(days) == 115 - 5 - 1 - 5
    assert date(2026, 4, 3) not in days and date(2026, 4, 6) not in days
    assert date(2026, 2, 18) not in days
    assert days[date(2026, 6, 2)] == (0, 420) and days[date(2026, 6, 8)] == (420, 0)
    result = response.json()
    assert result["planned_minutes"] == 104 * 420
    assert result["excess_minutes"] == 104 * 420 - 600 * 60
    assert [(m["month"], m["days"]) for m in result["months"]] == [
        ("2026-01", 15),
        ("2026-02", 15),
        ("2026-03", 22),
        ("2026-04", 20),
        ("2026-05", 17),
        ("2026-06", 15),
    ]


def test_the_same_plan_twice_changes_nothing_the_second_time(world: World, api: Api) -> None:
    funder = api("agent")
    first = funder.json("put", path(world.dossier), {"pattern": MONDAY_TO_FRIDAY})
    events, days = AuditEvent.objects.count(), days_of(world.dossier)

    again = funder.json("put", path(world.dossier), {"pattern": MONDAY_TO_FRIDAY})

    assert (first.json()["outcome"], again.json()["outcome"]) == ("updated", "unchanged")
    assert again.json()["months"] == first.json()["months"]
    assert AuditEvent.objects.count() == events
    assert actions().count("dossier.plan_changed") == 1
    assert days_of(world.dossier) == days


def test_the_organisations_plan_sent_again_only_changes_its_owner(world: World, api: Api) -> None:
    plan_march(world.dossier)
    days = [
        {"date": f"{day:%Y-%m-%d}", "centre_minutes": centre, "internship_minutes": internship}
        for day, (centre, internship) in PLANNED_DAYS.items()
    ]

    response = api("agent").json("put", path(world.dossier), {"days": days})

    assert response.json()["outcome"] == "updated"
    assert actions() == ["dossier.updated"]
    assert days_of(world.dossier) == PLANNED_DAYS


def test_a_month_with_entered_hours_keeps_its_days(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    plan_march(world.dossier)  # March is entered, February certified

    response = api("agent").json("put", path(world.dossier), {"pattern": MONDAY_TO_FRIDAY})

    result = response.json()
    assert result["kept_months"] == ["2026-02", "2026-03"]
    march = next(m for m in result["months"] if m["month"] == "2026-03")
    assert march == {"month": "2026-03", "days": 4, "planned_minutes": 28 * 60, "kept": True}
    assert "2026-02" not in [m["month"] for m in result["months"]]
    days = days_of(world.dossier)
    assert {d: h for d, h in days.items() if d.month == 3} == PLANNED_DAYS
    assert not [d for d in days if d.month == 2]
    assert len([d for d in days if d.month == 4]) == 21
    event = AuditEvent.objects.get(action="dossier.plan_changed")
    assert event.payload["mois_conserves"] == ["2026-02", "2026-03"]


def test_a_day_outside_the_training_refuses_the_whole_plan(world: World, api: Api) -> None:
    body = {
        "days": [
            {"date": "2026-03-02", "centre_minutes": 420},
            {"date": "2026-03-02", "centre_minutes": 300},
            {"date": "2026-03-03", "centre_minutes": 1440, "internship_minutes": 60},
            {"date": "2027-01-04", "centre_minutes": 420},
        ]
    }

    response = api("agent").json("put", path(world.dossier), body)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:realisa:probleme:calendrier-refuse"
    assert problem["detail"] == (
        "Calendrier prévisionnel refusé, rien n'a été enregistré : 3 erreurs (voir « errors »)."
    )
    assert problem["errors"] == {
        "day:2026-03-02": "Le 02/03/2026 est envoyé deux fois.",
        "day:2026-03-03": "Le 03/03/2026 : 25 h en centre et en stage, plus que 24 heures.",
        "day:2027-01-04": "Le 04/01/2027 est hors de la formation (du 12/01/2026 au 19/06/2026).",
    }
    world.dossier.refresh_from_db()
    assert world.dossier.plan_owner == PlanOwner.ORGANISATION
    assert not PlannedDay.objects.exists() and actions() == []


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"days": [], "pattern": MONDAY_TO_FRIDAY},
            "Envoyez le calendrier jour par jour (« days ») ou en semaine type (« pattern ») : "
            "l'un des deux, pas les deux.",
        ),
        (
            {
                "days": [{"date": "2026-03-02", "centre_minutes": 420}],
                "exceptions": [
                    {"first_day": "2026-03-02", "last_day": "2026-03-06", "kind": "closure"}
                ],
            },
            "Les « exceptions » vont avec une semaine type (« pattern ») : un calendrier jour "
            "par jour les porte déjà.",
        ),
    ],
)
def test_a_plan_is_either_days_or_a_pattern(
    world: World, api: Api, body: dict[str, Any], detail: str
) -> None:
    response = api("agent").json("put", path(world.dossier), body)
    assert (response.status_code, response.json()["detail"]) == (422, detail)


def test_a_pattern_with_a_period_outside_the_training_is_refused(world: World, api: Api) -> None:
    body = {
        "pattern": {"saturday": {"centre_minutes": 1000, "internship_minutes": 500}},
        "exceptions": [
            {"first_day": "2026-06-15", "last_day": "2026-06-26", "kind": "closure"},
            {"first_day": "2026-03-06", "last_day": "2026-03-02", "kind": "internship"},
        ],
    }

    response = api("agent").json("put", path(world.dossier), body)

    assert response.json()["errors"] == {
        "pattern.saturday": "Le samedi : 25 h en centre et en stage, plus que 24 heures.",
        "exceptions.0": "La période sort de la formation (du 12/01/2026 au 19/06/2026).",
        "exceptions.1": "La fin de la période précède son début.",
    }


def test_only_agents_send_a_plan(world: World, api: Api) -> None:
    response = api("of_admin").json("put", path(world.dossier), {"pattern": MONDAY_TO_FRIDAY})
    assert response.status_code == 403
    assert not PlannedDay.objects.exists()
    missing = api("agent").json("put", "/funder/dossiers/INCONNU/plan", {"pattern": {}})
    assert missing.status_code == 404
