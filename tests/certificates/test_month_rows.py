"""The months table's rows: what its two queries read, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.test import Client

from realisa.certificates.queries import month_rows
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.services import generate_version
from tests.conftest import World
from tests.factories import CertificateFactory, PaymentFactory

TODAY = date(2026, 7, 10)


def test_a_row_carries_its_certificate_hours_person_time_and_latest_version(
    world: World,
) -> None:
    dossier = world.dossier  # 12 January → 19 June 2026
    world.of_user.first_name, world.of_user.last_name = "Nadia", "Benali"
    world.of_user.save()
    entered = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)  # 9:15 in Paris
    march = CertificateFactory(
        dossier=dossier,
        month=date(2026, 3, 1),
        centre_minutes=120 * 60 + 30,
        internship_minutes=14 * 60,
        absence_minutes=7 * 60,
        entered_by=world.of_user,
        entered_at=entered,
    )
    generate_version(march, reason=VersionReason.ENTRY, actor=world.of_user)
    generate_version(march, reason=VersionReason.ENTRY, actor=world.of_user)

    rows = {row.period.month: row for row in month_rows(dossier, world.agent, TODAY)}

    assert list(rows) == [date(2026, month, 1) for month in range(1, 7)]
    row = rows[date(2026, 3, 1)]
    assert row.certificate is not None
    assert row.certificate.pk == march.pk
    assert row.certificate.status == MonthStatus.ENTERED
    assert row.certificate.presence_minutes == 134 * 60 + 30
    assert row.certificate.absence_minutes == 7 * 60
    assert row.certificate.entered_at == entered
    assert row.certificate.latest_version == 2
    assert str(row.certificate.entered_by) == "Nadia Benali"
    assert rows[date(2026, 4, 1)].certificate is None


def test_a_row_without_entry_names_nobody_and_has_no_version(world: World) -> None:
    CertificateFactory(dossier=world.dossier, month=date(2026, 2, 1), entered_by=None)
    rows = month_rows(world.dossier, world.agent, TODAY)
    row = {r.period.month: r for r in rows}[date(2026, 2, 1)]
    assert row.certificate is not None
    assert row.certificate.latest_version is None
    assert row.certificate.entered_by is None


def test_a_payment_locks_the_months_it_covers(world: World) -> None:
    PaymentFactory(
        dossier=world.dossier, period_start=date(2026, 1, 12), period_end=date(2026, 2, 28)
    )
    rows = month_rows(world.dossier, world.agent, TODAY)
    statuses = {row.period.month.month: row.status for row in rows}
    assert statuses[1] == statuses[2] == MonthStatus.LOCKED
    assert statuses[3] == MonthStatus.AWAITING_ENTRY


def test_the_months_page_shows_the_row(world: World, client: Client) -> None:
    world.of_user.first_name, world.of_user.last_name = "Nadia", "Benali"
    world.of_user.save()
    CertificateFactory(
        dossier=world.dossier,
        month=date(2026, 3, 1),
        entered_by=world.of_user,
        entered_at=datetime(2026, 4, 1, 22, 30, tzinfo=UTC),  # 2 April, 0:30 in Paris
    )
    client.force_login(world.of_user)
    page = client.get(f"/certificats/{world.dossier.number}/").content.decode()
    assert 'id="mois-2026-03"' in page
    assert "par Nadia Benali, le 02/04/2026 à 00:30" in page
    assert "du 01/03 au 31/03/2026" in page
    assert "Saisir les heures de mars 2026" in page
