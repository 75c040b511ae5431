"""For the funder's instruction system: its dossiers, created or updated with their people,
and their planned calendars. Agents only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from realisa.api.endpoints.common import (
    ERRORS,
    require_agent,
    require_at_most,
    responses,
    user_of,
    visible_dossier,
)
from realisa.api.endpoints.dossiers import NumberPath
from realisa.api.funder_schemas import (
    DossierRowIn,
    DossiersIn,
    DossiersResult,
    PlanIn,
    PlanOut,
)
from realisa.api.problems import ApiProblem
from realisa.api.serializers import dossier_out
from realisa.dossiers.models import Dossier
from realisa.dossiers.planning import DayPlan, PatternException, WeeklyPattern
from realisa.funder.dossier_batch import MAX_ROWS, sync_dossiers
from realisa.funder.dossier_data import DossierData, InterruptionData, LineResult
from realisa.funder.plan_sync import WEEKDAY_KEYS, PlanResult, SentDays, SentPattern, put_plan

router = Router(tags=["Financeur"])


def data_of(row: DossierRowIn) -> DossierData:
    employer = row.employer
    return DossierData(
        number=row.number,
        beneficiary_reference=row.beneficiary_reference,
        organisation_siret=row.organisation.siret,
        organisation_name=row.organisation.name,
        organisation_email=row.organisation.admin_email,
        civility=row.beneficiary.civility.value,
        first_name=row.beneficiary.first_name,
        last_name=row.beneficiary.last_name,
        beneficiary_email=row.beneficiary.email,
        employer_siret=employer.siret if employer else "",
        employer_name=employer.name if employer else "",
        employer_email=employer.email if employer else "",
        training_title=row.training_title,
        action_nature=row.action_nature.value,
        start_date=row.start_date,
        end_date=row.end_date,
        planned_minutes=row.planned_minutes,
        is_paperless=row.is_paperless,
        european_cofunding=row.european_cofunding,
        ended_on=row.ended_on,
        end_reason=row.end_reason,
        interruptions=None
        if row.interruptions is None
        else tuple(InterruptionData(i.start, i.end, i.reason) for i in row.interruptions),
    )


def funder_dossier_out(dossier: Dossier) -> dict[str, Any]:
    employer = dossier.employer
    return dossier_out(dossier) | {
        "beneficiary_reference": dossier.beneficiary.funder_reference,
        "employer": {"siret": employer.siret, "name": employer.name} if employer else None,
        "action_nature": dossier.action_nature,
        "planned_minutes": dossier.planned_minutes,
        "plan_owner": dossier.plan_owner,
        "european_cofunding": dossier.european_cofunding,
        "ended_on": dossier.ended_on,
        "end_reason": dossier.end_reason,
        "interruptions": [
            {"start": i.start, "end": i.end, "reason": i.reason}
            for i in dossier.interruptions.all()
        ],
    }


def row_out(result: LineResult) -> dict[str, Any]:
    return {
        "number": result.number,
        "outcome": result.outcome.value,
        "errors": result.errors,
        "changes": [str(change) for change in result.changes],
        "invitations": result.invitations,
        "dossier": funder_dossier_out(result.dossier) if result.dossier else None,
    }


PUT_DOSSIERS = (
    "Les dossiers du système d'instruction, avec leur organisme, leur bénéficiaire et leur "
    "employeur, chacun retrouvé par l'identifiant du financeur (le numéro du dossier, "
    "l'identifiant du bénéficiaire, le SIRET de l'organisme, le SIRET et le nom de "
    "l'employeur), jamais par un e-mail : créé (« created »), mis à jour (« updated ») ou "
    "laissé tel quel (« unchanged ») ; le même appel répété ne change rien et n'invite "
    "personne une seconde fois. Chaque dossier est traité seul : un dossier refusé "
    "(« refused », avec ses raisons) n'empêche pas les autres, et la réponse est 200. Les "
    "dossiers d'un même appel sont comparés entre eux comme les lignes d'un fichier importé."
)


@router.put(
    "/dossiers",
    response=responses(DossiersResult, errors=ERRORS - {404, 409}),
    url_name="dossiers_put",
    summary="Créer ou mettre à jour des dossiers par leur numéro",
    description=PUT_DOSSIERS,
)
def put_dossiers(request: HttpRequest, body: DossiersIn) -> dict[str, Any]:
    require_agent(request)
    require_at_most(body.dossiers, MAX_ROWS, "dossiers", "dossier envoyé")
    rows = [data_of(row) for row in body.dossiers]
    results = sync_dossiers(rows, actor=user_of(request), request=request)
    return {"results": [row_out(result) for result in results]}


def sent_plan(body: PlanIn) -> SentDays | SentPattern:
    if (body.days is None) == (body.pattern is None):
        raise ApiProblem(
            422,
            "calendrier-refuse",
            "Envoyez le calendrier jour par jour (« days ») ou en semaine type (« pattern ») : "
            "l'un des deux, pas les deux.",
        )
    if body.days is not None:
        if body.exceptions:
            raise ApiProblem(
                422,
                "calendrier-refuse",
                "Les « exceptions » vont avec une semaine type (« pattern ») : un calendrier "
                "jour par jour les porte déjà.",
            )
        return SentDays(
            [(day.date, DayPlan(day.centre_minutes, day.internship_minutes)) for day in body.days]
        )
    assert body.pattern is not None  # noqa: S101 - one of the two, checked above
    weekdays = [getattr(body.pattern, key) for key in WEEKDAY_KEYS]
    pattern = WeeklyPattern(
        tuple(DayPlan(d.centre_minutes, d.internship_minutes) if d else DayPlan() for d in weekdays)
    )
    exceptions = [PatternException(e.first_day, e.last_day, e.kind) for e in body.exceptions]
    return SentPattern(pattern, exceptions)


def plan_out(dossier: Dossier, result: PlanResult) -> dict[str, Any]:
    plan = result.plan
    return {
        "dossier": dossier.number,
        "outcome": "updated" if result.changed else "unchanged",
        "plan_owner": dossier.plan_owner,
        "financed_minutes": plan.financed,
        "planned_minutes": plan.total,
        "excess_minutes": plan.excess,
        "shortfall_minutes": plan.shortfall,
        "months": [
            {
                "month": f"{line.month:%Y-%m}",
                "days": line.days,
                "planned_minutes": line.minutes,
                "kept": line.kept,
            }
            for line in plan.months
        ],
        "kept_months": sorted(f"{month:%Y-%m}" for month in result.months_with_hours),
    }


PUT_PLAN = (
    "Le calendrier prévisionnel du dossier, jour par jour (« days ») ou en semaine type "
    "(« pattern », avec ses « exceptions »). Il devient celui du financeur : l'organisme le "
    "lit et ne le saisit plus. Il remplace les jours prévus des mois sans heures saisies ; "
    "un mois dont les heures sont saisies garde les siens (« kept_months »). Le même "
    "calendrier envoyé de nouveau ne change rien (« unchanged »). Un jour hors de la "
    "formation, envoyé deux fois ou de plus de 24 heures refuse tout le calendrier (422, "
    "chaque erreur dans « errors »)."
)


@router.put(
    "/dossiers/{number}/plan",
    response=responses(PlanOut, errors=ERRORS - {409}),
    url_name="plan_put",
    summary="Envoyer le calendrier prévisionnel d'un dossier",
    description=PUT_PLAN,
)
def put_dossier_plan(request: HttpRequest, number: NumberPath, body: PlanIn) -> dict[str, Any]:
    require_agent(request)
    dossier = visible_dossier(request, number)
    result = put_plan(dossier, sent_plan(body), actor=user_of(request), request=request)
    dossier.refresh_from_db(fields=["plan_owner"])
    return plan_out(dossier, result)
