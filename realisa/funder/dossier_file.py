"""The funder's dossier file, as read: a CSV or XLSX export whose first line names its
columns (``COLUMNS``, in any order; the template to download has them all).

A CSV is UTF-8 (with or without BOM) or Windows-1252 as Excel saves it, separated by « ; »
or « , »; an XLSX is read from its first sheet (openpyxl). Which of the two a file is, its
content says, not its name. ``read_rows`` gives its lines as {column: text}, numbered as a
spreadsheet numbers them, or the reason the whole file is refused; ``dossier_import``
checks each line and imports them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from realisa.funder.payment_import import decode

MAX_LINES = 2000


@dataclass(frozen=True)
class Column:
    name: str  # as the header writes it
    label: str  # as the messages name it
    max_length: int = 200
    optional: bool = False  # a file may leave the column out


COLUMNS = [
    Column("dossier", "numéro de dossier", 30),
    Column("identifiant_beneficiaire", "identifiant du bénéficiaire", 40),
    Column("siret_organisme", "SIRET de l'organisme", 20),
    Column("organisme", "raison sociale de l'organisme", 200),
    Column("email_organisme", "e-mail de l'administrateur de l'organisme", 254),
    Column("civilite", "civilité", 20),
    Column("prenom", "prénom", 100),
    Column("nom", "nom", 100),
    Column("email_beneficiaire", "e-mail du bénéficiaire", 254),
    Column("siret_employeur", "SIRET de l'employeur", 20),
    Column("employeur", "raison sociale de l'employeur", 200),
    Column("email_employeur", "e-mail de l'employeur", 254),
    Column("intitule", "intitulé de la formation", 300),
    Column("nature", "nature de l'action", 60),
    Column("debut", "date de début", 20),
    Column("fin", "date de fin", 20),
    Column("heures_prevues", "heures prévues", 20),
    Column("dematerialise", "dossier dématérialisé", 10),
    Column("fin_anticipee", "fin anticipée", 20, optional=True),
    Column("motif_fin_anticipee", "motif de la fin anticipée", 300, optional=True),
]
NAMES = [column.name for column in COLUMNS]
LABELS = {column.name: column.label for column in COLUMNS}
REQUIRED = [
    "dossier",
    "identifiant_beneficiaire",
    "siret_organisme",
    "civilite",
    "prenom",
    "nom",
    "intitule",
    "nature",
    "debut",
    "fin",
    "heures_prevues",
]

TEMPLATE_LINE = {
    "dossier": "PTP-2027-0001",
    "identifiant_beneficiaire": "B-104522",
    "siret_organisme": "73282932000074",
    "organisme": "Centre de formation de Metz",
    "email_organisme": "admin@centre-formation.example",
    "civilite": "Mme",
    "prenom": "Camille",
    "nom": "Durand",
    "email_beneficiaire": "camille.durand@example.org",
    "siret_employeur": "55208131766522",
    "employeur": "Boulangerie Durand",
    "email_employeur": "rh@boulangerie.example",
    "intitule": "Titre professionnel Développeur web",
    "nature": "Action de formation",
    "debut": "04/01/2027",
    "fin": "25/06/2027",
    "heures_prevues": "700",
    "dematerialise": "oui",
    "fin_anticipee": "",
    "motif_fin_anticipee": "",
}


def plain(text: str) -> str:
    """Lower case without accents or spacing: « Bilan de compétences » → bilan de competences."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


def _cell(value: Any) -> str:
    """An XLSX cell as a CSV would have written it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy: loaded only for a workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_LINES + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    text = decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_rows(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[LineError]]:
    """The file's lines as {column: text}, numbered as a spreadsheet numbers them (the
    header is line 1); or the reason the whole file is refused."""
    try:
        is_workbook = content.startswith(b"PK\x03\x04")  # a zip: XLSX
        rows = _xlsx_rows(content) if is_workbook else _csv_rows(content)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [], [LineError(1, "Ce fichier n'est ni un CSV ni un classeur XLSX lisible.")]
    except csv.Error:
        return [], [
            LineError(1, "Ce fichier n'est pas lisible en CSV (une cellule trop longue ?).")
        ]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return [], [LineError(1, "Le fichier est vide.")]
    header = [plain(cell).replace(" ", "_") for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    refusal = _header_refusal(header)
    if refusal:
        return [], [LineError(1, refusal)]
    if len(rows) - 1 > MAX_LINES:
        return [], [LineError(1, f"Le fichier dépasse {MAX_LINES} lignes : découpez-le.")]
    lines = _lines(header, rows[1:])
    if not lines:
        return [], [LineError(2, "Le fichier ne contient aucun dossier.")]
    return lines, []


def _header_refusal(header: list[str]) -> str:
    """Why the first line does not name the template's columns; "" when it does."""
    missing = [c.name for c in COLUMNS if not c.optional and c.name not in header]
    unknown = [name for name in header if name not in NAMES]
    reasons = []
    if missing:
        reasons.append("il manque " + ", ".join(f"« {name} »" for name in missing))
    if unknown:
        reasons.append("colonnes inconnues : " + ", ".join(f"« {n} »" for n in unknown))
    if len(set(header)) != len(header):
        reasons.append("une colonne est nommée deux fois")
    if not reasons:
        return ""
    return "La première ligne doit nommer les colonnes du modèle (" + " ; ".join(reasons) + ")."


def _lines(header: list[str], rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    """The rows that are not blank, numbered from 2, their cells named by the header."""
    lines = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict.fromkeys(NAMES, "") | {
            name: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, name in enumerate(header)
        }
        lines.append((number, values))
    return lines


def template_csv() -> bytes:
    """The file to download and fill: the header and one example line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(NAMES)
    writer.writerow([TEMPLATE_LINE[name] for name in NAMES])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The same template as a workbook."""
    from openpyxl import Workbook  # heavy: loaded only for a workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = "Dossiers"
    sheet.append(NAMES)
    sheet.append([TEMPLATE_LINE[name] for name in NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
