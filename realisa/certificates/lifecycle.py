"""The life of a month's certificate, in one place.

``TABLE`` says, for each event, the statuses it may start from and the status it leads
to. ``apply`` is the one function that writes ``Certificate.status``: it reads the
month's status as people see it (``months.month_status``, the payment lock included),
checks it against the table, writes the new status with the fields of that step, and
records the audit event; the e-mails and webhooks follow from that event
(``audit.events``). ``locked`` is the one row lock every step takes first.

The steps (``entry``, ``certification``, ``online``, ``validation``, ``reopening``,
``funder.transmission``) keep only their own input checks, then call ``apply``; those
that change the PDF store its new version in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period, refusal_message
from realisa.certificates.status import Break, PaidPeriod, is_locked, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.lib.errors import Conflict

S = MonthStatus


class Event(models.TextChoices):
    """What can happen to a month."""

    ENTERED = "entered", "Saisie des heures"
    CERTIFIED_PAPER = "certified_paper", "Certification 1 (papier)"
    CERTIFIED_ONLINE = "certified_online", "Certification 2 (en ligne)"
    VALIDATED = "validated", "Validation par le bénéficiaire"
    CONTESTED = "contested", "Contestation par le bénéficiaire"
    VALIDATED_WITHOUT_ANSWER = "validated_without_answer", "Validation sans réponse du bénéficiaire"
    VALIDATED_BY_AGENT = "validated_by_agent", "Validation par le financeur"
    REOPENED = "reopened", "Réouverture par le financeur"
    TRANSMITTED = "transmitted", "Transmission au financeur"
    TRANSMISSION_CANCELLED = "transmission_cancelled", "Annulation d'une transmission"


@dataclass(frozen=True)
class Transition:
    """From ``sources`` to ``target``, recorded as ``audit``. A ``target`` of None leads
    back to the status the month had before (one of ``returns_to``, named by the caller)."""

    sources: frozenset[MonthStatus]
    target: MonthStatus | None
    audit: EventType
    unless_paid: bool = False  # refused while a payment (not an advance) covers the month
    returns_to: frozenset[MonthStatus] = field(default_factory=frozenset)


TABLE: dict[Event, Transition] = {
    # A payment locks the entry, not the certification (``status``'s docstring).
    Event.ENTERED: Transition(
        frozenset({S.AWAITING_ENTRY, S.ENTERED, S.CONTESTED}),
        S.ENTERED,
        EventType.HOURS_ENTERED,
        unless_paid=True,
    ),
    Event.CERTIFIED_PAPER: Transition(frozenset({S.ENTERED}), S.CERTIFIED, EventType.CERTIFIED),
    Event.CERTIFIED_ONLINE: Transition(frozenset({S.ENTERED}), S.CERTIFIED, EventType.CERTIFIED),
    Event.VALIDATED: Transition(frozenset({S.CERTIFIED}), S.VALIDATED, EventType.VALIDATED),
    Event.CONTESTED: Transition(frozenset({S.CERTIFIED}), S.CONTESTED, EventType.CONTESTED),
    # The answer's deadline passed (``certificates.answer``), or an agent validated instead.
    Event.VALIDATED_WITHOUT_ANSWER: Transition(
        frozenset({S.CERTIFIED}), S.VALIDATED, EventType.VALIDATED_WITHOUT_ANSWER
    ),
    Event.VALIDATED_BY_AGENT: Transition(
        frozenset({S.CERTIFIED}), S.VALIDATED, EventType.VALIDATED_BY_AGENT
    ),
    # A transmitted month too: its next transmission corrects it (``funder.corrections``).
    Event.REOPENED: Transition(
        frozenset({S.CERTIFIED, S.VALIDATED, S.TRANSMITTED}),
        S.ENTERED,
        EventType.REOPENED,
        unless_paid=True,
    ),
    Event.TRANSMITTED: Transition(
        frozenset({S.CERTIFIED, S.VALIDATED}), S.TRANSMITTED, EventType.TRANSMITTED
    ),
    Event.TRANSMISSION_CANCELLED: Transition(
        frozenset({S.TRANSMITTED}),
        None,
        EventType.TRANSMISSION_CANCELLED,
        returns_to=frozenset({S.CERTIFIED, S.VALIDATED}),
    ),
}


NOT_AWAITED = "Ce certificat n'attend pas votre validation."


class NotNow(Conflict):
    """The month's status does not allow this event; ``status`` is the one people see."""

    def __init__(self, message: str, status: MonthStatus | None = None) -> None:
        super().__init__(message)
        self.status = status


class AlreadyDone(NotNow):
    """Someone did it a moment ago (certified, answered): nothing went wrong."""


@dataclass(frozen=True)
class MonthState:
    """The month's status as people see it, and whether a payment covers it."""

    period: MonthPeriod
    status: MonthStatus
    paid: bool


def paid_periods(dossier: Dossier) -> list[PaidPeriod]:
    return [PaidPeriod(p.period_start, p.period_end, p.is_advance) for p in dossier.payments.all()]


def breaks_of(dossier: Dossier) -> list[Break]:
    """The dossier's interruptions, as ``month_status`` reads them."""
    return [Break(i.start, i.end) for i in dossier.interruptions.all()]


def state_of(certificate: Certificate, today: date | None = None) -> MonthState:
    """The computed status of ``certificate``'s month; a new, unsaved one has no stored status."""
    period = find_period(certificate.dossier, certificate.month)
    if period is None:  # the training's dates changed under the month
        raise NotNow("Ce mois ne fait plus partie de la formation.")
    payments = paid_periods(certificate.dossier)
    stored = certificate.status if certificate.pk else None
    today = today or timezone.localdate()
    status = month_status(
        period,
        today=today,
        payments=payments,
        stored=stored,
        breaks=breaks_of(certificate.dossier),
    )
    return MonthState(period, status, is_locked(period, payments))


