"""A dossier as the funder's system describes it, and what a line of an import or an API
call did with it (``dossier_sync``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from realisa.dossiers.models import Dossier


@dataclass(frozen=True)
class InterruptionData:
    """A period the training stops, from ``start`` to ``end`` included."""

    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class DossierData:
    """A dossier as the funder's system describes it (checked for form by the reader)."""

    number: str
    beneficiary_reference: str
    organisation_siret: str
    organisation_name: str
    organisation_email: str
    civility: str
    first_name: str
    last_name: str
    beneficiary_email: str
    employer_siret: str  # "" when the dossier has no employer
    employer_name: str
    employer_email: str
    training_title: str
    action_nature: str
    start_date: date
    end_date: date
    planned_minutes: int
    is_paperless: bool
    # The dossier's life, when the line says it; None leaves it as recorded (an agent may
    # have recorded it on the portal, and a line that does not know of it keeps it).
    ended_on: date | None = None
    end_reason: str = ""
    interruptions: tuple[InterruptionData, ...] | None = None  # all of them, when given
    european_cofunding: bool | None = None  # None: as recorded (False for a new dossier)


class Outcome(models.TextChoices):
    CREATED = "created", "créé"
    UPDATED = "updated", "mis à jour"
    UNCHANGED = "unchanged", "inchangé"
    REFUSED = "refused", "refusé"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} : {self.before or '(vide)'} → {self.after or '(vide)'}"


@dataclass
class LineResult:
    """What one line did, or why it was refused."""

    place: str  # « ligne 4 », « élément 2 »
    number: str
    outcome: Outcome = Outcome.UNCHANGED
    changes: list[Change] = field(default_factory=list)
    invitations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dossier: Dossier | None = None
