"""What the funder's instruction system sends and reads: its dossiers (``PUT
/funder/dossiers``) and their planned calendars (``PUT /funder/dossiers/{number}/plan``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool

from realisa.api.schemas import NUMBER_PATTERN, DossierOut
from realisa.choices import ActionNature, Civility, PlanOwner
from realisa.dossiers.planning import ExceptionKind
from realisa.funder import dossier_batch
from realisa.funder.dossier_import import MAX_PLANNED_MINUTES
from realisa.lib.hours import DAY_MAX_MINUTES

TEXT = r"\S"  # not blank
EMAIL_LENGTH = 254
SIRET_DESCRIPTION = "14 chiffres, espaces et points admis ; la clé de contrôle est vérifiée."


class OrganisationIn(Schema):
    """L'organisme de formation, retrouvé par son SIRET (jamais renommé par l'API)."""

    siret: str = Field(..., min_length=1, max_length=20, description=SIRET_DESCRIPTION)
    name: str = Field(..., max_length=200, pattern=TEXT, description="Sa raison sociale.")
    admin_email: str = Field(
        "",
        max_length=EMAIL_LENGTH,
        description="L'e-mail de son administrateur, nécessaire quand l'organisme est nouveau : "
        "son compte est créé et invité. Ignoré pour un organisme connu.",
    )


class BeneficiaryIn(Schema):
    """Le bénéficiaire, retrouvé par « beneficiary_reference » ; ses nom, prénom, civilité
    et e-mail sont mis à jour."""

    civility: Civility = Field(..., description="« mme » ou « m ».")
    first_name: str = Field(..., max_length=100, pattern=TEXT)
    last_name: str = Field(..., max_length=100, pattern=TEXT)
    email: str = Field(
        "",
        max_length=EMAIL_LENGTH,
        description="Facultatif : le bénéficiaire qui en a un reçoit son compte et son "
        "invitation, une seule fois.",
    )


class EmployerIn(Schema):
    """L'employeur, retrouvé par son SIRET et sa raison sociale."""

    siret: str = Field(..., min_length=1, max_length=20, description=SIRET_DESCRIPTION)
    name: str = Field(
        ...,
        max_length=200,
        pattern=TEXT,
        description="Sa raison sociale : l'employeur est retrouvé par son SIRET et son nom.",
    )
    email: str = Field(
        "",
        max_length=EMAIL_LENGTH,
        description="Facultatif : l'employeur qui n'a pas encore de compte en reçoit un.",
    )


class InterruptionIn(Schema):
    """Une période où la formation s'arrête puis reprend (arrêt maladie…)."""

    start: date = Field(..., description="Le premier jour de l'interruption.")
    end: date = Field(..., description="Le dernier jour de l'interruption (inclus).")
    reason: str = Field(..., max_length=300, pattern=TEXT, description="Le motif.")


class DossierRowIn(Schema):
    """Un dossier du système d'instruction : les colonnes de « Importer des dossiers »."""

    number: str = Field(..., pattern=NUMBER_PATTERN, description="Le numéro du dossier.")
    beneficiary_reference: str = Field(
        ...,
        max_length=40,
        pattern=TEXT,
        description="L'identifiant du bénéficiaire dans le système d'instruction : le "
        "bénéficiaire est retrouvé par lui, jamais par son e-mail.",
    )
    organisation: OrganisationIn = Field(
        ..., description="L'organisme de formation, retrouvé par son SIRET."
    )
    beneficiary: BeneficiaryIn
    employer: EmployerIn | None = Field(None, description="L'employeur, s'il y en a un.")
    training_title: str = Field(..., max_length=300, pattern=TEXT)
    action_nature: ActionNature
    start_date: date = Field(..., description="Le premier jour de la formation.")
    end_date: date = Field(..., description="Le dernier jour de la formation.")
    planned_minutes: int = Field(
        ...,
        ge=0,
        le=MAX_PLANNED_MINUTES,
        description="Les heures financées, en minutes (700 h : 42000).",
    )
    is_paperless: StrictBool = Field(
        ..., description="Dossier dématérialisé : les heures se saisissent jour par jour."
    )
    european_cofunding: StrictBool | None = Field(
        None,
        description="Cofinancement européen (FSE+) : les pièces du dossier sont alors "
        "conservées 10 ans. Absent, la valeur enregistrée reste telle quelle (non pour un "
        "nouveau dossier).",
    )
    ended_on: date | None = Field(
        None,
        description="Fin anticipée (abandon, embauche…) : le dernier jour de formation. "
        "Absente, la fin anticipée enregistrée reste telle quelle.",
    )
    end_reason: str = Field(
        "", max_length=300, description="Le motif de la fin anticipée (obligatoire avec elle)."
    )
    interruptions: list[InterruptionIn] | None = Field(
        None,
        max_length=50,
        description="Toutes les interruptions du dossier : celles qui manquent sont retirées, "
        "les nouvelles ajoutées. Absent, les interruptions enregistrées restent telles quelles.",
    )


class DossiersIn(Schema):
    """Les dossiers à créer ou mettre à jour, chacun traité seul."""

    dossiers: list[DossierRowIn] = Field(
        ...,
        min_length=1,
        description=f"Au plus {dossier_batch.MAX_ROWS} dossiers par appel (422 au-delà).",
        json_schema_extra={"maxItems": dossier_batch.MAX_ROWS},
    )


class EmployerOut(Schema):
    """L'employeur du dossier."""

    siret: str
    name: str


