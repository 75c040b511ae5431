"""An organisation's user enters a paperless month's hours from the loaded calendar."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.dossiers.models import PlannedDay
from realisa.dossiers.periods import shift_month
from realisa.lib.french import of_month
from realisa.lib.hours import format_minutes
from tests.browser.conftest import assert_accessible, login, visit

LOCKED = "La saisie n'est plus disponible car des règlements ont été faits dans la période"


def test_of_user_enters_an_open_month_from_the_calendar(
    page: Page, live_server, demo_world
) -> None:
    today = timezone.localdate()
    number = f"FPE-{today.year}-0001"
    open_month = shift_month(today.replace(day=1), -1)  # all in the centre, open for entry
    locked_month = shift_month(today.replace(day=1), -5)  # paid by the demo's payment
    planned = sum(
        day.centre_minutes
        for day in PlannedDay.objects.filter(
            dossier__number=number, date__year=open_month.year, date__month=open_month.month
        )
    )

    login(page, live_server, "of.user")
    visit(page, f"{live_server.url}/certificats/{number}/")
    row = page.locator(f"#mois-{open_month:%Y-%m}")
    expect(row).to_contain_text("En attente de la saisie de l'organisme")
    row.get_by_role("link", name=f"Saisir les heures {of_month(open_month)}").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(
        f"Saisie des heures {of_month(open_month)}"
    )
    expect(dialog.get_by_role("heading", level=2)).to_be_focused()
    expect(dialog).to_contain_text("ATTENTION : Vérifiez que vous avez bien déduit")
    assert_accessible(page)

    dialog.get_by_role("button", name="Charger le calendrier").click()
    calendar = dialog.get_by_role("region", name="Calendrier prévisionnel")
    expect(calendar).to_be_visible()
    calendar.get_by_role("button", name="OK").click()
    first_day = dialog.locator("#id_jours-0-centre")
    expect(first_day).to_have_value("7 h")
    expect(first_day).to_be_focused()

    first_day.fill("4")
    dialog.locator("#id_jours-0-absence").fill("3")
    dialog.get_by_label("Je certifie la saisie des heures").check()
    dialog.get_by_label("J'accepte que mon adresse IP soit utilisée").check()
    assert_accessible(page)
    with page.expect_navigation():
        dialog.get_by_role("button", name="OK", exact=True).click()

    assert_accessible(page)
    expect(page.get_by_role("status").first).to_contain_text(
        f"Les heures {of_month(open_month)} sont enregistrées."
    )
    # The month's page comes next: its status, its totals and the steps of certification 1.
    expect(page.get_by_role("heading", level=2)).to_have_text(
        f"Certificat de réalisation {of_month(open_month)}"
    )
    expect(page.locator(".facts")).to_contain_text(format_minutes(planned - 3 * 60))
    expect(
        page.get_by_role("heading", name="Étape 2 : déposer le certificat signé")
    ).to_be_visible()

    visit(page, f"{live_server.url}/certificats/{number}/")
    row = page.locator(f"#mois-{open_month:%Y-%m}")
    expect(row).to_contain_text("Heures saisies, en attente de certification")
    expect(row.locator("td").nth(2)).to_have_text(format_minutes(planned - 3 * 60))
    expect(row.locator("td").nth(4)).to_have_text("3 h")
    expect(row).to_contain_text("par Nadia Benali, le ")

    locked = page.locator(f"#mois-{locked_month:%Y-%m}")
    expect(locked).to_contain_text(LOCKED)
    expect(locked.get_by_role("link")).to_have_count(0)
