"""The months of a dossier as the « Certificats de réalisation » tab lists them.

The tab is the organisation's most visited page, so each row carries its texts and links
ready to print: formatting dates and building URLs in the template, row by row, cost
more than the page's queries (``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.certificates.months import MonthPeriod, PaidPeriod, month_status, training_months
from realisa.certificates.plan import of_month
from realisa.choices import MonthStatus
from realisa.documents.french import french_month
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier, Payment
from realisa.lib.links import link

# A month contested by its beneficiary (certification 2) opens again: the organisation
# corrects the hours, which makes it `entered`, and certifies again.
ENTRY_STATUSES = frozenset({MonthStatus.AWAITING_ENTRY, MonthStatus.ENTERED, MonthStatus.CONTESTED})


@dataclass(frozen=True)
class MonthCertificate:
    """What the months table shows of a month's certificate (read as plain values: the
    page is busy, and model instances of every column cost more than the query)."""

    pk: int
    status: str
    centre_minutes: int
    internship_minutes: int
    absence_minutes: int
    entered_at: datetime | None
    entered_by: str  # the person's name, "" before any entry
    latest_version: int | None  # the number of its latest PDF, None before the first

    @property
    def presence_minutes(self) -> int:
        return self.centre_minutes + self.internship_minutes


@dataclass(frozen=True)
class MonthRow:
    period: MonthPeriod
    status: MonthStatus
    certificate: MonthCertificate | None
    dossier_number: str = ""

    @property
    def entry_allowed(self) -> bool:
        return self.status in ENTRY_STATUSES

    @property
    def anchor(self) -> str:
        """The row's id, « mois-2026-03 », which links and tests point at."""
        return f"mois-{self.period.month.year}-{self.period.month.month:02}"

    @property
    def label(self) -> str:
        """« Mars 2026 »."""
        return french_month(self.period.month).capitalize()

    @property
    def of_month(self) -> str:
        """« de mars 2026 », « d'avril 2026 »."""
        return of_month(self.period.month)

    @property
    def dates(self) -> str:
        """« du 02/03 au 31/03/2026 »."""
        first, last = self.period.first_day, self.period.last_day  # strftime costs 3 times more
        return f"du {first.day:02}/{first.month:02} au {last.day:02}/{last.month:02}/{last.year}"

    @property
    def entered(self) -> str:
        """« par Paul Durand, le 03/04/2026 à 09:15 » once hours are entered, else ""."""
        certificate = self.certificate
        if certificate is None or not certificate.entered_by or certificate.entered_at is None:
            return ""
        when = timezone.localtime(certificate.entered_at)
        return f"par {certificate.entered_by}, le {when:%d/%m/%Y à %H:%M}"

    def _month_args(self) -> tuple[str, int, int]:
        return (self.dossier_number, self.period.month.year, self.period.month.month)

    @property
    def entry_url(self) -> str:
        return link("certificates:enter", *self._month_args())

    @property
    def month_url(self) -> str:
        return link("certificates:month", *self._month_args())

    @property
    def download_url(self) -> str:
        return link("documents:download", self.certificate.pk) if self.certificate else ""

    @property
    def history_url(self) -> str:
        return link("documents:history", self.certificate.pk) if self.certificate else ""


def month_rows(dossier: Dossier, today: date) -> list[MonthRow]:
    """Every month of the dossier with its status, its certificate's hours and its latest
    PDF version's number; two queries whatever the length."""
    payments = [PaidPeriod(*row) for row in _fetch(PAYMENTS_SQL, dossier.pk)]
    certificates = dict(_certificates(dossier))
    rows = []
    for period in training_months(dossier.start_date, dossier.end_date):
        certificate = certificates.get(period.month)
        status = month_status(
            period,
            today=today,
            payments=payments,
            stored=certificate.status if certificate else None,
        )
        rows.append(MonthRow(period, status, certificate, dossier.number))
    return rows


# The months page is the portal's busiest, and building these two small queries with the
# ORM cost twenty times as long as running them (about 1.4 ms against 0.08 ms on SQLite,
# docs/performance.md), so they are written out. The dossier they read has been fetched
# through its visibility scope already; tests run them on SQLite and PostgreSQL.
CERTIFICATES_SQL = f"""
SELECT c.month, c.id, c.status, c.centre_minutes, c.internship_minutes, c.absence_minutes,
       c.entered_at, u.first_name, u.last_name, u.username,
       (SELECT MAX(v.number) FROM {CertificateVersion._meta.db_table} v
        WHERE v.certificate_id = c.id)
FROM {Certificate._meta.db_table} c
LEFT JOIN {User._meta.db_table} u ON u.id = c.entered_by_id
WHERE c.dossier_id = %s
"""  # noqa: S608 (table names from the models; the one value is a parameter)
PAYMENTS_SQL = f"""
SELECT period_start, period_end, is_advance FROM {Payment._meta.db_table} WHERE dossier_id = %s
"""  # noqa: S608


def _fetch(sql: str, dossier_id: int) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier_id])
        return list(cursor.fetchall())


def _certificates(dossier: Dossier) -> Iterator[tuple[date, MonthCertificate]]:
    for row in _fetch(CERTIFICATES_SQL, dossier.pk):
        month, pk, status, centre, internship, absence, at, first, last, login, version = row
        name = f"{first or ''} {last or ''}".strip() or login or ""  # as User.__str__
        yield (
            month,
            MonthCertificate(pk, status, centre, internship, absence, _as_utc(at), name, version),
        )


def _as_utc(value: datetime | None) -> datetime | None:
    """SQLite gives stored datetimes naive (they are UTC), PostgreSQL aware. (Django's
    SQLite backend converts the columns declared date and datetime, as the ORM would.)"""
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
