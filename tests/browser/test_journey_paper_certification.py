"""Certification 1: the organisation enters, prints, uploads the signed scan and certifies;
the beneficiary then finds the certificate in « Mes certificats »."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from realisa.dossiers.periods import shift_month
from realisa.lib.french import of_month
from tests.browser.conftest import assert_accessible, login, open_entry_from_calendar


def test_of_user_certifies_on_paper_and_the_beneficiary_finds_it(
    page: Page, live_server, demo_world, tmp_path: Path
) -> None:
    today = timezone.localdate()
    number = f"FPE-{today.year}-0001"
    month = shift_month(today.replace(day=1), -1)  # covered by an advance only: open

    login(page, live_server, "of.user")
    dialog = open_entry_from_calendar(page, live_server, number, month)
    dialog.get_by_label("Je certifie la saisie des heures").check()
    dialog.get_by_label("J'accepte que mon adresse IP soit utilisée").check()
    with page.expect_navigation():
        dialog.get_by_role("button", name="OK", exact=True).click()

    # The month's page: step 1, print; step 2, the signed scan; step 3, attendance sheets.
    expect(page.get_by_role("heading", level=2)).to_have_text(
        f"Certificat de réalisation {of_month(month)}"
    )
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le certificat de réalisation (PDF)").click()
    printed = tmp_path / "certificat.pdf"
    download_info.value.save_as(printed)
    assert printed.read_bytes().startswith(b"%PDF-")

    page.get_by_label("Certificat signé (PDF, PNG ou JPEG)").set_input_files(printed)
    page.get_by_role("button", name="Déposer le certificat signé").click()
    expect(page.get_by_role("status").first).to_contain_text("Le certificat signé est déposé.")
    expect(page.get_by_text("Certificat signé déposé le")).to_be_visible()

    page.get_by_label("Feuille d'émargement (PDF, PNG ou JPEG)").set_input_files(printed)
    page.get_by_role("button", name="Ajouter la feuille d'émargement").click()
    expect(page.get_by_role("link", name="certificat.pdf")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Certifier").click()
    expect(page.get_by_role("status").first).to_contain_text("Les heures sont certifiées.")
    expect(page.locator(".status")).to_have_text("Certifié par l'organisme")
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, "beneficiaire")
    page.get_by_role("link", name="Mes certificats").click()
    month_name = date_format(month, "F Y").capitalize()
    row = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=month_name))
        .filter(has_text=number)
    )
    expect(row).to_contain_text("Certifié par l'organisme")
    pdf_link = f"Télécharger le PDF du certificat de {date_format(month, 'F Y')}"
    expect(row.get_by_role("link", name=pdf_link)).to_be_visible()
    assert_accessible(page)
