"""The funder's agent: dashboard, a payment that locks a month, a transmission and its CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import month_end, shift_month
from realisa.funder.exports import transmission_row
from realisa.funder.models import Transmission
from realisa.funder.transmission import ready_certificates
from tests.browser.conftest import assert_accessible, login, visit

LOCKED = "La saisie n'est plus disponible car des règlements ont été faits dans la période"


def test_agent_records_a_payment_and_transmits_the_ready_months(
    page: Page, live_server, demo_world, tmp_path: Path
) -> None:
    today = timezone.localdate()
    assert ready_certificates().exists()  # the demo leaves certified months to transmit
    earlier = set(Transmission.objects.values_list("pk", flat=True))  # the demo's batch
    number = f"FPE-{today.year}-0004"  # started last month: last month awaits entry
    dossier = Dossier.objects.get(number=number)
    paid_month = shift_month(today.replace(day=1), -1)
    start = max(paid_month, dossier.start_date)

    login(page, live_server, "agent")
    visit(page, f"{live_server.url}/financeur/suivi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suivi des certificats")
    expect(page.locator(".status-chart")).to_be_visible()

    visit(page, f"{live_server.url}/financeur/dossiers/{number}/")
    page.get_by_label("Période du").fill(f"{start:%Y-%m-%d}")
    page.get_by_label("Période au").fill(f"{month_end(paid_month):%Y-%m-%d}")
    page.get_by_label("Montant (€)").fill("1 500,00")
    page.get_by_label("Date du règlement").fill(f"{today:%Y-%m-%d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le règlement").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Règlement enregistré : la saisie est désormais verrouillée"
    )
    assert_accessible(page)

    visit(page, f"{live_server.url}/financeur/transmissions/")
    ready = list(ready_certificates())
    expect(page.locator("input[name=certificat]:checked")).to_have_count(0)  # deliberately
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Tout sélectionner")).click()
    expect(page.get_by_role("heading", name="Vérifier la transmission")).to_be_visible()
    expect(page.locator(".transmission-summary")).to_contain_text(f"{len(ready)} mois")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_role("status")).to_contain_text(f"{len(ready)} mois transmis")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le CSV").click()
    path = tmp_path / "transmission.csv"
    download_info.value.save_as(path)
    content = path.read_bytes()
    transmission = Transmission.objects.exclude(pk__in=earlier).get()
    assert content == bytes(transmission.csv_data)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    for certificate in ready:
        certificate.refresh_from_db()
        assert certificate.status == MonthStatus.TRANSMITTED
    lines = transmission.lines.select_related(
        "certificate__dossier__organisation", "certificate__dossier__beneficiary", "corrects"
    )
    # the file lists them by organisation, dossier and month; the page, oldest month first
    assert sorted(line.certificate.pk for line in lines) == sorted(c.pk for c in ready)
    assert rows[1:] == [transmission_row(line) for line in lines]

    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    login(page, live_server, "of.user")
    visit(page, f"{live_server.url}/certificats/{number}/")
    expect(page.locator(f"#mois-{paid_month:%Y-%m}")).to_contain_text(LOCKED)
