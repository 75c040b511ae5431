"""The funder's agent imports three new dossiers from a CSV, one of them at an organisation
the portal does not know. That organisation's new admin activates the account from the
invitation in the demo mailbox, enters the planned calendar from a weekly pattern, and
« Charger le calendrier » of the first month shows it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import shift_month
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_fits_phone,
    login,
    open_entry_from_calendar,
    visit,
)
from tests.factories import make_siret
from tests.funder.test_dossier_import import csv_of, line

PASSWORD = "un-long-mot-de-passe-2026"
NEW_SIRET = make_siret(30_500_001)


def first_monday(month: date) -> date:
    return month + timedelta(days=(7 - month.weekday()) % 7)


def the_file(start: date, end: date, known_siret: str, known_name: str) -> bytes:
    dates = {"debut": f"{start:%d/%m/%Y}", "fin": f"{end:%d/%m/%Y}"}
    return csv_of(
        line(
            dossier="PTP-IMPORT-1",
            siret_organisme=NEW_SIRET,
            organisme="Atelier Numérique de Nancy",
            email_organisme="direction@atelier-nancy.example",
            **dates,
        ),
        line(
            dossier="PTP-IMPORT-2",
            identifiant_beneficiaire="B-2002",
            prenom="Hugo",
            civilite="M.",
            email_beneficiaire="hugo@example.org",
            siret_organisme=NEW_SIRET,
            organisme="Atelier Numérique de Nancy",
            email_organisme="direction@atelier-nancy.example",
            **dates,
        ),
        line(
            dossier="PTP-IMPORT-3",
            identifiant_beneficiaire="B-2003",
            prenom="Inès",
            email_beneficiaire="ines@example.org",
            siret_organisme=known_siret,
            organisme=known_name,
            email_organisme="",
            siret_employeur="",
            employeur="",
            email_employeur="",
            **dates,
        ),
    )


def test_agent_imports_dossiers_and_the_new_organisation_enters_its_plan(
    page: Page, live_server: Any, demo_world: Any, settings: Any
) -> None:
    settings.DEMO_MODE = True  # the demo mailbox holds the invitation
    today = timezone.localdate()
    month = shift_month(today.replace(day=1), -1)  # the first month: past, open for entry
    start = first_monday(month)
    end = shift_month(month, 5) - timedelta(days=1)
    known = Dossier.objects.select_related("organisation").first()
    assert known is not None
    content = the_file(start, end, known.organisation.siret, known.organisation.name)

    login(page, live_server, "agent")
    visit(page, f"{live_server.url}/financeur/suivi/")
    page.get_by_role("link", name="Importer des dossiers").click()
    assert_accessible(page)
    page.get_by_label("Fichier des dossiers (CSV ou XLSX)").set_input_files(
        {"name": "dossiers.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.get_by_role("heading", name="Aperçu de l'import")).to_be_visible()
    expect(page.locator(".import-report")).to_contain_text("3 dossiers créés, 0 mis à jour")
    expect(page.locator(".import-report")).to_contain_text(
        "Administrateur de « Atelier Numérique de Nancy » : invitation à "
        "direction@atelier-nancy.example"
    )
    assert_accessible(page)
    assert not Dossier.objects.filter(number="PTP-IMPORT-1").exists()
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Import terminé : 3 dossiers créés, 0 mis à jour, 0 inchangé."
    )
    page.locator("#contenu").get_by_role("link", name="Suivi des certificats").click()
    page.get_by_role("link", name="Comptes non activés").click()
    expect(page.locator(".invitation-list")).to_contain_text("direction@atelier-nancy.example")
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # The new admin, on a phone, reads the invitation and chooses a password.
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}/demo/boite-mail/?a=direction@atelier-nancy.example")
    page.get_by_role("link", name=re.compile("Votre compte Réalisa")).first.click()
    body = page.locator(".email-body").inner_text()
    assert "pour l'organisme « Atelier Numérique de Nancy »" in body
    found = re.search(r"http://\S+(/mot-de-passe/creer/\S+/)", body)
    assert found is not None
    visit(page, f"{live_server.url}{found.group(1)}")
    page.get_by_label("Nouveau mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_text("Mot de passe enregistré")).to_be_visible()

    visit(page, f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill("direction@atelier-nancy.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mes dossiers")).to_be_visible()
    expect(page.get_by_role("link", name="PTP-IMPORT-1")).to_be_visible()
    expect(page.get_by_role("link", name="PTP-IMPORT-3")).to_have_count(0)  # not theirs
    assert_fits_phone(page)

    visit(page, f"{live_server.url}/certificats/PTP-IMPORT-1/")
    page.get_by_role("link", name="Calendrier prévisionnel").click()
    for day in ("lundi", "mardi", "mercredi", "jeudi", "vendredi"):
        page.get_by_label(f"En centre le {day}").fill("7")
    page.get_by_role("button", name="Aperçu", exact=True).click()
    expect(page.get_by_role("heading", name="Aperçu (rien n'est enregistré)")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_role("button", name="Enregistrer le calendrier").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Le calendrier prévisionnel est enregistré"
    )

    dialog = open_entry_from_calendar(page, live_server, "PTP-IMPORT-1", month)
    expect(dialog.locator("#id_jours-0-centre")).to_have_value("7 h")
