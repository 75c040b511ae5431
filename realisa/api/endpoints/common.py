"""What every endpoint needs: the scoped lookups, the documented error responses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from realisa.api.problems import ApiProblem
from realisa.api.schemas import Problem
from realisa.api.serializers import month_out
from realisa.certificates import visible_months as months
from realisa.certificates.models import Certificate
from realisa.certificates.visible_months import Month
from realisa.dossiers.models import Dossier
from realisa.lib.errors import NotAllowed
from realisa.lib.french import plural

ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
# 400: a NUL character anywhere in the request (api/middleware.py), before any view.
READ_ERRORS = frozenset({400, 401, 404, 422, 429})


def responses(success: Any, code: int = 200, errors: frozenset[int] = ERRORS) -> dict[Any, Any]:
    return {code: success, errors: Problem}


def not_found(detail: str) -> ApiProblem:
    return ApiProblem(404, "introuvable", detail)


def forbidden(detail: str) -> NotAllowed:
    return NotAllowed(detail)


def user_of(request: HttpRequest) -> Any:
    return request.user


def visible_dossier(request: HttpRequest, number: str) -> Dossier:
    dossier = (
        Dossier.objects.visible_to(request.user)
        .select_related("organisation", "beneficiary", "employer")
        .filter(number=number)
        .first()
    )
    if dossier is None:
        raise not_found("Ce dossier n'existe pas ou ne vous est pas accessible.")
    return dossier


def parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise ApiProblem(
            422, "mois-invalide", "Le mois s'écrit AAAA-MM, par exemple 2026-03."
        ) from error


def visible_month(request: HttpRequest, number: str, month: str) -> Month:
    """The month the token's user sees (404 otherwise), as the pages load it."""
    return months.visible_month(request.user, number, parse_month(month))


def month_output(month: Month) -> dict[str, Any]:
    """The month as the API shows it, with what the token's user may do with it."""
    return month_out(
        month.dossier,
        month.period,
        month.certificate,
        status=month.facts.status,
        can=month.can,
        versions=month.versions,
    )


def require_member(month: Month) -> Certificate:
    """The organisation's own steps, for a month whose hours are entered (403, 404)."""
    return months.organisation_certificate(month)


def require_agent(request: HttpRequest) -> None:
    if not user_of(request).is_agent:
        raise forbidden("Réservé aux agents de Transitions Pro.")


def require_at_most(rows: list[Any], limit: int, kind: str, noun: str) -> None:
    """A batch call holds at most ``limit`` rows; more is a 422 problem ``trop-de-<kind>``
    that says how many were sent (``noun``: « règlement envoyé »)."""
    if len(rows) > limit:
        raise ApiProblem(
            422,
            f"trop-de-{kind}",
            f"{plural(len(rows), noun)} : au plus {limit} par appel. "
            "Envoyez-les en plusieurs appels.",
        )
