"""Importing dossiers from the funder's instruction system: a CSV or XLSX file, previewed
line by line, then imported all at once or not at all.

The file's first line names its columns (``COLUMNS``, in any order; the template to download
has them all). A CSV is UTF-8 (with or without BOM) or Windows-1252 as Excel saves it,
separated by « ; » or « , »; an XLSX is read from its first sheet (openpyxl). Which of the
two a file is, its content says, not its name.

``run`` reads every line, checks it for form (``parse_line``), and hands it to
``dossier_sync.Sync``, which matches and writes it, all in one transaction. The preview
(``commit=False``) rolls that transaction back: it shows exactly what « Importer » would do,
and writes nothing. « Importer » (``commit=True``) commits only when no line is refused, so
a file is imported whole or not at all; importing it again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import ActionNature, Civility
from realisa.funder.dossier_sync import DossierData, LineResult, Outcome, Sync
from realisa.funder.payment_import import decode
from realisa.lib.french import plural
from realisa.lib.hours import parse_hours

MAX_LINES = 2000
MAX_PLANNED_MINUTES = 10_000 * 60  # far above a PTP's longest training (1,200 hours or so)
END_BEFORE_START = "La date de fin précède la date de début."
EMPLOYER_TOGETHER = "employeur : son SIRET et sa raison sociale vont ensemble."


@dataclass(frozen=True)
class Column:
    name: str  # as the header writes it
    label: str  # as the messages name it
    max_length: int = 200


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
}

CIVILITY_WORDS = {
    "mme": Civility.MME,
    "madame": Civility.MME,
    "m": Civility.M,
    "m.": Civility.M,
    "mr": Civility.M,
    "monsieur": Civility.M,
}
YES = {"oui", "o", "1", "vrai", "x", "yes", "true"}
NO = {"non", "n", "0", "faux", "", "no", "false"}


def _plain(text: str) -> str:
    """Lower case without accents or spacing: « Bilan de compétences » → bilan de competences."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("_", " ").replace("-", " ").split())


NATURE_WORDS = {_plain(str(label)): value for value, label in ActionNature.choices} | {
    "formation": ActionNature.TRAINING,
    "bilan": ActionNature.SKILLS_ASSESSMENT,
    "bilan de competences": ActionNature.SKILLS_ASSESSMENT,
    "vae": ActionNature.VAE,
    "apprentissage": ActionNature.APPRENTICESHIP,
}


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class Report:
    """What a file does, line by line: the preview, or the import's result."""

    sha256: str
    lines: list[LineResult] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)  # the file's own (its header…)
    imported: bool = False

    @property
    def refused(self) -> list[LineResult]:
        return [line for line in self.lines if line.outcome == Outcome.REFUSED]

    @property
    def is_refused(self) -> bool:
        return bool(self.errors or self.refused)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(line.outcome for line in self.lines)
        return {outcome.value: counted[outcome] for outcome in Outcome}

    @property
    def summary(self) -> str:
        """« 2 dossiers créés, 1 mis à jour, 4 inchangés »."""
        counts = self.counts
        parts = [plural(counts[Outcome.CREATED], "dossier créé")]
        parts.append(f"{counts[Outcome.UPDATED]} mis à jour")
        parts.append(plural(counts[Outcome.UNCHANGED], "inchangé"))
        if counts[Outcome.REFUSED]:
            parts.append(plural(counts[Outcome.REFUSED], "ligne refusée", "lignes refusées"))
        return ", ".join(parts)


