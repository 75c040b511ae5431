"""A month's work for all trainees in minutes: of.user imports last month's hours from a
CSV, certifies every month waiting online with one code read in the demo mailbox, and
downloads the sealed certificates and the batch's manifest."""

from __future__ import annotations

import hashlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdf
from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.certificates.models import CertificationBatch
from realisa.documents.seal_verification import verify_pdf
from realisa.documents.sealing_keys import forget_seal_keys, seal_keys
from realisa.dossiers.models import PlannedDay
from realisa.dossiers.periods import month_end, shift_month
from realisa.lib import background
from tests.browser.conftest import assert_accessible, login, visit
from tests.sealing.conftest import run_pdfsig


def verified(pdf: bytes) -> bool:
    """pyHanko's check, off the main thread (Playwright's event loop runs there)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: verify_pdf(pdf).ok).result()


def attachment(pdf: bytes, name: str) -> bytes:
    (content,) = pypdf.PdfReader(io.BytesIO(pdf)).attachments[name]
    return content  # type: ignore[no-any-return]


def last_month_csv(numbers: list[str]) -> bytes:
    """Last month's planned days of these dossiers, as attendance software exports them."""
    first = shift_month(timezone.localdate().replace(day=1), -1)
    lines = ["dossier;date;centre;stage;absence"]
    for number in numbers:
        days = PlannedDay.objects.filter(
            dossier__number=number, date__range=(first, month_end(first))
        ).order_by("date")
        assert days, number
        lines += [
            f"{number};{day.date:%d/%m/%Y};{day.centre_minutes / 60:g};"
            f"{day.internship_minutes / 60:g};0"
            for day in days
        ]
    return "\n".join(lines).encode()


def code_from_mailbox(page: Page, live_server: Any) -> str:
    mailbox = page.context.new_page()
    visit(mailbox, f"{live_server.url}/demo/boite-mail/?a=of.user")
    mailbox.get_by_role("link", name=re.compile(r"certifier \d+ mois en lot")).first.click()
    body = mailbox.locator(".email-body").inner_text()
    mailbox.close()
    found = re.search(r"^(\d{4})$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def download(page: Page, link: Any) -> bytes:
    with page.expect_download() as done:
        link.click()
    return Path(done.value.path()).read_bytes()


def test_of_user_imports_the_month_and_certifies_it_for_all_with_one_code(
    page: Page, live_server: Any, demo_world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DEMO_MODE = True  # the demo mailbox shows the e-mailed code
    settings.DATA_DIR = tmp_path  # this journey's own local seal
    forget_seal_keys()
    year = timezone.localdate().year
    numbers = [f"FPE-{year}-0001", f"FPE-{year}-0004"]

    login(page, live_server, "of.user")
    page.get_by_role("link", name="Importer des heures").first.click()
    page.get_by_label("Fichier des heures (CSV ou XLSX)").set_input_files(
        files=[{"name": "heures.csv", "mimeType": "text/csv", "buffer": last_month_csv(numbers)}]
    )
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.get_by_role("heading", name="Aperçu de l'import")).to_be_visible()
    expect(page.get_by_text("2 mois à enregistrer, 0 inchangé.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Je certifie la saisie des heures").check()
    page.get_by_label("J'accepte que mon adresse IP soit utilisée").check()
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Import terminé : 2 mois enregistrés, 0 inchangé."
    )

    page.get_by_role("link", name="Certifier en lot").first.click()
    assert_accessible(page)
    boxes = page.get_by_role("checkbox", name=re.compile("^Certifier "))
    count = boxes.count()
    assert count >= 3  # the two imported months, and Inès's months entered before
    for i in range(count):
        boxes.nth(i).check()
    page.get_by_role("button", name="Préparer le lot").click()
    page.get_by_role("button", name="Envoyer le code de vérification par email").click()
    expect(page.get_by_role("status").first).to_contain_text("Un code de vérification a été envoyé")
    assert_accessible(page)
    page.get_by_role("textbox", name="Code de vérification").fill(
        code_from_mailbox(page, live_server)
    )
    page.get_by_role("button", name=re.compile("^Certifier les ")).click()
    expect(page.get_by_text(re.compile("Lot terminé"))).to_be_visible(timeout=120_000)
    expect(page.get_by_text(f"Lot terminé : {count} mois certifiés.")).to_be_visible()
    assert_accessible(page)

    batch = CertificationBatch.objects.get()
    manifest = download(
        page, page.get_by_role("link", name="Télécharger le manifeste scellé du lot")
    )
    assert verified(manifest)
    assert hashlib.sha256(attachment(manifest, "manifeste.json")).hexdigest() == (
        batch.manifest_sha256
    )
    roots = list(seal_keys().trust_roots)
    links = page.get_by_role("link", name=re.compile("^Certificat scellé"))
    assert links.count() == count
    for i in range(count):
        pdf = download(page, links.nth(i))
        assert "Signature is Valid" in run_pdfsig(pdf, tmp_path, trust=roots)
        assert verified(pdf)
        shared = json.loads(attachment(pdf, "preuve.json"))
        assert shared["lot"]["manifeste_sha256"] == batch.manifest_sha256
    assert background.RUNNER.stop(timeout=60)  # every job the live server was asked for ran
