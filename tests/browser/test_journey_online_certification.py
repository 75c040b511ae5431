"""Certification 2: the organisation certifies a month with the e-mailed code, the
beneficiary validates it, and the final sealed PDF verifies on the verification page."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.documents.sealing import verify_pdf
from realisa.documents.sealing_keys import forget_seal_keys
from realisa.dossiers.periods import shift_month
from realisa.lib import background
from realisa.lib.french import of_month
from realisa.notifications.models import OutboxEmail
from tests.browser.conftest import assert_accessible, login, visit


def verified(pdf: bytes) -> bool:
    """pyHanko's check, off the main thread (Playwright's event loop runs there)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: verify_pdf(pdf).ok).result()


def _download(page: Page, name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=name).first.click()
    return Path(download.value.path()).read_bytes()


def _code_from_mailbox(page: Page, live_server: Any) -> str:
    mailbox = page.context.new_page()
    visit(mailbox, f"{live_server.url}/demo/boite-mail/?a=of.user")
    mailbox.get_by_role("link", name=re.compile("Votre code de vérification")).first.click()
    assert_accessible(mailbox)
    body = mailbox.locator(".email-body").inner_text()
    mailbox.close()
    found = re.search(r"^(\d{4})$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def _enter_hours_with_both_boxes(page: Page, live_server: Any, number: str, month: Any) -> None:
    visit(page, f"{live_server.url}/certificats/{number}/")
    row = page.locator(f"#mois-{month:%Y-%m}")
    row.get_by_role("link", name=f"Saisir les heures {of_month(month)}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Charger le calendrier").click()
    calendar = dialog.get_by_role("region", name="Calendrier prévisionnel")
    calendar.get_by_role("button", name="OK").click()
    expect(calendar).to_have_count(0)  # the planned hours are copied into the grid
    dialog.get_by_label("Je certifie la saisie des heures").check()
    dialog.get_by_label("J'accepte que mon adresse IP soit utilisée").check()
    with page.expect_navigation():
        dialog.get_by_role("button", name="OK", exact=True).click()
    assert_accessible(page)


def test_of_user_certifies_online_and_the_beneficiary_validates(
    page: Page, live_server: Any, demo_world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DEMO_MODE = True  # the demo mailbox shows the e-mailed code
    settings.DATA_DIR = tmp_path  # this journey's own local seal
    forget_seal_keys()
    today = timezone.localdate()
    number = f"FPE-{today.year}-0001"
    month = shift_month(today.replace(day=1), -1)

    login(page, live_server, "of.user")
    _enter_hours_with_both_boxes(page, live_server, number, month)
    expect(
        page.get_by_role("heading", name="Certification 2 : 100 % dématérialisée")
    ).to_be_visible()
    page.get_by_role("link", name="Certifier en 100 % dématérialisé").click()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer le code de vérification par email").click()
    expect(page.get_by_role("status").first).to_contain_text("Le code de vérification a été envoyé")
    assert_accessible(page)
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_text("Attention code valable ¼ d'heure")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("textbox", name="Code de vérification").fill(
        _code_from_mailbox(page, live_server)
    )
    page.get_by_role("button", name="Valider le code").click()
    expect(page.get_by_role("status").first).to_contain_text("Les heures sont certifiées")
    assert_accessible(page)
    certified = _download(page, "Télécharger le certificat de réalisation (PDF)")
    assert verified(certified)

    page.context.clear_cookies()
    login(page, live_server, "beneficiaire")
    visit(page, f"{live_server.url}/certificats/{number}/{month.year}/{month.month}/")
    page.get_by_role("link", name="Valider les heures").click()
    assert_accessible(page)
    page.get_by_role("button", name="Valider les heures").click()
    expect(page.get_by_role("status").first).to_contain_text("les heures sont validées")
    assert_accessible(page)
    final = _download(page, "Télécharger le certificat de réalisation (PDF)")
    assert final != certified and verified(final)

    visit(page, f"{live_server.url}/documents/verifier/")
    page.get_by_label("Ou le fichier PDF du certificat").set_input_files(
        files=[{"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": final}]
    )
    page.get_by_role("button", name="Vérifier").click()
    result = page.get_by_role("status").filter(has_text="Résultat")
    expect(result).to_contain_text("Ce fichier est authentique")
    expect(result).to_contain_text("Le sceau électronique est valide")
    assert_accessible(page)
    assert background.RUNNER.stop(timeout=30)  # every job the live server was asked for ran
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
