"""Importing the hours of many dossiers at once (« Importer des heures »): a CSV or XLSX
file (``hours_file``), previewed month by month, then entered all at once or not at all.

Each month of the file is checked as the entry window checks it: the person may enter its
hours (``abilities``; a locked month is refused with the lifecycle's reason), the hours
keep the rules (``entry.entry_errors``: days, plan, « Motif de l'écart », zero hours said).
A month whose stored hours are the file's is left as it is (« inchangé »), so a file can be
imported again after some of its months were certified.

« Importer » enters every changed month through ``entry.enter_hours``, as if the importing
person had typed it, with the file's SHA-256 in its audit event and the two boxes of the
import page (« Je certifie la saisie des heures », « J'accepte que mon adresse IP soit
utilisée »), ticked once for the file. All of it is one transaction: one refused month and
nothing is written. The preview's versions travel with « Importer »: a month changed in
between is refused with the entry window's own message.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.certificates.abilities import Actor, abilities, actor_of, facts_of_month
from realisa.certificates.entry import HoursEntry, InvalidEntry, enter_hours, entry_errors
from realisa.certificates.hours_file import FileMonth, Layout, LineError, ReadFile, read_months
from realisa.certificates.lifecycle import Event, MonthState, refusal
from realisa.certificates.models import Certificate
from realisa.certificates.plan import MonthPlan, certificate_hours, find_period, month_plan
from realisa.certificates.rules import DayHours, Hours, day_error, plan_gap_warning
from realisa.dossiers.models import Dossier
from realisa.lib.errors import Refused
from realisa.lib.french import french_month, plural

BOXES = {"certifies_entry", "accepts_ip_use"}  # the import page's, not a month's
GRID_NEEDS_DAYS = (
    "Ce dossier se saisit jour par jour (dossier dématérialisé avec un calendrier prévu) : "
    "importez ce mois avec le modèle « un jour par ligne »."
)


class Outcome(StrEnum):
    ENTERED = "entered"
    UNCHANGED = "unchanged"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"entered": "à enregistrer", "unchanged": "inchangé", "refused": "refusé"}[self]


@dataclass
class MonthResult:
    """One month of the file: what « Importer » does with it, or why it is refused."""

    file: FileMonth
    dossier: Dossier | None = None
    old: Hours | None = None  # the hours on record; None before the first entry
    version: int = 0  # the month's version as previewed
    warning: str | None = None  # the entry window's non-blocking gap with the plan
    errors: list[str] = field(default_factory=list)
    unchanged: bool = False
    plan: MonthPlan | None = None  # the month's plan, once its dossier and period are known

    @property
    def key(self) -> str:
        return f"{self.file.number}|{self.file.month:%Y-%m}"

    @property
    def outcome(self) -> Outcome:
        if self.errors:
            return Outcome.REFUSED
        return Outcome.UNCHANGED if self.unchanged else Outcome.ENTERED

    @property
    def month_label(self) -> str:
        return french_month(self.file.month)


@dataclass
class Report:
    sha256: str
    layout: Layout | None = None
    months: list[MonthResult] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)  # lines refused before any month
    imported: bool = False

    @property
    def is_refused(self) -> bool:
        return bool(self.errors) or any(month.errors for month in self.months)

    @property
    def versions(self) -> dict[str, int]:
        """What the preview saw of each month, for « Importer » to check it again."""
        return {month.key: month.version for month in self.months}

    @property
    def summary(self) -> str:
        """« 3 mois à enregistrer, 1 inchangé, 1 refusé »."""
        counted = Counter(month.outcome for month in self.months)
        parts = [f"{plural(counted[Outcome.ENTERED], 'mois')} à enregistrer"]
        parts.append(plural(counted[Outcome.UNCHANGED], "inchangé"))
        if counted[Outcome.REFUSED]:
            parts.append(plural(counted[Outcome.REFUSED], "refusé"))
        if self.errors:
            parts.append(plural(len(self.errors), "ligne refusée"))
        return ", ".join(parts)

    @property
    def done(self) -> str:
        """After « Importer »: « 3 mois enregistrés, 1 inchangé »."""
        counted = Counter(month.outcome for month in self.months)
        entered = plural(counted[Outcome.ENTERED], "mois enregistré", "mois enregistrés")
        return f"{entered}, {plural(counted[Outcome.UNCHANGED], 'inchangé')}"


@dataclass(frozen=True)
class Boxes:
    """The import page's two boxes, ticked once for the whole file."""

    certifies_entry: bool = False
    accepts_ip_use: bool = False


