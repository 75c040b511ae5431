"""The hours file an organisation imports, as read: a CSV or XLSX table in one of two
layouts, each with a template to download.

- one line per dossier and month: ``dossier;mois;centre;stage;absence`` (« un mois par
  ligne »): the month's totals;
- one line per dossier and day: ``dossier;date;centre;stage;absence`` (« un jour par
  ligne »), as attendance-sheet software exports it.

Both may add ``motif_ecart``, the « Motif de l'écart » that a month above its plan or its
financed hours needs (in the daily layout, on any line of the month). Hours are written as
people write them (``7``, ``7,5``, ``7h30``). In the monthly layout the three hours are
all written, ``0`` included, so that zero hours is always said, never left blank; in the
daily layout a blank cell is 0 h (the day's line says the day was recorded).

``read_months`` gives the file's months, each with the line numbers it came from, and every
line's errors in French; ``hours_import`` checks the months against the dossiers and enters
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from django.core.exceptions import ValidationError

from realisa.certificates.rules import DayHours, Hours
from realisa.lib import tables
from realisa.lib.french import MONTHS, of_month
from realisa.lib.hours import DAY_MAX_MINUTES, MONTH_MAX_MINUTES, parse_hours
from realisa.lib.tables import TableUnreadable, header_of, header_refusal, named_lines, plain

MAX_LINES = 10_000  # 30 trainees × 23 days is 690 lines; a large centre's month fits
REASON_MAX_LENGTH = 500


class Layout(StrEnum):
    MONTHLY = "mois"
    DAILY = "jour"

    @property
    def columns(self) -> list[str]:
        return ["dossier", "mois" if self == Layout.MONTHLY else "date", *HOURS, "motif_ecart"]

    @property
    def label(self) -> str:
        return "un mois par ligne" if self == Layout.MONTHLY else "un jour par ligne"


HOURS = ["centre", "stage", "absence"]
HOURS_LABELS = {"centre": "heures en centre", "stage": "heures en stage", "absence": "absence"}
EXAMPLES = {
    Layout.MONTHLY: [
        {"dossier": "FPE-2026-0001", "mois": "11/2026", "centre": "140", "stage": "0"}
        | {"absence": "7", "motif_ecart": ""},
    ],
    Layout.DAILY: [
        {"dossier": "FPE-2026-0001", "date": "02/11/2026", "centre": "7", "stage": "0"}
        | {"absence": "0", "motif_ecart": ""},
        {"dossier": "FPE-2026-0001", "date": "03/11/2026", "centre": "3h30", "stage": ""}
        | {"absence": "3,5", "motif_ecart": ""},
    ],
}
_MONTH_NAMES = {plain(name): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_WORDS = re.compile(r"^([a-z]+)\.? (\d{4})$")


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class FileMonth:
    """One dossier's month as the file gives it: its totals, its days (daily layout), its
    gap reason, and the lines it came from."""

    number: str
    month: date
    lines: list[int] = field(default_factory=list)
    hours: Hours = field(default_factory=Hours)
    days: list[DayHours] | None = None
    reason: str = ""

    @property
    def place(self) -> str:
        """« ligne 4 », « lignes 2 à 23 », « lignes 2, 5 et 9 »."""
        if len(self.lines) == 1:
            return f"ligne {self.lines[0]}"
        first, last = self.lines[0], self.lines[-1]
        if last - first + 1 == len(self.lines):
            return f"lignes {first} à {last}"
        return f"lignes {', '.join(map(str, self.lines[:-1]))} et {last}"


@dataclass
class ReadFile:
    layout: Layout | None = None
    months: list[FileMonth] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def layout_of(header: list[str]) -> Layout | None:
    if "mois" in header and "date" not in header:
        return Layout.MONTHLY
    if "date" in header and "mois" not in header:
        return Layout.DAILY
    return None


LAYOUT_HELP = (
    "La première ligne doit nommer les colonnes d'un des deux modèles : "
    "dossier;mois;centre;stage;absence (un mois par ligne) ou "
    "dossier;date;centre;stage;absence (un jour par ligne), suivies de motif_ecart au besoin."
)


def read_months(content: bytes) -> ReadFile:
    """The file's months in the order of their first line, or why lines are refused."""
    try:
        rows = tables.read_table(content, max_lines=MAX_LINES)
    except TableUnreadable as unreadable:
        return ReadFile(errors=[LineError(1, unreadable.message)])
    header = header_of(rows[0])
    layout = layout_of(header)
    if layout is None:
        return ReadFile(errors=[LineError(1, LAYOUT_HELP)])
    refusal = header_refusal(header, required=layout.columns[:-1], known=layout.columns)
    if refusal:
        return ReadFile(layout, errors=[LineError(1, refusal)])
    lines = named_lines(header, rows[1:], layout.columns)
    if not lines:
        return ReadFile(
            layout, errors=[LineError(2, "Le fichier ne contient aucune ligne d'heures.")]
        )
    return gather(layout, lines)


