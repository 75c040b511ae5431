"""Importing dossiers from the funder's instruction system: a CSV or XLSX file, previewed
line by line, then imported all at once or not at all.

``run`` reads every line of the file (``dossier_file.read_rows``), checks it for form
(``parse_line``), and hands it to ``dossier_sync.Sync``, which matches and writes it, all in
one transaction. The preview
(``commit=False``) rolls that transaction back: it shows exactly what « Importer » would do,
and writes nothing. « Importer » (``commit=True``) commits only when no line is refused, so
a file is imported whole or not at all; importing it again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

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
from realisa.funder.dossier_data import DossierData, LineResult, Outcome
from realisa.funder.dossier_file import (
    COLUMNS,
    LABELS,
    NAMES,
    REQUIRED,
    LineError,
    read_rows,
)
from realisa.funder.dossier_sync import Sync
from realisa.lib.french import plural
from realisa.lib.hours import parse_hours
from realisa.lib.tables import plain

MAX_PLANNED_MINUTES = 10_000 * 60  # far above a PTP's longest training (1,200 hours or so)
END_BEFORE_START = "La date de fin précède la date de début."
EMPLOYER_TOGETHER = "employeur : son SIRET et sa raison sociale vont ensemble."


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


NATURE_WORDS = {plain(str(label)): value for value, label in ActionNature.choices} | {
    "formation": ActionNature.TRAINING,
    "bilan": ActionNature.SKILLS_ASSESSMENT,
    "bilan de competences": ActionNature.SKILLS_ASSESSMENT,
    "vae": ActionNature.VAE,
    "apprentissage": ActionNature.APPRENTICESHIP,
}


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


def _cell_errors(values: dict[str, str]) -> list[str]:
    """What no cell may be: holding a NUL, too long, or empty when required."""
    errors = []
    for column in COLUMNS:
        text = values[column.name]
        if "\x00" in text:
            errors.append(f"{column.label} : la cellule contient un caractère nul (U+0000).")
        elif len(text) > column.max_length:
            errors.append(f"{column.label} : {column.max_length} caractères au plus.")
    for name in REQUIRED:
        if not values[name]:
            errors.append(f"{LABELS[name]} : la cellule est vide.")
    return errors


def _words(values: dict[str, str], errors: list[str]) -> tuple[str, str, bool]:
    """The civility, the nature and « dématérialisé » as people write them."""
    civility = CIVILITY_WORDS.get(values["civilite"].casefold())
    if civility is None:
        errors.append(f"civilité : « {values['civilite']} » (attendu « Mme » ou « M. »).")
    nature = NATURE_WORDS.get(plain(values["nature"]))
    if nature is None:
        natures = ", ".join(f"« {label} »" for _, label in ActionNature.choices)
        errors.append(f"nature de l'action : « {values['nature']} » (attendu {natures}).")
    paperless_text = values["dematerialise"].casefold()
    if paperless_text not in YES | NO:
        errors.append(
            f"dossier dématérialisé : « {values['dematerialise']} » (attendu « oui » ou « non »)."
        )
    return civility or "", nature or "", paperless_text in YES


def _dates_and_hours(values: dict[str, str], errors: list[str]) -> tuple[date, date, int]:
    start = _date("debut", values["debut"], errors)
    end = _date("fin", values["fin"], errors)
    if start and end and end < start:
        errors.append(END_BEFORE_START)
    try:
        planned = parse_hours(values["heures_prevues"], max_minutes=MAX_PLANNED_MINUTES)
    except ValidationError as error:
        planned = 0
        errors.append(f"heures prévues : {error.messages[0]}")
    return start or date.min, end or date.min, planned


def parse_line(values: dict[str, str]) -> DossierData:
    """The line's dossier, or ``LineInvalid`` with every reason it is not one."""
    values = dict.fromkeys(NAMES, "") | values  # an optional column the file left out
    errors = _cell_errors(values)
    if errors:
        raise LineInvalid(errors)
    civility, nature, paperless = _words(values, errors)
    start, end, planned = _dates_and_hours(values, errors)
    employer = [values["siret_employeur"], values["employeur"], values["email_employeur"]]
    if any(employer) and not (employer[0] and employer[1]):
        errors.append(EMPLOYER_TOGETHER)
    data = DossierData(
        number=values["dossier"],
        beneficiary_reference=values["identifiant_beneficiaire"],
        organisation_siret=values["siret_organisme"],
        organisation_name=values["organisme"],
        organisation_email=values["email_organisme"],
        civility=civility,
        first_name=values["prenom"],
        last_name=values["nom"],
        beneficiary_email=values["email_beneficiaire"],
        employer_siret=employer[0],
        employer_name=employer[1],
        employer_email=employer[2],
        training_title=values["intitule"],
        action_nature=nature,
        start_date=start,
        end_date=end,
        planned_minutes=planned,
        is_paperless=paperless,
    )
    data = _with_cofunding(_with_life(data, values, errors), values, errors)
    data = check_identifiers(data, errors)
    if errors:
        raise LineInvalid(errors)
    return data


def _with_life(data: DossierData, values: dict[str, str], errors: list[str]) -> DossierData:
    """The early end, when the line gives one (an empty cell keeps what is recorded)."""
    if not values["fin_anticipee"]:
        if values["motif_fin_anticipee"]:
            errors.append("motif de la fin anticipée : il faut aussi sa date (fin_anticipee).")
        return data
    on = _date("fin_anticipee", values["fin_anticipee"], errors)
    return replace(data, ended_on=on, end_reason=values["motif_fin_anticipee"])


def _with_cofunding(data: DossierData, values: dict[str, str], errors: list[str]) -> DossierData:
    """« cofinancement_europeen »: oui or non; an empty cell keeps what is recorded."""
    text = values["cofinancement_europeen"].casefold()
    if not text:
        return data
    if text not in YES | NO:
        errors.append(
            f"cofinancement européen : « {values['cofinancement_europeen']} » "
            "(attendu « oui » ou « non »)."
        )
    return replace(data, european_cofunding=text in YES)


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
            report.lines = [_line(sync, number, values) for number, values in rows]
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


def _line(sync: Sync, number: int, values: dict[str, str]) -> LineResult:
    """One line checked for form, then matched and written; or refused with its reasons."""
    place = f"ligne {number}"
    try:
        data = parse_line(values)
    except LineInvalid as invalid:
        return LineResult(
            place=place, number=values["dossier"], outcome=Outcome.REFUSED, errors=invalid.errors
        )
    return sync.line(data, place)