class FunderDossierOut(DossierOut):
    """Le dossier tel qu'il est enregistré."""

    beneficiary_reference: str = Field(..., description="L'identifiant du bénéficiaire.")
    employer: EmployerOut | None
    action_nature: ActionNature
    planned_minutes: int = Field(..., description="Les heures financées, en minutes.")
    plan_owner: PlanOwner = Field(
        ..., description="Qui saisit le calendrier prévisionnel : l'organisme ou le financeur."
    )
    european_cofunding: bool = Field(..., description="Cofinancement européen (FSE+).")
    ended_on: date | None = Field(..., description="La fin anticipée, s'il y en a une.")
    end_reason: str = Field(..., description="Son motif.")
    interruptions: list[InterruptionIn] = Field(..., description="Les interruptions.")


class DossierRowOut(Schema):
    """Ce que l'appel a fait d'un dossier, ou pourquoi il l'a refusé."""

    number: str
    outcome: Literal["created", "updated", "unchanged", "refused"] = Field(
        ...,
        description="« created » : créé ; « updated » : mis à jour (« changes » dit quoi) ; "
        "« unchanged » : déjà à jour, rien n'a été écrit ; « refused » : refusé, « errors » "
        "dit pourquoi.",
    )
    errors: list[str] = Field(..., description="Les raisons du refus, en français (vide sinon).")
    changes: list[str] = Field(..., description="Chaque changement : « libellé : avant → après ».")
    invitations: list[str] = Field(
        ...,
        description="Les comptes créés et invités par cet élément (l'invitation part par "
        "e-mail) ; personne n'est invité deux fois.",
    )
    dossier: FunderDossierOut | None = Field(
        ..., description="Le dossier tel qu'il est enregistré (null si refusé)."
    )


class DossiersResult(Schema):
    """Un résultat par dossier envoyé."""

    results: list[DossierRowOut] = Field(..., description="Un résultat par dossier, dans l'ordre.")


# --- the planned calendar -----------------------------------------------------------


class PlannedHoursIn(Schema):
    """Les heures prévues un jour : 24 heures au plus, centre et stage ensemble."""

    centre_minutes: int = Field(0, ge=0, le=DAY_MAX_MINUTES, description="En centre, en minutes.")
    internship_minutes: int = Field(
        0, ge=0, le=DAY_MAX_MINUTES, description="En entreprise (stage), en minutes."
    )


class PlannedDayIn(PlannedHoursIn):
    """Un jour du calendrier et ses heures prévues."""

    date: date


class PatternIn(Schema):
    """Les heures de chaque jour de la semaine ; un jour absent n'en a pas."""

    monday: PlannedHoursIn | None = None
    tuesday: PlannedHoursIn | None = None
    wednesday: PlannedHoursIn | None = None
    thursday: PlannedHoursIn | None = None
    friday: PlannedHoursIn | None = None
    saturday: PlannedHoursIn | None = None
    sunday: PlannedHoursIn | None = None


class PatternExceptionIn(Schema):
    """Une période, bornes comprises, qui s'écarte de la semaine type."""

    first_day: date = Field(..., description="Le premier jour de la période.")
    last_day: date = Field(..., description="Le dernier jour de la période (compris).")
    kind: ExceptionKind = Field(
        ...,
        description="« closure » : fermeture, aucune heure ces jours-là ; « internship » : en "
        "entreprise, les heures du jour comptent en stage.",
    )


class PlanIn(Schema):
    """Soit « days » (jour par jour), soit « pattern » (semaine type) avec ses
    « exceptions » : l'un des deux, pas les deux."""

    days: list[PlannedDayIn] | None = Field(
        None,
        max_length=2000,
        description="Le calendrier jour par jour ; un jour absent, ou sans heures, n'a pas "
        "d'heures prévues.",
    )
    pattern: PatternIn | None = Field(
        None,
        description="Une semaine type, déroulée sur toute la formation, jours fériés de la "
        "région du financeur ôtés.",
    )
    exceptions: list[PatternExceptionIn] = Field(
        [],
        max_length=100,
        description="Avec « pattern » seulement : les périodes de fermeture ou en entreprise.",
    )


class PlanMonthOut(Schema):
    """Un mois du calendrier tel qu'il est enregistré."""

    month: str = Field(..., description="AAAA-MM")
    days: int = Field(..., description="Les jours prévus du mois.")
    planned_minutes: int
    kept: bool = Field(
        ..., description="Mois dont les heures sont saisies : il garde ses jours prévus."
    )


class PlanOut(Schema):
    """Le calendrier enregistré, mois par mois, face aux heures financées."""

    dossier: str
    outcome: Literal["updated", "unchanged"] = Field(
        ...,
        description="« unchanged » : c'était déjà le calendrier (et déjà celui du financeur), "
        "rien n'a été écrit.",
    )
    plan_owner: PlanOwner
    financed_minutes: int = Field(..., description="Les heures financées du dossier.")
    planned_minutes: int = Field(..., description="Le total prévu, tous mois confondus.")
    excess_minutes: int = Field(..., description="Le prévu au-delà des heures financées.")
    shortfall_minutes: int = Field(..., description="Les heures financées que le plan laisse.")
    months: list[PlanMonthOut]
    kept_months: list[str] = Field(
        ...,
        description="Les mois (AAAA-MM) dont les heures sont saisies : leurs jours prévus "
        "restent ceux d'avant, quoi que l'appel en dise.",
    )
