"""Reading: the dossiers a token's user sees, their months with status and hours."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field as F
from ninja import Query, Router, Schema
from ninja.params import functions as param_functions

from realisa.api.endpoints.common import (
    READ_ERRORS,
    month_output,
    parse_month,
    responses,
    visible_dossier,
    visible_month,
)
from realisa.api.schemas import MONTH_PATTERN, NUMBER_PATTERN, DossierOut, DossierPage, MonthOut
from realisa.api.serializers import dossier_out, month_out
from realisa.certificates.abilities import abilities, actor_of, facts_of_row
from realisa.certificates.lifecycle import paid_periods
from realisa.certificates.models import Certificate
from realisa.certificates.queries import month_rows
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import month_end

router = Router(tags=["Dossiers et mois"])

NumberPath = Annotated[
    str, param_functions.Path(..., pattern=NUMBER_PATTERN, description="Le numéro du dossier.")
]
MonthPath = Annotated[
    str, param_functions.Path(..., pattern=MONTH_PATTERN, description="Le mois, AAAA-MM.")
]
IdPath = Annotated[int, param_functions.Path(..., ge=1, le=2_147_483_647)]


class DossierFilters(Schema):
    number: str | None = F(None, max_length=30, description="Numéro (tout ou partie).")
    month: str | None = F(None, pattern=MONTH_PATTERN, description="Formation touchant ce mois.")
    status: MonthStatus | None = F(
        None, description="Un mois (celui de « month », sinon n'importe lequel) dans ce statut."
    )
    limit: int = F(50, ge=1, le=200)
    offset: int = F(0, ge=0, le=1_000_000)


def _filtered(request: HttpRequest, filters: DossierFilters) -> Any:
    dossiers = Dossier.objects.visible_to(request.user).select_related(
        "organisation", "beneficiary"
    )
    if filters.number:
        dossiers = dossiers.filter(number__icontains=filters.number)
    if filters.month:
        first = parse_month(filters.month)
        dossiers = dossiers.filter(start_date__lte=month_end(first), end_date__gte=first)
    return dossiers.order_by("number")


def _has_status(request: HttpRequest, dossier: Dossier, filters: DossierFilters) -> bool:
    today = timezone.localdate()
    wanted = parse_month(filters.month) if filters.month else None
    return any(
        row.status == filters.status
        for row in month_rows(dossier, request.user, today)
        if wanted is None or row.period.month == wanted
    )


@router.get("/dossiers", response=responses(DossierPage, errors=READ_ERRORS), url_name="dossiers")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    """The dossiers you see (an organisation's members: theirs; an agent: all), by number."""
    dossiers = _filtered(request, filters)
    if filters.status is not None:
        # A month's status is computed from its dates and payments (certificates/status.py),
        # so this filter runs in Python over the dossiers the other filters kept.
        kept = [d for d in dossiers if _has_status(request, d, filters)]
        page, count = kept[filters.offset : filters.offset + filters.limit], len(kept)
    else:
        count = dossiers.count()
        page = list(dossiers[filters.offset : filters.offset + filters.limit])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [dossier_out(d) for d in page],
    }


@router.get(
    "/dossiers/{number}", response=responses(DossierOut, errors=READ_ERRORS), url_name="dossier"
)
def get_dossier(request: HttpRequest, number: NumberPath) -> dict[str, Any]:
    return dossier_out(visible_dossier(request, number))


@router.get(
    "/dossiers/{number}/months",
    response=responses(list[MonthOut], errors=READ_ERRORS),
    url_name="months",
)
def list_months(request: HttpRequest, number: NumberPath) -> list[dict[str, Any]]:
    """Every month of the training with its status and hours, as the « Certificats » tab."""
    dossier = visible_dossier(request, number)
    visible = {
        c.month: c
        for c in Certificate.objects.visible_to(request.user)
        .filter(dossier=dossier)
        .prefetch_related("attendance_sheets", "days", Prefetch("versions"))
    }
    actor, payments = actor_of(request.user), paid_periods(dossier)
    months = []
    for row in month_rows(dossier, request.user, timezone.localdate()):
        certificate = visible.get(row.period.month)
        versions = sorted(certificate.versions.all(), key=lambda v: v.number) if certificate else []
        can = abilities(actor, facts_of_row(row, dossier, payments))
        months.append(
            month_out(
                dossier, row.period, certificate, status=row.status, can=can, versions=versions
            )
        )
    return months


@router.get(
    "/dossiers/{number}/months/{month}",
    response=responses(MonthOut, errors=READ_ERRORS),
    url_name="month",
)
def get_month(request: HttpRequest, number: NumberPath, month: MonthPath) -> dict[str, Any]:
    return month_output(visible_month(request, number, month))