def permits(event: Event, status: MonthStatus, paid: bool) -> bool:
    """The table lets ``event`` start from ``status`` (``paid``: a payment covers the month)."""
    transition = TABLE[event]
    return status in transition.sources and not (transition.unless_paid and paid)


def refusal(event: Event, state: MonthState) -> NotNow | None:
    """Why ``event`` cannot happen to a month in ``state``, in French; None when it can."""
    if permits(event, state.status, state.paid):
        return None
    return _refusal_text(event, state)


def _refusal_text(event: Event, state: MonthState) -> NotNow:
    status = state.status
    if event == Event.ENTERED:
        if state.paid and status in TABLE[event].sources:
            return NotNow(str(S.LOCKED.label), status)
        return NotNow(refusal_message(status, state.period), status)
    if event in (Event.CERTIFIED_PAPER, Event.CERTIFIED_ONLINE):
        if status in (S.CERTIFIED, S.VALIDATED, S.TRANSMITTED):
            return AlreadyDone("Ce certificat de réalisation est déjà certifié.", status)
        return NotNow(
            f"Ce certificat ne peut pas être modifié ni certifié (statut : « {status.label} »).",
            status,
        )
    if event in (Event.VALIDATED, Event.CONTESTED):
        return _answer_refusal(status)
    if event in (Event.VALIDATED_WITHOUT_ANSWER, Event.VALIDATED_BY_AGENT):
        if status in (S.VALIDATED, S.TRANSMITTED):
            return AlreadyDone("Les heures de ce mois sont déjà validées.", status)
        return NotNow(
            f"Ce mois n'attend pas la validation du bénéficiaire (statut : « {status.label} »).",
            status,
        )
    if event == Event.REOPENED:
        return _reopening_refusal(state)
    return NotNow(f"Ce mois ne peut pas changer ainsi (statut : « {status.label} »).", status)


def _answer_refusal(status: MonthStatus) -> NotNow:
    if status == S.VALIDATED:
        return AlreadyDone("Vous avez déjà validé les heures de ce mois.", status)
    if status == S.CONTESTED:
        return AlreadyDone("Vous avez déjà contesté les heures de ce mois.", status)
    return NotNow(NOT_AWAITED, status)


def _reopening_refusal(state: MonthState) -> NotNow:
    if state.status in TABLE[Event.REOPENED].sources:
        return NotNow(
            "Ce mois ne peut pas être rouvert : des règlements ont été faits dans la période.",
            state.status,
        )
    return NotNow(
        "Seul un mois certifié, validé ou transmis peut être rouvert "
        f"(statut : « {state.status.label} »).",
        state.status,
    )


def check(certificate: Certificate, event: Event, today: date | None = None) -> MonthState:
    """Raise ``NotNow`` unless ``event`` may happen to the month now; its state otherwise."""
    state = state_of(certificate, today)
    problem = refusal(event, state)
    if problem is not None:
        raise problem
    return state


def apply(
    certificate: Certificate,
    event: Event,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    changes: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    back_to: MonthStatus | None = None,
    today: date | None = None,
) -> AuditEvent:
    """Move the (locked) month through ``event``: check, write the status and ``changes``,
    count a new ``version``, record the audit event. A new month's row is created here."""
    check(certificate, event, today)
    certificate.status = _target(event, back_to)
    for name, value in (changes or {}).items():
        setattr(certificate, name, value)
    certificate.version += 1
    if certificate.pk is None:
        certificate.save()
    else:
        certificate.save(update_fields=["status", "version", *(changes or {})])
    return record(
        TABLE[event].audit,
        actor=actor,
        obj=certificate,
        payload=payload or {},
        request=request,
    )


def _target(event: Event, back_to: MonthStatus | None) -> MonthStatus:
    transition = TABLE[event]
    if transition.target is not None:
        return transition.target
    if back_to not in transition.returns_to:
        raise ValueError(f"{event} leads back to one of {sorted(transition.returns_to)}")
    return back_to


def _with_parties(rows: models.QuerySet[Certificate]) -> models.QuerySet[Certificate]:
    """Locked, with the dossier's parties and its payments: a step's checks (``check``,
    then ``apply``, ``abilities_of``) read the payments again without a query."""
    rows = rows.select_for_update(of=("self",)).select_related(
        "dossier__organisation", "dossier__beneficiary__user", "dossier__employer"
    )
    return rows.prefetch_related("dossier__payments")


def locked(certificate: Certificate) -> Certificate:
    """The month's row, locked until the transaction ends, with its dossier and parties."""
    return _with_parties(Certificate.objects.filter(pk=certificate.pk)).get()


def locked_many(ids: Iterable[int]) -> list[Certificate]:
    """Several months locked at once, always in the same order (no deadlock between two)."""
    rows = _with_parties(Certificate.objects.filter(pk__in=list(ids)))
    return list(rows.order_by("dossier__organisation__name", "dossier__number", "month", "pk"))


def locked_for_entry(dossier: Dossier, month: date) -> Certificate:
    """The month to enter hours into: its locked row, or a new one not saved yet.

    The dossier's row lock comes first: it serialises the entries of its months, the
    creation of a month's row included (SQLite's IMMEDIATE transactions do it there)."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    existing = _with_parties(Certificate.objects.filter(dossier=dossier, month=month)).first()
    return existing or Certificate(dossier=dossier, month=month, version=0)
