"""``seed_demo --scale N``: N more dossiers shaped like the national network's, written with
bulk inserts (no PDF: the month-start batch makes them; no audit event: this is generated
data, not something a person did), then the months' summary of the new dossiers in bulk
(``certificates.month_summary.refresh``: bulk inserts send no signal).

The shape, for N = 100,000: about 1,500 organisations (one dossier in 20 goes to the
largest, « Organisme de formation 1 », so that one organisation has 5,000), trainings that
started over the last three years and last 3 to 18 months, and their closed months in every
state, older first: transmitted and paid (one payment per dossier up to its last
transmitted month, sometimes an advance besides), then certified on paper or online,
validated, contested, entered, or still awaiting entry for the last closed month. The
transmitted months have no batch rows (``Transmission``): they stand for batches sent
before. The planned calendars (about 200 days a dossier) are written up to
``CALENDARS_UP_TO`` dossiers; past that they would be tens of millions of rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from realisa.certificates.models import Certificate
from realisa.certificates.month_summary import refresh
from realisa.choices import ActionNature, CertificationMethod, Civility, MonthStatus
from realisa.demo.world import DAY, siret
from realisa.dossiers.models import Beneficiary, Dossier, Employer, Payment, PlannedDay
from realisa.dossiers.periods import MonthPeriod, shift_month, training_months
from realisa.lib.working_days import working_days
from realisa.organisations.models import Organisation

ORGANISATIONS = 1500  # the national network's, reached from N = 100,000
PER_ORGANISATION = 66  # dossiers an organisation has on average, below that
LARGEST_SHARE = 20  # one dossier in 20 goes to the largest organisation
CALENDARS_UP_TO = 10_000
BATCH = 5000
FIRST_NAMES = ["Julie", "Karim", "Sophie", "Lucas", "Inès", "Thomas", "Léa", "Hugo", "Amina"]
LAST_NAMES = ["Martin", "Bernard", "Haddad", "Roux", "Petit", "Durand", "Lefèvre", "Moreau"]
TITLES = [
    "Titre professionnel Développeur web et web mobile",
    "BTS Gestion de la PME",
    "CAP Électricien",
    "Titre professionnel Secrétaire assistant",
    "Titre professionnel Comptable assistant",
]
S = MonthStatus


def _organisations(count: int) -> list[Organisation]:
    sirets = [_siret(i) for i in range(count)]
    known = set(Organisation.objects.filter(siret__in=sirets).values_list("siret", flat=True))
    missing = [
        Organisation(siret=number, name=f"Organisme de formation {i + 1}", city="Nancy")
        for i, number in enumerate(sirets)
        if number not in known
    ]
    Organisation.objects.bulk_create(missing, batch_size=BATCH)
    by_siret = Organisation.objects.in_bulk(sirets, field_name="siret")
    return [by_siret[number] for number in sirets]


def _siret(index: int) -> str:
    return siret(f"7{index:07d}")


def organisation_count(count: int) -> int:
    return max(1, min(ORGANISATIONS, -(-count // PER_ORGANISATION)))


def owner(n: int, organisations: list[Organisation]) -> Organisation:
    """The largest organisation takes one dossier in ``LARGEST_SHARE``; the rest share out."""
    if n % LARGEST_SHARE == 0 or len(organisations) == 1:
        return organisations[0]
    return organisations[1 + n % (len(organisations) - 1)]


def build_scale(count: int, *, today: date | None = None, calendars: bool | None = None) -> int:
    """Add dossiers ``SC-…`` up to ``count`` of them; return how many were created."""
    today = today or timezone.localdate()
    existing = Dossier.objects.filter(number__startswith="SC-").count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    rng = random.Random(count)  # the same data for the same N
    with transaction.atomic():
        organisations = _organisations(organisation_count(count))
        employer, _ = Employer.objects.get_or_create(
            siret=siret("69999999"), defaults={"name": "Industries de l'Est SA", "city": "Metz"}
        )
        beneficiaries = Beneficiary.objects.bulk_create(
            (
                Beneficiary(
                    civility=rng.choice(Civility.values),
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=f"{rng.choice(LAST_NAMES)}-{existing + n}",
                )
                for n in range(wanted)
            ),
            batch_size=BATCH,
        )
        dossiers = [
            _dossier(n, beneficiary, owner(n, organisations), employer, today, rng)
            for n, beneficiary in enumerate(beneficiaries, start=existing)
        ]
        dossiers = Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
        if calendars if calendars is not None else count <= CALENDARS_UP_TO:
            _calendars(dossiers)
        _months(dossiers, today, rng)
        refresh(dossier.pk for dossier in dossiers)  # bulk inserts send no signal
    return wanted


def _dossier(
    n: int,
    beneficiary: Beneficiary,
    organisation: Organisation,
    employer: Employer,
    today: date,
    rng: random.Random,
) -> Dossier:
    start = shift_month(today.replace(day=1), -rng.randint(0, 35)) + timedelta(
        days=rng.randint(0, 20)
    )
    end = shift_month(start, rng.randint(3, 18)) + timedelta(days=rng.randint(0, 25))
    return Dossier(
        number=f"SC-{today.year}-{n:06d}",
        organisation=organisation,
        beneficiary=beneficiary,
        employer=employer if n % 3 else None,
        training_title=rng.choice(TITLES),
        action_nature=ActionNature.TRAINING,
        start_date=start,
        end_date=end,
        planned_minutes=DAY * sum(1 for _ in working_days(start, end)),
        is_paperless=bool(n % 2),
    )


def _calendars(dossiers: list[Dossier]) -> None:
    """Hundreds of thousands of rows: straight ``executemany``, without model instances.
    ``bulk_create`` took five times as long (2.5 s against 0.5 s for 500 dossiers' 81,000
    days): close to a minute more for ``seed_demo --scale 10000``."""
    table = PlannedDay._meta.db_table
    rows = [
        (dossier.pk, day, DAY, 0)
        for dossier in dossiers
        for day in working_days(dossier.start_date, dossier.end_date)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} (dossier_id, date, centre_minutes, internship_minutes) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                rows[start : start + BATCH],
            )


@dataclass(frozen=True)
class Shape:
    """A closed month's state: its status and method, or None for a month still awaiting."""

    status: MonthStatus | None
    method: str = ""


