"""On a phone, of.user enters FPE-…-0001's planned calendar from a weekly pattern (Monday
to Thursday, 6 h in the centre), previews it against the financed hours, saves it; «
Charger le calendrier » of the open month then shows the new plan, and the months whose
hours are entered keep theirs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.dossiers.models import PlannedDay
from realisa.dossiers.periods import shift_month
from tests.browser.conftest import (
    PHONE,
    assert_fits_phone,
    login,
    open_entry_from_calendar,
    visit,
)


def test_of_user_enters_the_plan_from_a_weekly_pattern_and_loads_it_in_a_month(
    page: Page, live_server: Any, demo_world: Any
) -> None:
    page.set_viewport_size(PHONE)
    today = timezone.localdate()
    number = f"FPE-{today.year}-0001"
    month = shift_month(today.replace(day=1), -1)  # open, no hours yet

    login(page, live_server, "of.user")
    visit(page, f"{live_server.url}/certificats/{number}/")
    page.get_by_role("link", name="Calendrier prévisionnel").click()
    expect(page.get_by_role("heading", name="Saisir le calendrier à partir d'une semaine type"))
    assert_fits_phone(page)
    for day in ("lundi", "mardi", "mercredi", "jeudi"):
        page.get_by_label(f"En centre le {day}").fill("6")
    page.get_by_label("En centre le vendredi").fill("")
    page.get_by_role("button", name="Aperçu", exact=True).click()
    expect(page.get_by_role("heading", name="Aperçu (rien n'est enregistré)")).to_be_visible()
    expect(page.locator(".plan-preview")).to_contain_text("Total prévu")
    assert_fits_phone(page)
    page.get_by_role("button", name="Enregistrer le calendrier").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Le calendrier prévisionnel est enregistré"
    )
    planned = PlannedDay.objects.filter(
        dossier__number=number, date__year=month.year, date__month=month.month
    )
    assert planned.exists() and {day.date.weekday() for day in planned} <= {0, 1, 2, 3}

    dialog = open_entry_from_calendar(page, live_server, number, month)
    expect(dialog.locator("#id_jours-0-centre")).to_have_value("6 h")
