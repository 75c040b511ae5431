"""What every endpoint needs: the scoped lookups, the documented error responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.http import HttpRequest

from realisa.api.problems import ApiProblem
from realisa.api.schemas import Problem
from realisa.api.serializers import month_out
from realisa.certificates.abilities import (
    Abilities,
    Actor,
    MonthFacts,
    Party,
    abilities,
    actor_of,
    facts_of_month,
)
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.lib.errors import NotAllowed

ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
READ_ERRORS = frozenset({401, 404, 422, 429})


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


@dataclass
class Month:
    """A month the token's user sees, and what they may do with it."""

    dossier: Dossier
    period: MonthPeriod
    certificate: Certificate | None  # None too while it is a draft the person may not see
    actor: Actor

    @cached_property
    def versions(self) -> list[CertificateVersion]:
        certificate = self.certificate
        return list(certificate.versions.order_by("number")) if certificate else []

    @cached_property
    def facts(self) -> MonthFacts:
        return facts_of_month(
            self.dossier, self.period, self.certificate, has_pdf=bool(self.versions)
        )

    @cached_property
    def can(self) -> Abilities:
        return abilities(self.actor, self.facts)

    def out(self) -> dict[str, Any]:
        return month_out(
            self.dossier,
            self.period,
            self.certificate,
            status=self.facts.status,
            can=self.can,
            versions=self.versions,
        )


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
    return Month(dossier, period, certificate, actor_of(request.user))


def stored_certificate(month: Month) -> Certificate:
    if month.certificate is None:
        raise not_found("Aucune heure n'a encore été saisie pour ce mois.")
    return month.certificate


def require_organisation(month: Month) -> None:
    """The organisation's own steps: others who see the dossier get 403, as on the screens."""
    if month.can.party != Party.ORGANISATION:
        raise NotAllowed("Seuls les membres de l'organisme de formation certifient.")


def require_member(month: Month) -> Certificate:
    """``require_organisation``, for a month whose hours are entered."""
    require_organisation(month)
    return stored_certificate(month)


def require_agent(request: HttpRequest) -> None:
    if not user_of(request).is_agent:
        raise forbidden("Réservé aux agents de Transitions Pro.")