class LineInvalid(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# --- reading the file ---------------------------------------------------------------


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
    header = [_plain(cell).replace(" ", "_") for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    missing = [name for name in NAMES if name not in header]
    unknown = [name for name in header if name not in NAMES]
    if missing or unknown or len(set(header)) != len(header):
        reasons = []
        if missing:
            reasons.append("il manque " + ", ".join(f"« {name} »" for name in missing))
        if unknown:
            reasons.append("colonnes inconnues : " + ", ".join(f"« {n} »" for n in unknown))
        if len(set(header)) != len(header):
            reasons.append("une colonne est nommée deux fois")
        return [], [
            LineError(
                1,
                "La première ligne doit nommer les colonnes du modèle ("
                + " ; ".join(reasons)
                + ").",
            )
        ]
    if len(rows) - 1 > MAX_LINES:
        return [], [LineError(1, f"Le fichier dépasse {MAX_LINES} lignes : découpez-le.")]
    lines = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, name in enumerate(header)
        }
        lines.append((number, values))
    if not lines:
        return [], [LineError(2, "Le fichier ne contient aucun dossier.")]
    return lines, []


# --- one line, for form -------------------------------------------------------------


def _date(name: str, text: str, errors: list[str]) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(f"{LABELS[name]} : « {text} » n'est pas une date (JJ/MM/AAAA).")
    return None


def checked_siret(label: str, text: str, errors: list[str]) -> str:
    """``text`` as a SIRET (spaces and dots removed); when it is not one, why, after
    ``label``, in ``errors``."""
    compact = text.replace(" ", "").replace(".", "")
    try:
        return str(stdnum_siret.validate(compact))
    except StdnumError:
        errors.append(
            f"{label} : « {text} » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle)."
        )
        return compact


def checked_email(label: str, text: str, errors: list[str]) -> str:
    """``text`` (empty or an e-mail address); when it is not one, why in ``errors``."""
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        errors.append(f"{label} : « {text} » n'est pas une adresse e-mail.")
    return text


def check_identifiers(data: DossierData, errors: list[str]) -> DossierData:
    """``data`` with its SIRETs compacted, each SIRET and e-mail address checked in the
    order of the columns (the import's and the API's messages alike)."""
    return replace(
        data,
        organisation_siret=checked_siret(
            LABELS["siret_organisme"], data.organisation_siret, errors
        ),
        organisation_email=checked_email(
            LABELS["email_organisme"], data.organisation_email, errors
        ),
        beneficiary_email=checked_email(
            LABELS["email_beneficiaire"], data.beneficiary_email, errors
        ),
        employer_siret=checked_siret(LABELS["siret_employeur"], data.employer_siret, errors)
        if data.employer_siret
        else "",
        employer_email=checked_email(LABELS["email_employeur"], data.employer_email, errors),
    )


def parse_line(values: dict[str, str]) -> DossierData:
    """The line's dossier, or ``LineInvalid`` with every reason it is not one."""
    errors: list[str] = []
    for column in COLUMNS:
        text = values[column.name]
        if "\x00" in text:
            errors.append(f"{column.label} : la cellule contient un caractère nul (U+0000).")
        elif len(text) > column.max_length:
            errors.append(f"{column.label} : {column.max_length} caractères au plus.")
    for name in REQUIRED:
        if not values[name]:
            errors.append(f"{LABELS[name]} : la cellule est vide.")
    if errors:
        raise LineInvalid(errors)
    civility = CIVILITY_WORDS.get(values["civilite"].casefold())
    if civility is None:
        errors.append(f"civilité : « {values['civilite']} » (attendu « Mme » ou « M. »).")
    nature = NATURE_WORDS.get(_plain(values["nature"]))
    if nature is None:
        natures = ", ".join(f"« {label} »" for _, label in ActionNature.choices)
        errors.append(f"nature de l'action : « {values['nature']} » (attendu {natures}).")
    start = _date("debut", values["debut"], errors)
    end = _date("fin", values["fin"], errors)
    if start and end and end < start:
        errors.append(END_BEFORE_START)
    try:
        planned = parse_hours(values["heures_prevues"], max_minutes=MAX_PLANNED_MINUTES)
    except ValidationError as error:
        planned = 0
        errors.append(f"heures prévues : {error.messages[0]}")
    paperless_text = values["dematerialise"].casefold()
    if paperless_text not in YES | NO:
        errors.append(
            f"dossier dématérialisé : « {values['dematerialise']} » (attendu « oui » ou « non »)."
        )
    employer = [values["siret_employeur"], values["employeur"], values["email_employeur"]]
    if any(employer) and not (employer[0] and employer[1]):
        errors.append(EMPLOYER_TOGETHER)
    data = DossierData(
        number=values["dossier"],
        beneficiary_reference=values["identifiant_beneficiaire"],
        organisation_siret=values["siret_organisme"],
        organisation_name=values["organisme"],
        organisation_email=values["email_organisme"],
        civility=civility or "",
        first_name=values["prenom"],
        last_name=values["nom"],
        beneficiary_email=values["email_beneficiaire"],
        employer_siret=employer[0],
        employer_name=employer[1],
        employer_email=employer[2],
        training_title=values["intitule"],
        action_nature=nature or "",
        start_date=start or date.min,
        end_date=end or date.min,
        planned_minutes=planned,
        is_paperless=paperless_text in YES,
    )
    data = check_identifiers(data, errors)
    if errors:
        raise LineInvalid(errors)
    return data


# --- the whole file -----------------------------------------------------------------


def run(content: bytes, *, actor: User, commit: bool, request: HttpRequest | None = None) -> Report:
    """Preview (``commit=False``) or import the file: see the module's docstring."""
    report = Report(sha256=hashlib.sha256(content).hexdigest())
    rows, report.errors = read_rows(content)
    if report.errors:
        return report
    sync = Sync(actor=actor, source="import")
    try:
        with transaction.atomic():
            for number, values in rows:
                place = f"ligne {number}"
                try:
                    data = parse_line(values)
                except LineInvalid as invalid:
                    report.lines.append(
                        LineResult(
                            place=place,
                            number=values["dossier"],
                            outcome=Outcome.REFUSED,
                            errors=invalid.errors,
                        )
                    )
                    continue
                report.lines.append(sync.line(data, place))
            if report.is_refused or not commit:
                transaction.set_rollback(True)
                return report
            sync.record(request)
            record(
                EventType.DOSSIERS_IMPORTED,
                actor=actor,
                payload={"sha256": report.sha256, **report.counts},
                request=request,
            )
    except IntegrityError:  # another import wrote the same people meanwhile
        report.errors = [
            LineError(1, "Un autre import a modifié ces dossiers au même moment : recommencez.")
        ]
        report.lines = []
        return report
    report.imported = True
    return report


def template_csv() -> bytes:
    """The file to download and fill: the header and one example line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(NAMES)
    writer.writerow([TEMPLATE_LINE[name] for name in NAMES])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = "Dossiers"
    sheet.append(NAMES)
    sheet.append([TEMPLATE_LINE[name] for name in NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
