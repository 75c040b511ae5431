"""What ``POST /hours/imports`` reads and answers: the rows of « Importer des heures »,
as JSON, keyed by the client (docs/api.md)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from realisa.api.schemas import HOURS_DESCRIPTION, MONTH_PATTERN, NUMBER_PATTERN

MAX_ROWS = 10_000  # the file's own limit (hours_file.MAX_LINES)
EXAMPLE: dict[str, Any] = {
    "key": "logiciel-de-gestion-2026-11-import-1",
    "certifies_entry": True,
    "accepts_ip_use": True,
    "rows": [
        {"dossier": "T-00042", "month": "2026-11", "centre": "140", "internship": "0"}
        | {"absence": "7"},
        {"dossier": "T-00043", "month": "2026-11", "centre": "126", "internship": "35"}
        | {"absence": "0", "gap_reason": "Rattrapage de la semaine du 2 novembre"},
    ],
}


class HoursRowIn(Schema):
    """One line of the file: a dossier's month (``month``) or one of its days (``date``)."""

    dossier: str = Field(..., pattern=NUMBER_PATTERN, description="Le numéro du dossier.")
    month: str | None = Field(
        None, pattern=MONTH_PATTERN, description="AAAA-MM : une ligne par mois."
    )
    date: datetime.date | None = Field(None, description="AAAA-MM-JJ : une ligne par jour.")
    centre: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    internship: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    absence: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    gap_reason: str = Field(
        "", max_length=500, description="« Motif de l'écart », quand le mois en demande un."
    )


class HoursImportIn(Schema):
    key: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Votre clé pour cet appel : renvoyé avec la même clé, il répond la même "
        "chose et n'écrit rien de plus.",
    )
    certifies_entry: StrictBool = Field(..., description="« Je certifie la saisie des heures ».")
    accepts_ip_use: StrictBool = Field(
        False, description="« J'accepte que mon adresse IP soit utilisée » (certification 2)."
    )
    rows: list[HoursRowIn] = Field(
        ...,
        min_length=1,
        max_length=MAX_ROWS,
        description="Toutes des lignes par mois (« month ») ou toutes par jour (« date »).",
    )

    model_config = {"json_schema_extra": {"example": EXAMPLE}}


class HoursRowResult(Schema):
    row: int = Field(..., description="La place de la ligne dans « rows », à partir de 1.")
    dossier: str
    month: str | None = Field(None, description="AAAA-MM, quand la ligne est lisible.")
    outcome: Literal["entered", "unchanged", "refused", "held_back"] = Field(
        ...,
        description="entered : heures enregistrées ; held_back : ligne correcte, non "
        "enregistrée parce que d'autres sont refusées ; "
        "unchanged : le mois a déjà ces heures ; refused : voir « errors ».",
    )
    errors: list[str] = Field(default_factory=list)
    warning: str | None = Field(None, description="L'écart avec le calendrier prévu.")


class HoursImportResult(Schema):
    key: str
    imported: bool = Field(
        ..., description="true : tout est enregistré ; false : rien ne l'est (voir « errors »)."
    )
    sha256: str = Field(..., description="L'empreinte des lignes, dans le journal de chaque mois.")
    results: list[HoursRowResult]
