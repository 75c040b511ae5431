"""The funder's dossier file, as read: a CSV or XLSX export whose first line names its
columns (``COLUMNS``, in any order; the template to download has them all).

The file itself is read by ``lib.tables`` (a CSV or a workbook, by its content).
``read_rows`` gives its lines as {column: text}, numbered as a spreadsheet numbers them, or
the reason the whole file is refused; ``dossier_import`` checks each line and imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from realisa.lib import tables
from realisa.lib.tables import (
    TableUnreadable,
    header_of,
    header_refusal,
    named_lines,
    read_table,
)

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
    Column("cofinancement_europeen", "cofinancement européen (FSE+)", 10, optional=True),
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
    "cofinancement_europeen": "non",
}


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


def read_rows(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[LineError]]:
    """The file's lines as {column: text}, numbered as a spreadsheet numbers them (the
    header is line 1); or the reason the whole file is refused."""
    try:
        rows = read_table(content, max_lines=MAX_LINES)
    except TableUnreadable as unreadable:
        return [], [LineError(1, unreadable.message)]
    header = header_of(rows[0])
    required = [column.name for column in COLUMNS if not column.optional]
    refusal = header_refusal(header, required=required, known=NAMES)
    if refusal:
        return [], [LineError(1, refusal)]
    lines = named_lines(header, rows[1:], NAMES)
    if not lines:
        return [], [LineError(2, "Le fichier ne contient aucun dossier.")]
    return lines, []


def template_csv() -> bytes:
    """The file to download and fill: the header and one example line."""
    return tables.template_csv(NAMES, [TEMPLATE_LINE])


def template_xlsx() -> bytes:
    """The same template as a workbook."""
    return tables.template_xlsx(NAMES, [TEMPLATE_LINE], title="Dossiers")
