"""What every endpoint needs: the scoped lookups, the documented error responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from realisa.api.problems import ApiProblem
from realisa.api.schemas import Problem
from realisa.api.serializers import month_out
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period, status_of
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod

ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
READ_ERRORS = frozenset({401, 404, 422, 429})


def responses(success: Any, code: int = 200, errors: frozenset[int] = ERRORS) -> dict[Any, Any]:
    return {code: success, errors: Problem}


def not_found(detail: str) -> ApiProblem:
    return ApiProblem(404, "introuvable", detail)


def forbidden(detail: str) -> ApiProblem:
    return ApiProblem(403, "interdit", detail)


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


@dataclass
class Month:
    dossier: Dossier
    period: MonthPeriod
    certificate: Certificate | None

    @property
    def status(self) -> MonthStatus:
        return status_of(self.dossier, self.period, self.certificate, timezone.localdate())

    def out(self) -> dict[str, Any]:
        certificate = self.certificate
        versions = list(certificate.versions.order_by("number")) if certificate else []
        return month_out(self.dossier, self.period, certificate, self.status, versions=versions)


def visible_month(request: HttpRequest, number: str, month: str) -> Month:
    dossier = visible_dossier(request, number)
    period = find_period(dossier, parse_month(month))
    if period is None:
        raise not_found("Ce mois ne fait pas partie de la formation.")
    certificate = (
        Certificate.objects.visible_to(request.user)
        .filter(dossier=dossier, month=period.month)
        .first()
    )
    return Month(dossier, period, certificate)


def stored_certificate(month: Month) -> Certificate:
    if month.certificate is None:
        raise not_found("Aucune heure n'a encore été saisie pour ce mois.")
    return month.certificate


def require_member(request: HttpRequest, month: Month) -> Certificate:
    """The organisation's own steps: others who see the dossier get 403, as on the screens."""
    user = user_of(request)
    if not (user.is_of_member and user.organisation_id == month.dossier.organisation_id):
        raise forbidden("Seuls les membres de l'organisme de formation certifient.")
    return stored_certificate(month)


def require_agent(request: HttpRequest) -> None:
    if not user_of(request).is_agent:
        raise forbidden("Réservé aux agents de Transitions Pro.")
