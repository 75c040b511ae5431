"""The checks of a dossier line against what is recorded (``dossier_sync.Sync``): who a
known dossier belongs to, which months its dates may not move, which employer a SIRET is.
Each returns the French reasons of a refusal; none writes anything."""

from __future__ import annotations

from datetime import date
from typing import Any

from realisa.certificates.models import Certificate
from realisa.choices import ActionNature, Civility, MonthStatus
from realisa.dossiers.models import Beneficiary, Dossier, Employer
from realisa.dossiers.periods import MonthPeriod, training_months
from realisa.funder.dossier_data import DossierData
from realisa.lib.french import of_month
from realisa.lib.hours import format_minutes


def same_name(first: str, second: str) -> bool:
    """Names compared as people read them: case and spacing aside."""
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _dates(start: date, end: date) -> str:
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


NATURES = dict(ActionNature.choices)
CIVILITIES = dict(Civility.choices)


def _period_of(month: date, start: date, end: date) -> MonthPeriod | None:
    if end < start:
        return None
    return next((p for p in training_months(start, end) if p.month == month), None)


def person_of(data: DossierData) -> tuple[str, ...]:
    """The beneficiary as a line describes them, for comparing two lines."""
    return (
        data.civility,
        " ".join(data.first_name.split()),
        " ".join(data.last_name.split()),
        data.beneficiary_email.lower(),
    )


def known_dossier_errors(
    dossier: Dossier, data: DossierData, beneficiary: Beneficiary | None
) -> tuple[list[str], Beneficiary | None]:
    """Why a line may not describe the recorded ``dossier`` (its organisation, its
    beneficiary, its dates); and the beneficiary the line is about."""
    errors = []
    if dossier.organisation.siret != data.organisation_siret:
        errors.append(
            f"Le dossier {data.number} est suivi par l'organisme "
            f"« {dossier.organisation.name} » (SIRET {dossier.organisation.siret}), "
            f"pas par celui de SIRET {data.organisation_siret}."
        )
    known = dossier.beneficiary.funder_reference
    if known and known != data.beneficiary_reference:
        errors.append(
            f"Le dossier {data.number} est celui du bénéficiaire d'identifiant {known}, "
            f"pas {data.beneficiary_reference}."
        )
    elif not known:
        if beneficiary is not None and beneficiary.pk != dossier.beneficiary_id:
            errors.append(
                f"L'identifiant {data.beneficiary_reference} est celui d'un autre "
                f"bénéficiaire que celui du dossier {data.number}."
            )
        beneficiary = dossier.beneficiary  # it receives its identifier
    return errors + date_errors(dossier, data), beneficiary


def date_errors(dossier: Dossier, data: DossierData) -> list[str]:
    """A month whose hours are entered or certified keeps its days; a payment stays
    within the training."""
    if (dossier.start_date, dossier.end_date) == (data.start_date, data.end_date):
        return []
    errors = []
    months = Certificate.objects.filter(dossier=dossier).values_list("month", "status")
    for month, status in sorted(months):
        before = _period_of(month, dossier.start_date, dossier.end_date)
        after = _period_of(month, data.start_date, data.end_date)
        if before != after:
            done = "déjà saisies" if status == MonthStatus.ENTERED else "déjà certifiées"
            errors.append(
                f"Les dates ne peuvent pas passer {_dates(data.start_date, data.end_date)} : "
                f"les heures {of_month(month)} sont {done}, et les jours de ce mois "
                "changeraient. Rouvrez ou corrigez d'abord ce mois."
            )
    for payment in dossier.payments.all():
        if payment.period_start < data.start_date or payment.period_end > data.end_date:
            errors.append(
                f"Les dates ne peuvent pas passer {_dates(data.start_date, data.end_date)} : "
                f"un règlement couvre la période "
                f"{_dates(payment.period_start, payment.period_end)}."
            )
    return errors


def employer_of(data: DossierData) -> tuple[Employer | None, str]:
    candidates = list(Employer.objects.filter(siret=data.employer_siret))
    for candidate in candidates:
        if same_name(candidate.name, data.employer_name):
            return candidate, ""
    if candidates:
        names = ", ".join(f"« {c.name} »" for c in candidates)
        return None, (
            f"Le SIRET {data.employer_siret} est celui de l'employeur {names}, "
            f"pas de « {data.employer_name} » : corrigez le nom ou le SIRET."
        )
    return None, ""


def shown(name: str, value: Any) -> str:
    """A field's value as the preview writes it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if name == "planned_minutes":
        return format_minutes(int(value))
    if name == "action_nature":
        return str(NATURES.get(value, value))
    if name == "civility":
        return str(CIVILITIES.get(value, value))
    return str(value)
