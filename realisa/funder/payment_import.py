"""Importing payments from a CSV file: every line valid, or nothing imported.

The file (UTF-8, with or without BOM, or Windows-1252 as Excel saves it; « ; » or « , »
separated) starts with the header ``dossier;debut;fin;montant;date;avance``, or
``dossier;debut;fin;montant;date;avance;reference`` for a file of the funder's payment
system. Each line is checked as the form checks one payment. A refused line is reported
with its line number (the header is line 1) and its reason. When any line is refused, no
line is imported: the agent corrects the file and imports it again, and the lines that
were valid are not recorded twice.

A line without a reference is a new payment: identical to a payment already recorded, it
is refused for that reason, so importing the same file twice never duplicates a payment.
A line with a reference is the payment that carries it (``payments.upsert_payment``):
recorded the first time, left as it is when the file says the same again, corrected when
its period, amount, date or advance changed; a reference twice in the file, or one that
belongs to another dossier's payment, is refused.

A period that starts or ends outside the training is clipped to it (a payment system pays
whole calendar months). A recorded line may carry warnings: its clipped period, or months
whose hours are entered or contested but not certified yet, whose entry it now locks.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.dossiers.models import Dossier, Payment
from realisa.funder.payment_effects import warnings
from realisa.funder.payments import (
    Outcome,
    PaymentData,
    PaymentRefused,
    no_such_dossier,
    save_payment,
    save_payment_by_reference,
)
from realisa.lib.french import plural, plural_form
from realisa.lib.tables import decode

COLUMNS = ["dossier", "debut", "fin", "montant", "date", "avance"]
REFERENCE_COLUMNS = [*COLUMNS, "reference"]
YES = {"oui", "o", "1", "vrai", "x", "yes"}
NO = {"non", "n", "0", "faux", "", "no"}
MAX_LINES = 5000


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


class ImportRefused(Exception):
    """Some lines were refused: nothing was imported."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(plural(len(errors), "ligne refusée"))
        self.errors = errors


@dataclass(frozen=True)
class LineWarning:
    line: int
    text: str


@dataclass(frozen=True)
class Imported:
    """The payments recorded or corrected, and what some lines report without being
    refused (``payment_effects.warnings``), each with its line number."""

    payments: list[Payment]
    warnings: list[LineWarning]


@dataclass(frozen=True)
class ParsedLine:
    line: int
    number: str
    data: PaymentData
    reference: str = ""


UNREADABLE = "Cette ligne n'est pas lisible en CSV (une cellule bien trop longue ?)."


def parse_date(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise PaymentRefused(f"« {text} » n'est pas une date (JJ/MM/AAAA).")


def parse_amount(text: str) -> Decimal:
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("€").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise PaymentRefused(f"« {text} » n'est pas un montant.") from None


def parse_flag(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise PaymentRefused(f"« {text} » : la colonne avance vaut « oui » ou « non ».")


def parse_line(number: int, cells: list[str], columns: list[str] = COLUMNS) -> ParsedLine:
    if len(cells) != len(columns):
        found = f"{len(cells)} {plural_form(len(cells), 'trouvée')}"
        raise PaymentRefused(f"{len(columns)} colonnes attendues, {found}.")
    if any("\x00" in cell for cell in cells):  # PostgreSQL stores no NUL in text
        raise PaymentRefused("Cette ligne contient un caractère nul (U+0000).")
    dossier, start, end, amount, paid_on, advance, *reference = (cell.strip() for cell in cells)
    if not dossier:
        raise PaymentRefused("Le numéro de dossier manque.")
    data = PaymentData(
        parse_date(start),
        parse_date(end),
        parse_amount(amount),
        parse_date(paid_on),
        parse_flag(advance),
    )
    return ParsedLine(number, dossier, data, "".join(reference))


def header_of(row: list[str]) -> list[str] | None:
    """The file's columns, when its first row is one of the two headers."""
    names = [cell.strip().lower() for cell in row]
    return names if names in (COLUMNS, REFERENCE_COLUMNS) else None


def first_with_its_reference(line: ParsedLine, seen: dict[str, int]) -> ParsedLine:
    """A reference is one payment: a second line carrying it is refused."""
    if line.reference in seen:
        raise PaymentRefused(
            f"La référence « {line.reference} » figure déjà à la ligne {seen[line.reference]}."
        )
    if line.reference:
        seen[line.reference] = line.line
    return line


def read_lines(content: bytes) -> tuple[list[ParsedLine], list[LineError]]:
    text = decode(content)
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error:  # a cell past the csv module's limit (128 Kio)
        return [], [LineError(reader.line_num, UNREADABLE)]
    columns = header_of(rows[0]) if rows else None
    if columns is None:
        header = ";".join(COLUMNS)
        message = f"La première ligne doit nommer les colonnes : {header}"
        return [], [LineError(1, f"{message} (suivi de ;reference au besoin).")]
    if len(rows) - 1 > MAX_LINES:
        return [], [LineError(1, f"Le fichier dépasse {MAX_LINES} lignes : découpez-le.")]
    parsed, errors = [], []
    seen: dict[str, int] = {}  # each reference and its first line
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            parsed.append(first_with_its_reference(parse_line(number, cells, columns), seen))
        except PaymentRefused as error:
            errors.append(LineError(number, error.message))
    if not parsed and not errors:
        errors.append(LineError(2, "Le fichier ne contient aucun règlement."))
    return parsed, errors


def save_line(
    dossier: Dossier, line: ParsedLine, *, actor: User, request: HttpRequest | None
) -> tuple[Payment, Outcome]:
    if line.reference:
        return save_payment_by_reference(
            dossier, line.data, line.reference, actor=actor, request=request
        )
    return save_payment(dossier, line.data, actor=actor, request=request), "created"


def locked_dossiers(actor: User, lines: list[ParsedLine]) -> dict[str, Dossier]:
    """The dossiers the lines name that ``actor`` sees, by number, locked in one order."""
    numbers = sorted({line.number for line in lines})
    rows = Dossier.objects.visible_to(actor).select_for_update().filter(number__in=numbers)
    return {dossier.number: dossier for dossier in rows.order_by("pk")}


def import_payments(content: bytes, *, actor: User, request: HttpRequest | None = None) -> Imported:
    """Record every line of the file in one transaction, or raise ``ImportRefused`` with
    every refused line (and record nothing). The payments recorded or corrected are
    returned, with each line's warnings; a line identical to the payment carrying its
    reference is not among them."""
    lines, errors = read_lines(content)
    with transaction.atomic():
        dossiers = locked_dossiers(actor, lines)
        outcomes: dict[Outcome, list[Payment]] = {"created": [], "updated": [], "unchanged": []}
        notes: list[LineWarning] = []
        for line in lines:
            dossier = dossiers.get(line.number)
            try:
                if dossier is None:
                    raise no_such_dossier(line.number)
                payment, outcome = save_line(dossier, line, actor=actor, request=request)
            except PaymentRefused as error:
                errors.append(LineError(line.line, error.message))
            else:
                outcomes[outcome].append(payment)
                if outcome != "unchanged":
                    said = warnings(dossier, line.data, payment)
                    notes += [LineWarning(line.line, text) for text in said]
        if errors:
            raise ImportRefused(sorted(errors, key=lambda e: e.line))
        record(
            EventType.PAYMENTS_IMPORTED,
            actor=actor,
            payload={
                "count": len(lines),
                **{outcome: len(payments) for outcome, payments in outcomes.items()},
                "sha256": hashlib.sha256(content).hexdigest(),
            },
            request=request,
        )
    return Imported(outcomes["created"] + outcomes["updated"], notes)