def gather(layout: Layout, lines: Iterable[tuple[int, dict[str, str]]]) -> ReadFile:
    """The months of numbered lines whose cells are named by ``layout.columns`` (a file's,
    or the API's rows)."""
    read = ReadFile(layout)
    _gather(read, layout, lines)
    return read


def _gather(read: ReadFile, layout: Layout, lines: Iterable[tuple[int, dict[str, str]]]) -> None:
    """Each line read and added to its month; a line that breaks a rule is kept as an
    error with its number."""
    months: dict[tuple[str, date], FileMonth] = {}
    days: dict[tuple[str, date], int] = {}  # the line of each dossier's day (daily layout)
    for number, values in lines:
        try:
            when, hours = _parse(layout, values)
            key = (values["dossier"], when.replace(day=1))
            month = months.setdefault(key, FileMonth(*key))
            if layout == Layout.MONTHLY:
                _set_month(month, number, hours, values["motif_ecart"])
            else:
                _add_day(month, number, DayHours(when, hours), values["motif_ecart"], days)
        except ValidationError as error:
            read.errors.append(LineError(number, " ".join(error.messages)))
    read.months = list(months.values())


def _parse(layout: Layout, values: dict[str, str]) -> tuple[date, Hours]:
    """The line's month or day and its hours; ``ValidationError`` with every reason not."""
    reasons = []
    if any("\x00" in text for text in values.values()):  # PostgreSQL stores no NUL
        raise ValidationError("Cette ligne contient un caractère nul (U+0000).")
    if not values["dossier"]:
        reasons.append("Le numéro de dossier manque.")
    when = (
        _month(values["mois"], reasons)
        if layout == Layout.MONTHLY
        else _day(values["date"], reasons)
    )
    limit = MONTH_MAX_MINUTES if layout == Layout.MONTHLY else DAY_MAX_MINUTES
    minutes = [_minutes(name, values[name], layout, limit, reasons) for name in HOURS]
    if len(values["motif_ecart"]) > REASON_MAX_LENGTH:
        reasons.append(f"motif_ecart : {REASON_MAX_LENGTH} caractères au plus.")
    if reasons or when is None:
        raise ValidationError(reasons)
    return when, Hours(*minutes)


def _minutes(name: str, text: str, layout: Layout, limit: int, reasons: list[str]) -> int:
    if not text and layout == Layout.MONTHLY:
        reasons.append(f"{HOURS_LABELS[name]} : la cellule est vide (écrivez 0 pour zéro heure).")
        return 0
    try:
        return parse_hours(text, max_minutes=limit)
    except ValidationError as error:
        reasons.append(f"{HOURS_LABELS[name]} : {error.messages[0]}")
        return 0


def _month(text: str, reasons: list[str]) -> date | None:
    """« 11/2026 », « 2026-11 », « novembre 2026 », or a date of the month (a spreadsheet
    turns « 11/2026 » into 01/11/2026)."""
    for pattern in ("%m/%Y", "%Y-%m", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    words = _MONTH_WORDS.match(plain(text))
    if words and words[1] in _MONTH_NAMES:
        return date(int(words[2]), _MONTH_NAMES[words[1]], 1)
    reasons.append(f"mois : « {text} » n'est pas un mois (MM/AAAA, par exemple 11/2026).")
    return None


def _day(text: str, reasons: list[str]) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    reasons.append(f"date : « {text} » n'est pas une date (JJ/MM/AAAA).")
    return None


def _set_month(month: FileMonth, number: int, hours: Hours, reason: str) -> None:
    if month.lines:
        raise ValidationError(
            f"Le mois {of_month(month.month)} du dossier {month.number} figure déjà à la ligne "
            f"{month.lines[0]}."
        )
    month.lines.append(number)
    month.hours, month.reason = hours, reason


def _add_day(
    month: FileMonth, number: int, day: DayHours, reason: str, seen: dict[tuple[str, date], int]
) -> None:
    key = (month.number, day.day)
    if key in seen:
        raise ValidationError(
            f"Le {day.day:%d/%m/%Y} du dossier {month.number} figure déjà à la ligne {seen[key]}."
        )
    if reason and month.reason and reason != month.reason:
        raise ValidationError(
            f"Un autre motif d'écart est déjà donné pour le mois {of_month(month.month)} du "
            f"dossier {month.number} (ligne {month.lines[0]}) : un seul motif par mois."
        )
    seen[key] = number
    month.lines.append(number)
    month.days = month.days or []
    month.days.append(day)
    month.hours = month.hours + day.hours
    month.reason = month.reason or reason


def template_csv(layout: Layout) -> bytes:
    return tables.template_csv(layout.columns, EXAMPLES[layout])


def template_xlsx(layout: Layout) -> bytes:
    return tables.template_xlsx(layout.columns, EXAMPLES[layout], title="Heures")
