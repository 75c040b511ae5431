"""``seed_demo --scale N``: N more dossiers with realistic calendars, hours and states,
written with bulk inserts (no PDF: the month-start batch makes them; no audit event:
this is generated data, not something a person did)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from realisa.certificates.models import Certificate
from realisa.choices import ActionNature, CertificationMethod, Civility, MonthStatus
from realisa.demo.world import DAY, shift_month, siret
from realisa.dossiers.models import Beneficiary, Dossier, Employer, PlannedDay
from realisa.dossiers.periods import training_months
from realisa.lib.working_days import working_days
from realisa.organisations.models import Organisation

PER_ORGANISATION = 500
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


def _organisations(count: int) -> list[Organisation]:
    organisations = []
    for index in range(count):
        organisation, _ = Organisation.objects.get_or_create(
            siret=siret(f"7{index:07d}"),
            defaults={"name": f"Organisme de formation {index + 1}", "city": "Nancy"},
        )
        organisations.append(organisation)
    return organisations


def build_scale(count: int, *, today: date | None = None, calendars: bool = True) -> int:
    """Add dossiers ``SC-…`` up to ``count`` of them; return how many were created."""
    today = today or timezone.localdate()
    existing = Dossier.objects.filter(number__startswith="SC-").count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    rng = random.Random(count)  # the same data for the same N
    with transaction.atomic():
        organisations = _organisations(max(1, -(-count // PER_ORGANISATION)))
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
        dossiers = []
        for n, beneficiary in enumerate(beneficiaries, start=existing):
            start = shift_month(today.replace(day=1), -rng.randint(0, 10)) + timedelta(
                days=rng.randint(0, 20)
            )
            end = shift_month(start, rng.randint(3, 12)) + timedelta(days=rng.randint(0, 25))
            dossiers.append(
                Dossier(
                    number=f"SC-{today.year}-{n:06d}",
                    organisation=organisations[n % len(organisations)],
                    beneficiary=beneficiary,
                    employer=employer if n % 3 else None,
                    training_title=rng.choice(TITLES),
                    action_nature=ActionNature.TRAINING,
                    start_date=start,
                    end_date=end,
                    planned_minutes=DAY * sum(1 for _ in working_days(start, end)),
                    is_paperless=bool(n % 2),
                )
            )
        dossiers = Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
        if calendars:
            _calendars(dossiers)
        _certificates(dossiers, today, rng)
    return wanted


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


def _certificates(dossiers: list[Dossier], today: date, rng: random.Random) -> None:
    """Past months: mostly certified on paper, the last one often only entered."""
    now = timezone.now()
    rows = []
    for dossier in dossiers:
        past = [
            p for p in training_months(dossier.start_date, dossier.end_date) if p.opens_on < today
        ]
        for index, period in enumerate(past):
            days = sum(1 for _ in working_days(period.first_day, period.last_day))
            absence = rng.choice([0, 0, 0, 60, 180, 420])
            certified = index < len(past) - 1 or rng.random() < 0.5
            rows.append(
                Certificate(
                    dossier=dossier,
                    month=period.month,
                    centre_minutes=max(days * DAY - absence, 0),
                    absence_minutes=min(absence, days * DAY),
                    status=MonthStatus.CERTIFIED if certified else MonthStatus.ENTERED,
                    entered_at=now,
                    certifies_entry=True,
                    certification_method=CertificationMethod.PAPER if certified else "",
                    certified_at=now if certified else None,
                )
            )
    Certificate.objects.bulk_create(rows, batch_size=BATCH)
