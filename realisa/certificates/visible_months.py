"""A month of a dossier as the pages and the API load it, once: the dossier the person
sees, the month's period, its certificate as they may see it, and what they may do.

An outsider gets a 404 (the dossier might not exist); before its certification, the
beneficiary and the employer see no certificate: it is the organisation's draft
(``dossiers.visibility``). The pages turn the 404 into their page, the API into its
problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from realisa.accounts.models import User
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

MEMBERS_ONLY = "Seuls les membres de l'organisme de formation certifient."


@dataclass
class Month:
    """A month the person sees, and what they may do with it."""

    dossier: Dossier
    period: MonthPeriod
    certificate: Certificate | None  # None before any hours, and for a draft not theirs
    actor: Actor
    viewer: User | AnonymousUser

    @cached_property
    def versions(self) -> list[CertificateVersion]:
        """Its PDF versions, the first one first."""
        if self.certificate is None:
            return []
        versions = CertificateVersion.objects.visible_to(self.viewer)
        return list(versions.filter(certificate=self.certificate).order_by("number"))

    @property
    def version(self) -> CertificateVersion | None:
        """The latest PDF, the one that stands."""
        return self.versions[-1] if self.versions else None

    @cached_property
    def facts(self) -> MonthFacts:
        return facts_of_month(
            self.dossier, self.period, self.certificate, has_pdf=bool(self.versions)
        )

    @cached_property
    def can(self) -> Abilities:
        return abilities(self.actor, self.facts)


def visible_month(user: User | AnonymousUser, number: str, month: date) -> Month:
    """Dossier ``number``'s month of ``month``, as ``user`` sees it; 404 otherwise."""
    dossier = (
        Dossier.objects.visible_to(user)
        .select_related("organisation", "beneficiary", "employer")
        .filter(number=number)
        .first()
    )
    if dossier is None:
        raise Http404("Ce dossier n'existe pas ou ne vous est pas accessible.")
    period = find_period(dossier, month)
    if period is None:
        raise Http404("Ce mois ne fait pas partie de la formation.")
    certificate = (
        Certificate.objects.visible_to(user).filter(dossier=dossier, month=period.month).first()
    )
    return Month(dossier, period, certificate, actor_of(user), user)


def stored_certificate(month: Month) -> Certificate:
    """The month's certificate, for the steps that need its hours entered (404 before)."""
    if month.certificate is None:
        raise Http404("Aucune heure n'a encore été saisie pour ce mois.")
    return month.certificate


def require_organisation(month: Month) -> None:
    """The organisation's own steps: others who see the month get 403."""
    if month.can.party != Party.ORGANISATION:
        raise NotAllowed(MEMBERS_ONLY)


def organisation_certificate(month: Month) -> Certificate:
    """``require_organisation``, for a month whose hours are entered."""
    require_organisation(month)
    return stored_certificate(month)
