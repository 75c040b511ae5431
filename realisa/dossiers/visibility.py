"""Who sees what: the one place that turns a user into the rows they may see.

agent: everything; organisation members: their organisation's; beneficiary: their own;
employer: its employees'. Anyone else, or an inactive account: nothing. The full
« dossier de preuve » (logins, IP addresses, browsers) is narrower: the organisation's
members and the funder's agents only (``full_evidence_scope``). Each model's
``visible_to(user)`` calls one of these; no view filters by hand.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from realisa.choices import SHARED_STATUSES, Role

NOTHING = Q(pk__in=[])


def dossier_scope(user: Any, prefix: str = "") -> Q:
    """The dossiers ``user`` may see; ``prefix`` reaches them from a related model."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.AGENT:
        return Q()
    if user.role in (Role.OF_ADMIN, Role.OF_USER):
        return Q(**{f"{prefix}organisation_id": user.organisation_id})
    if user.role == Role.BENEFICIARY:
        return Q(**{f"{prefix}beneficiary__user_id": user.pk})
    if user.role == Role.EMPLOYER and user.employer_id:
        return Q(**{f"{prefix}employer_id": user.employer_id})
    return NOTHING


def _via_dossiers(user: Any, column: str, dossiers: QuerySet[Any]) -> Q:
    return Q(pk__in=dossiers.filter(dossier_scope(user)).values(column))


def beneficiary_scope(user: Any, dossiers: QuerySet[Any]) -> Q:
    """``dossiers`` is every dossier (the models pass it: this module is below them)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.AGENT:
        return Q()
    if user.role == Role.BENEFICIARY:
        return Q(user_id=user.pk)
    return _via_dossiers(user, "beneficiary_id", dossiers)


def employer_scope(user: Any, dossiers: QuerySet[Any]) -> Q:
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.AGENT:
        return Q()
    if user.role == Role.EMPLOYER:
        return Q(pk=user.employer_id) if user.employer_id else NOTHING
    return _via_dossiers(user, "employer_id", dossiers)


def shared_scope(user: Any, prefix: str = "") -> Q:
    """Certificates: the beneficiary and the employer see a month's certificate once it is
    certified; before, it is the organisation's draft. Others see what the dossier shows."""
    if getattr(user, "role", None) in (Role.BENEFICIARY, Role.EMPLOYER):
        return Q(**{f"{prefix}status__in": sorted(SHARED_STATUSES)})
    return Q()


def full_evidence_scope(user: Any, prefix: str = "") -> Q:
    """The dossiers whose full « dossier de preuve » ``user`` may read: the organisation's
    members and the funder's agents; never the beneficiary nor the employer, who read its
    shared part in the certificate."""
    if getattr(user, "role", None) not in (Role.AGENT, Role.OF_ADMIN, Role.OF_USER):
        return NOTHING
    return dossier_scope(user, prefix)
