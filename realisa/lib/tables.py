"""Tables that people upload: a CSV file or an XLSX workbook, read as rows of text.

A CSV is UTF-8 (with or without BOM) or Windows-1252 as Excel saves it, separated by « ; »
or « , »; an XLSX is read from its first sheet (openpyxl). Which of the two a file is, its
content says, not its name. The funder's dossier import and the organisations' hours
import both read their files here, and both give their templates from here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime, time
from typing import Any


class TableUnreadable(Exception):
    """The file is neither a readable CSV nor a readable workbook; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode(content: bytes) -> str:
    """UTF-8, or else Windows-1252 (Excel's); a byte neither knows reads as « � », and the
    line holding it is refused with its reason."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def plain(text: str) -> str:
    """Lower case without accents or spacing: « Bilan de compétences » → bilan de competences."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("_", " ").replace("-", " ").split())


def cell_text(value: Any) -> str:
    """An XLSX cell as a CSV would have written it: a date as JJ/MM/AAAA, a time of day as
    7h30 (a spreadsheet's « 07:30 » cell), a whole number without « ,0 »."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value.hour}h{value.minute:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(content: bytes, max_lines: int) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy: loaded only for a workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([cell_text(value) for value in row])
            if len(rows) > max_lines + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    text = decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_table(content: bytes, *, max_lines: int) -> list[list[str]]:
    """The file's rows, blank rows at its end dropped (the header is the first); raises
    ``TableUnreadable`` with the French reason the whole file is refused."""
    try:
        is_workbook = content.startswith(b"PK\x03\x04")  # a zip: XLSX
        rows = _xlsx_rows(content, max_lines) if is_workbook else _csv_rows(content)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TableUnreadable("Ce fichier n'est ni un CSV ni un classeur XLSX lisible.") from None
    except csv.Error:
        raise TableUnreadable(
            "Ce fichier n'est pas lisible en CSV (une cellule trop longue ?)."
        ) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise TableUnreadable("Le fichier est vide.")
    if len(rows) - 1 > max_lines:
        raise TableUnreadable(f"Le fichier dépasse {max_lines} lignes : découpez-le.")
    return rows


def header_of(row: list[str]) -> list[str]:
    """The header's column names as the templates write them (« Heures prévues » reads as
    ``heures_prevues``); trailing empty cells go."""
    header = [plain(cell).replace(" ", "_") for cell in row]
    while header and header[-1] == "":
        header.pop()
    return header


def header_refusal(header: list[str], *, required: list[str], known: list[str]) -> str:
    """Why the first line does not name a template's columns; "" when it does."""
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in known]
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


def named_lines(
    header: list[str], rows: list[list[str]], names: list[str]
) -> list[tuple[int, dict[str, str]]]:
    """The rows that are not blank, numbered from 2 as a spreadsheet numbers them, their
    cells named by the header (every one of ``names`` present, "" when the file has not
    that column), spacing collapsed."""
    lines = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict.fromkeys(names, "") | {
            name: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, name in enumerate(header)
        }
        lines.append((number, values))
    return lines


def template_csv(names: list[str], lines: list[dict[str, str]]) -> bytes:
    """A file to download and fill: the header and example lines, as Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([line[name] for name in names] for line in lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(names: list[str], lines: list[dict[str, str]], *, title: str) -> bytes:
    """The same template as a workbook whose sheet is named ``title``."""
    from openpyxl import Workbook  # heavy: loaded only for a workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = title
    sheet.append(names)
    for line in lines:
        sheet.append([line[name] for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
