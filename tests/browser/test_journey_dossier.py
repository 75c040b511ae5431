"""An organisation's user finds a dossier and reads its months; others cannot see it."""

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login, visit

STATUSES = [
    "La saisie n'est pas disponible",
    "En attente de la saisie de l'organisme",
    "La saisie n'est plus disponible car des règlements ont été faits dans la période",
]


def test_of_user_reads_the_months_of_a_dossier(page: Page, live_server, demo_world) -> None:
    number = f"FPE-{timezone.localdate().year}-0001"

    login(page, live_server, "of.user")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes dossiers")

    julie = page.get_by_role("row").filter(has_text="Mme Julie MARTIN")
    julie.get_by_role("link", name=number, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Dossier {number}")
    expect(page.get_by_role("link", name="Certificats de réalisation")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    months = page.get_by_role("table", name="Un certificat par mois de formation")
    for status in STATUSES:
        expect(months.get_by_text(status, exact=True).first).to_be_visible()
    dossier_url = page.url

    page.context.clear_cookies()
    login(page, live_server, "beneficiaire2")
    response = visit(page, dossier_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