def run(
    content: bytes,
    *,
    actor: User,
    commit: bool,
    boxes: Boxes = Boxes(),
    versions: dict[str, int] | None = None,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> Report:
    """Preview (``commit=False``) or import the file: see the module's docstring.
    ``versions`` are the preview's (``Report.versions``)."""
    return run_read(
        read_months(content),
        sha256=hashlib.sha256(content).hexdigest(),
        actor=actor,
        commit=commit,
        boxes=boxes,
        versions=versions,
        request=request,
        today=today,
    )


def run_read(
    read: ReadFile,
    *,
    sha256: str,
    actor: User,
    commit: bool,
    boxes: Boxes = Boxes(),
    versions: dict[str, int] | None = None,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> Report:
    """``run`` for months already read (a file's, or the API's rows)."""
    report = Report(sha256=sha256, layout=read.layout, errors=read.errors)
    dossiers = _dossiers(actor, read.months)
    person = actor_of(actor)  # read once for every month: what abilities ask of the person
    report.months = [_checked(month, dossiers, person, today) for month in read.months]
    if report.is_refused or not commit:
        return report
    with transaction.atomic():
        for month in report.months:
            if not month.unchanged:
                _enter(month, report.sha256, actor, boxes, versions or {}, request, today)
        if report.is_refused:
            transaction.set_rollback(True)
            return report
    report.imported = True
    return report


def _dossiers(actor: User, months: list[FileMonth]) -> dict[str, Dossier]:
    """The dossiers the file names that ``actor`` sees, by number (one query, and their
    payments and interruptions in two more)."""
    numbers = {month.number for month in months}
    rows = Dossier.objects.visible_to(actor).filter(number__in=numbers)
    rows = rows.select_related("beneficiary").prefetch_related("payments", "interruptions")
    return {dossier.number: dossier for dossier in rows}


def _checked(
    month: FileMonth, dossiers: dict[str, Dossier], person: Actor, today: date | None
) -> MonthResult:
    result = MonthResult(month, dossiers.get(month.number))
    dossier = result.dossier
    if dossier is None:
        result.errors.append(
            f"Le dossier « {month.number} » n'est pas un dossier de votre organisme."
        )
        return result
    period = find_period(dossier, month.month)
    if period is None:
        result.errors.append(
            f"{french_month(month.month).capitalize()} ne fait pas partie de la formation "
            f"(du {dossier.start_date:%d/%m/%Y} au {dossier.last_day:%d/%m/%Y})."
        )
        return result
    certificate = dossier.certificates.filter(month=period.month).first()
    result.version = certificate.version if certificate else 0
    result.old = certificate_hours(certificate) if certificate else None
    plan = result.plan = month_plan(dossier, period)
    entry = _entry(month, plan, Boxes(True, True), "")
    if certificate and _same(certificate, entry, plan):
        result.unchanged = True
        return result
    facts = facts_of_month(dossier, period, certificate, has_pdf=False, today=today)
    if not abilities(person, facts).enter_hours:
        said = refusal(Event.ENTERED, MonthState(period, facts.status, facts.paid))
        result.errors.append(said.message if said else "Les heures de ce mois ne changent plus.")
        return result
    result.errors += _rule_errors(month, entry, plan)
    result.warning = (
        plan_gap_warning(entry.hours, plan.planned_total) if not result.errors else None
    )
    return result


def _entry(month: FileMonth, plan: MonthPlan, boxes: Boxes, sha256: str) -> HoursEntry:
    """The month as the entry window would have sent it: a grid month's days, every
    planned day included (a planned day the file leaves out is 0 h)."""
    days = month.days if plan.uses_day_grid else None
    if days is not None:
        given = {day.day for day in days}
        missing = [DayHours(day, Hours()) for day in plan.planned if day not in given]
        days = sorted([*days, *missing], key=lambda day: day.day)
    return HoursEntry(
        hours=month.hours,
        days=days,
        certifies_entry=boxes.certifies_entry,
        accepts_ip_use=boxes.accepts_ip_use,
        gap_reason=month.reason,
        zero_hours_confirmed=month.hours.presence == 0,
        import_sha256=sha256,
    )


def _same(certificate: Certificate, entry: HoursEntry, plan: MonthPlan) -> bool:
    """The month on record holds the file's hours (its days too, for a grid month)."""
    if certificate.version == 0 or certificate_hours(certificate) != entry.hours:
        return False
    if entry.days is None:
        return True
    stored = {
        day.date: Hours(day.centre_minutes, day.internship_minutes, day.absence_minutes)
        for day in certificate.days.all()
    }
    return all(stored.get(day.day, Hours()) == day.hours for day in entry.days)


def _rule_errors(month: FileMonth, entry: HoursEntry, plan: MonthPlan) -> list[str]:
    """The entry window's rules, each day's error named by its line."""
    if plan.uses_day_grid and month.days is None:
        return [GRID_NEEDS_DAYS]
    days = month.days or []
    lines = dict(zip([day.day for day in days], month.lines, strict=bool(days)))

    def at(day: date) -> str:  # a day's line, when the month has more than one
        return f"ligne {lines[day]} : " if len(month.lines) > 1 else ""

    errors = _day_errors(days, plan, at) if days and not plan.uses_day_grid else []
    for key, message in entry_errors(entry, plan, ip_consent_required=False).items():
        if key.startswith("day:"):
            message = at(date.fromisoformat(key[4:])) + message
        if key not in BOXES:
            errors.append(message)
    return errors


def _day_errors(days: list[DayHours], plan: MonthPlan, at: Callable[[date], str]) -> list[str]:
    """Days given for a month entered as totals: each inside the training and within 24 h."""
    errors = []
    for day in days:
        if not plan.period.contains(day.day):
            errors.append(
                f"{at(day.day)}Le {day.day:%d/%m/%Y} n'est pas un jour de la formation (du "
                f"{plan.period.first_day:%d/%m/%Y} au {plan.period.last_day:%d/%m/%Y})."
            )
        elif problem := day_error(day.hours):
            errors.append(at(day.day) + problem)
    return errors


def _enter(
    month: MonthResult,
    sha256: str,
    actor: User,
    boxes: Boxes,
    versions: dict[str, int],
    request: HttpRequest | None,
    today: date | None,
) -> None:
    """Enter one month as its person would have typed it; a refusal becomes its error."""
    # a month without its dossier or its plan is refused before « Importer »
    assert month.dossier is not None and month.plan is not None  # noqa: S101
    plan = month.plan
    try:
        enter_hours(
            month.dossier,
            month.file.month,
            actor=actor,
            entry=_entry(month.file, plan, boxes, sha256),
            expected_version=versions.get(month.key, month.version),
            request=request,
            today=today,
        )
    except InvalidEntry as invalid:
        month.errors += invalid.errors.values()
    except Refused as refused:
        month.errors.append(refused.message)
