"""A month keeps the plan it was certified against: the planned days of the month are
kept at certification, shown with the month, and survive a later change of the calendar."""

from __future__ import annotations

from datetime import date
from html import unescape

from django.test import Client

from realisa.certificates.certification import certify_paper
from realisa.certificates.models import Certificate
from realisa.certificates.reopening import reopen
from realisa.dossiers.models import Dossier, PlannedDay
from tests.certificates.conftest import PLANNED_DAYS
from tests.certificates.test_entry_service import enter
from tests.certificates.test_paper_certification import pdf, url
from tests.conftest import World


def certified(client: Client, world: World, dossier: Dossier) -> Certificate:
    certificate = enter(dossier, world.of_user).certificate
    client.force_login(world.of_user)
    client.post(url("signed_scan_upload", dossier), {"signed_scan": pdf()})
    assert client.post(url("certify", dossier)).status_code == 302
    certificate.refresh_from_db()
    return certificate


def march_total() -> int:
    return sum(centre + internship for centre, internship in PLANNED_DAYS.values())


def test_certification_keeps_the_months_planned_days(
    client: Client, world: World, dossier: Dossier
) -> None:
    certificate = certified(client, world, dossier)
    assert certificate.planned_snapshot == [
        [day.isoformat(), centre, internship]
        for day, (centre, internship) in sorted(PLANNED_DAYS.items())
    ]
    page = unescape(client.get(url("month", dossier)).text)
    hours = march_total() // 60
    assert f'Prévu à la certification</dt><dd class="certified-plan">{hours} h sur ' in page
    assert "modifié depuis" not in page


def test_a_later_change_of_the_plan_leaves_the_certified_month_its_plan(
    client: Client, world: World, dossier: Dossier
) -> None:
    certificate = certified(client, world, dossier)
    kept = certificate.planned_snapshot
    first = min(PLANNED_DAYS)
    PlannedDay.objects.filter(dossier=dossier, date=first).delete()  # e.g. a closure added
    certificate.refresh_from_db()
    assert certificate.planned_snapshot == kept
    page = unescape(client.get(url("month", dossier)).text)
    now = (march_total() - sum(PLANNED_DAYS[first])) / 60
    now_text = f"{int(now)} h" if now == int(now) else f"{int(now)} h {int(now % 1 * 60):02}"
    assert (
        "le calendrier a été modifié depuis et prévoit aujourd'hui " + now_text + " pour ce mois"
    ) in page
    # The beneficiary reads the same month with the same plan.
    client.force_login(world.beneficiary)
    assert "Prévu à la certification" in unescape(client.get(url("month", dossier)).text)


def test_reopening_drops_the_kept_plan_and_certifying_again_keeps_todays(
    client: Client, world: World, dossier: Dossier
) -> None:
    certificate = certified(client, world, dossier)
    first = min(PLANNED_DAYS)
    PlannedDay.objects.filter(dossier=dossier, date=first).delete()
    reopen(certificate, actor=world.agent, reason="Calendrier corrigé")
    certificate.refresh_from_db()
    assert certificate.planned_snapshot is None
    certificate = enter(
        dossier, world.of_user, version=certificate.version, gap_reason="Rattrapage du 2 mars"
    ).certificate
    client.force_login(world.of_user)
    client.post(url("signed_scan_upload", dossier), {"signed_scan": pdf()})
    assert client.post(url("certify", dossier)).status_code == 302
    certificate.refresh_from_db()
    assert first.isoformat() not in [day for day, _, _ in certificate.planned_snapshot]


def test_a_dossier_without_a_planned_calendar_keeps_none(client: Client, world: World) -> None:
    dossier = world.dossier
    assert not dossier.planned_days.exists()
    certificate = certified(client, world, dossier)
    assert certificate.planned_snapshot is None
    assert "Prévu à la certification" not in client.get(url("month", dossier)).text


def test_the_service_keeps_it_too(world: World, dossier: Dossier) -> None:
    certificate = enter(dossier, world.of_user).certificate
    certificate.signed_scan.save("scan.pdf", pdf(), save=True)
    certify_paper(certificate, actor=world.of_user, request=None)
    certificate.refresh_from_db()
    assert len(certificate.planned_snapshot) == len(PLANNED_DAYS)
    assert date.fromisoformat(certificate.planned_snapshot[0][0]).month == 3
