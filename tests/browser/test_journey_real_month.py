"""A real month, certification 1: of.user adds a Saturday catch-up session to the planned
days, so the month is above its plan and needs « Motif de l'écart »; certifies on paper with
the signed scan; the beneficiary and the employer then download the sealed signed
certificate, and nothing the employer reaches names another person's address, browser,
login or e-mail."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.documents.sealing import verify_pdf
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import shift_month
from realisa.lib.french import french_date, of_month
from realisa.lib.hours import format_minutes
from tests.browser.conftest import assert_accessible, login, open_entry_from_calendar
from tests.online.test_employer_privacy import EMAIL, IPV4, SITE, everything_in

REASON = "Séance de rattrapage le samedi, à la demande de l'employeur"


def catch_up_saturday(dossier: Dossier, month: date) -> date:
    """The month's first Saturday within the training that the calendar does not plan."""
    planned = set(dossier.planned_days.values_list("date", flat=True))
    day = max(month, dossier.start_date)
    while day.weekday() != 5 or day in planned:
        day += timedelta(days=1)
    assert day.month == month.month and day <= dossier.end_date
    return day


def download(page: Page, link_name: str, folder: Path) -> bytes:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).first.click()
    path = folder / download_info.value.suggested_filename
    download_info.value.save_as(path)
    return path.read_bytes()


def test_a_catch_up_saturday_certified_on_paper_reaches_every_party_sealed(
    page: Page, live_server: Any, demo_world: Any, tmp_path: Path
) -> None:
    today = timezone.localdate()
    number = f"FPE-{today.year}-0001"
    month = shift_month(today.replace(day=1), -1)  # covered by an advance only: open
    dossier = Dossier.objects.get(number=number)
    saturday = catch_up_saturday(dossier, month)
    planned = sum(
        day.centre_minutes + day.internship_minutes
        for day in dossier.planned_days.filter(date__year=month.year, date__month=month.month)
    )

    login(page, live_server, "of.user")
    user_agent = page.evaluate("navigator.userAgent")
    dialog = open_entry_from_calendar(page, live_server, number, month)

    # The Saturday, outside the plan: added with the date picker, bounded to the month.
    new_day = dialog.get_by_label("Date du jour à ajouter")
    expect(new_day).to_have_attribute("min", f"{max(month, dossier.start_date):%Y-%m-%d}")
    new_day.fill(f"{saturday:%Y-%m-%d}")
    dialog.get_by_role("button", name="Ajouter un jour").click()
    saturday_words = french_date(saturday, weekday=True)
    saturday_centre = dialog.get_by_label(f"Présence en centre le {saturday_words}")
    expect(saturday_centre).to_be_visible()
    expect(dialog.get_by_text("hors calendrier")).to_be_visible()
    saturday_centre.fill("3h30")
    dialog.get_by_label("Je certifie la saisie des heures").check()
    dialog.get_by_label("J'accepte que mon adresse IP soit utilisée").check()

    # Above the plan without a reason: refused next to the field, nothing lost.
    dialog.get_by_role("button", name="OK", exact=True).click()
    reason = dialog.get_by_label("Motif de l'écart")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator(".errorlist").first).to_contain_text("Indiquez le motif de l'écart")
    expect(saturday_centre).to_have_value("3h30")  # the form comes back as typed
    assert_accessible(page)
    reason.fill(REASON)
    with page.expect_navigation():
        dialog.get_by_role("button", name="OK", exact=True).click()

    expect(page.get_by_role("heading", level=2)).to_have_text(
        f"Certificat de réalisation {of_month(month)}"
    )
    expect(page.locator("main")).to_contain_text(REASON)  # shown on the month's page
    expect(page.locator(".facts")).to_contain_text(format_minutes(planned + 3 * 60 + 30))
    assert_accessible(page)
    printed = download(page, "Télécharger le certificat de réalisation (PDF)", tmp_path)
    assert printed.startswith(b"%PDF-")
    scan = tmp_path / "certificat-signe.pdf"
    scan.write_bytes(printed)  # printed, signed, scanned
    page.get_by_label("Certificat signé (PDF, PNG ou JPEG)").set_input_files(scan)
    page.get_by_role("button", name="Déposer le certificat signé").click()
    expect(page.get_by_role("status").first).to_contain_text("Le certificat signé est déposé.")
    page.get_by_role("button", name="Certifier").click()
    expect(page.get_by_role("status").first).to_contain_text("Les heures sont certifiées.")
    expect(page.locator(".status")).to_have_text("Certifié par l'organisme")
    assert_accessible(page)

    link = f"Télécharger le PDF du certificat {of_month(month)}"
    for person in ("beneficiaire", "employeur"):
        page.context.clear_cookies()
        login(page, live_server, person)
        page.get_by_role("link", name="Mes certificats").click()
        assert_accessible(page)
        pdf = download(page, link, tmp_path)
        result = verify_pdf(pdf)
        assert result.ok, result.message  # sealed by the portal, whole document
        parts = everything_in(pdf)
        assert "CERTIFICAT DE RÉALISATION SIGNÉ" in parts["text"]  # the cover, then the scan
        if person == "employeur":
            assert_nothing_personal(parts, user_agent)


LOGINS = {"of.user", "of.admin", "beneficiaire", "employeur", "agent"}


def strings(data: Any) -> list[str]:
    """Every string value of a JSON document (its keys are the format's, not data)."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in strings(value)]
    return [data] if isinstance(data, str) else []


def assert_nothing_personal(parts: dict[str, str], user_agent: str) -> None:
    """No address, browser, login or unmasked e-mail of anyone in the employer's PDF."""
    for where, text in parts.items():
        assert user_agent not in text, where
        assert "of.user" not in text and "of.admin" not in text, where
        assert not IPV4.findall(SITE.sub("", text.replace("\n", ""))), where
        assert not [email for email in EMAIL.findall(text) if "*" not in email], where
        if where.startswith("file "):
            assert not LOGINS & set(strings(json.loads(text))), where