def shape(months_ago: int, rng: random.Random) -> Shape:
    """The state of a month that opened ``months_ago`` months before today's month."""
    draw = rng.random()
    if months_ago >= 3:
        return Shape(S.TRANSMITTED, CertificationMethod.ONLINE if draw < 0.5 else "paper")
    if months_ago == 2:
        if draw < 0.2:
            return Shape(S.TRANSMITTED, CertificationMethod.PAPER)
        if draw < 0.6:
            return Shape(S.VALIDATED, CertificationMethod.ONLINE)
        return Shape(S.CERTIFIED, CertificationMethod.PAPER)
    for threshold, found in (
        (0.22, Shape(None)),
        (0.52, Shape(S.ENTERED)),
        (0.82, Shape(S.CERTIFIED, CertificationMethod.PAPER)),
        (0.97, Shape(S.VALIDATED, CertificationMethod.ONLINE)),
    ):
        if draw < threshold:
            return found
    return Shape(S.CONTESTED, CertificationMethod.ONLINE)


def _moment(day: date, rng: random.Random) -> datetime:
    at = datetime.combine(day + timedelta(days=rng.randint(1, 20)), time(rng.randint(8, 18)))
    return timezone.make_aware(at)


def _certificate(
    dossier: Dossier, period: MonthPeriod, found: Shape, rng: random.Random
) -> Certificate:
    days = sum(1 for _ in working_days(period.first_day, period.last_day))
    absence = min(rng.choice([0, 0, 0, 60, 180, 420]), days * DAY)
    status = found.status or S.ENTERED
    certified = status != S.ENTERED
    certified_at = _moment(period.opens_on, rng) if certified else None
    online = found.method == CertificationMethod.ONLINE
    return Certificate(
        dossier=dossier,
        month=period.month,
        centre_minutes=days * DAY - absence,
        absence_minutes=absence,
        status=status,
        entered_at=certified_at or _moment(period.opens_on, rng),
        certifies_entry=True,
        certification_method=found.method if certified else "",
        certified_at=certified_at,
        validated_at=certified_at + timedelta(days=2)
        if online and status in (S.VALIDATED, S.TRANSMITTED) and certified_at
        else None,
        transmitted_at=certified_at + timedelta(days=20)
        if status == S.TRANSMITTED and certified_at
        else None,
    )


def _months(dossiers: list[Dossier], today: date, rng: random.Random) -> None:
    """Each dossier's closed months in their state, and its payments."""
    this_month = today.year * 12 + today.month
    certificates, payments = [], []
    for dossier in dossiers:
        last_paid = None
        for period in training_months(dossier.start_date, dossier.end_date):
            if period.opens_on >= today:
                break
            found = shape(this_month - (period.month.year * 12 + period.month.month), rng)
            if found.status is None:
                continue
            certificates.append(_certificate(dossier, period, found, rng))
            if found.status == S.TRANSMITTED:
                last_paid = period.last_day
        if last_paid is not None:
            amount = Decimal(rng.randint(500, 9000))
            payments.append(
                Payment(
                    dossier=dossier,
                    period_start=dossier.start_date,
                    period_end=last_paid,
                    amount=amount,
                    paid_on=last_paid + timedelta(days=30),
                    is_advance=False,
                )
            )
        if rng.random() < 0.1:
            payments.append(
                Payment(
                    dossier=dossier,
                    period_start=dossier.start_date,
                    period_end=dossier.end_date,
                    amount=Decimal(1000),
                    paid_on=dossier.start_date,
                    is_advance=True,
                )
            )
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
