"""For the funder's payment system: the feed of certified and validated months, the
transmissions and their files, payments and advances. Agents only."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field as F
from ninja import Query, Router, Schema, Status
from ninja.params import functions as param_functions

from realisa.api.endpoints.common import (
    ERRORS,
    READ_ERRORS,
    not_found,
    require_agent,
    require_at_most,
    responses,
    user_of,
    visible_dossier,
)
from realisa.api.endpoints.dossiers import IdPath, NumberPath
from realisa.api.problems import ApiProblem
from realisa.api.schemas import (
    FeedPage,
    PaymentIn,
    PaymentOut,
    PaymentRowIn,
    PaymentsIn,
    PaymentsResult,
    Problem,
    TransmissionIn,
    TransmissionOut,
)
from realisa.api.serializers import certificate_out
from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.certificates.abilities import actor_of
from realisa.certificates.models import Certificate
from realisa.funder.corrections import line_facts
from realisa.funder.models import Transmission, TransmissionLine
from realisa.funder.payment_batch import MAX_ROWS, PaymentRow, RowResult, upsert_payments
from realisa.funder.payment_effects import warnings
from realisa.funder.payments import (
    Outcome,
    PaymentData,
    PaymentRefused,
    payment_summary,
    record_payment,
    upsert_payment,
)
from realisa.funder.transmission import (
    TransmissionRefused,
    create_transmission,
    taken_file,
)

router = Router(tags=["Financeur"])

# The transitions a payment system polls for. Their audit events are the cursor: the chain's
# head row is locked until each change commits, so event ids grow in commit order and a
# poller that resumes after the last id it saw misses nothing, twice nothing.
FEED_ACTIONS = (
    EventType.CERTIFIED,
    EventType.VALIDATED,
    EventType.VALIDATED_WITHOUT_ANSWER,
    EventType.VALIDATED_BY_AGENT,
)
CERTIFICATE_LABEL = "certificates.certificate"


class FeedQuery(Schema):
    after: int = F(
        0, ge=0, le=2**62, description="Le « next_cursor » du dernier appel (0 au début)."
    )
    limit: int = F(100, ge=1, le=500)


@router.get("/months", response=responses(FeedPage, errors=READ_ERRORS | {403}), url_name="feed")
def certified_months(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    """Certified and validated months since a cursor, oldest first: one item per event,
    with the month as it stands now (it may have moved on since, e.g. to « Transmis »)."""
    require_agent(request)
    events = list(
        AuditEvent.objects.filter(
            pk__gt=query.after, action__in=FEED_ACTIONS, object_type=CERTIFICATE_LABEL
        )
        .order_by("pk")
        .values_list("pk", "action", "created_at", "object_id")[: query.limit + 1]
    )
    has_more = len(events) > query.limit
    events = events[: query.limit]
    certificates = (
        Certificate.objects.select_related("dossier__organisation", "dossier__beneficiary")
        .prefetch_related("dossier__payments")
        .in_bulk([int(e[3]) for e in events])
    )
    actor = actor_of(request.user)
    items = [
        {
            "cursor": pk,
            "event": action,
            "occurred_at": at,
            "month": certificate_out(
                certificates[int(object_id)],
                actor=actor,
                visible_versions=certificates[int(object_id)].versions.order_by("number"),
            ),
        }
        for pk, action, at, object_id in events
        if int(object_id) in certificates
    ]
    return {
        "items": items,
        "next_cursor": events[-1][0] if events else query.after,
        "has_more": has_more,
    }


def line_out(line: TransmissionLine) -> dict[str, Any]:
    return {
        "certificate_id": line.certificate_id,
        "dossier": line.certificate.dossier.number,
        "month": f"{line.certificate.month:%Y-%m}",
        "centre_minutes": line.centre_minutes,
        "internship_minutes": line.internship_minutes,
        "absence_minutes": line.absence_minutes,
        **line_facts(line),
    }


def transmission_out(transmission: Transmission) -> dict[str, Any]:
    lines = list(transmission.lines.all())
    return {
        "id": transmission.pk,
        "created_at": transmission.created_at,
        "line_count": transmission.line_count,
        "csv_sha256": transmission.csv_sha256,
        "json_sha256": transmission.json_sha256,
        "certificate_ids": sorted(line.certificate_id for line in lines),
        "cancelled_at": getattr(getattr(transmission, "cancellation", None), "cancelled_at", None),
        "lines": [line_out(line) for line in lines],
    }


def with_lines() -> QuerySet[Transmission]:
    """The batches with what ``transmission_out`` reads: their lines in one query."""
    lines = TransmissionLine.objects.select_related("certificate__dossier", "corrects")
    return Transmission.objects.select_related("cancellation").prefetch_related(
        Prefetch("lines", lines)
    )


@router.get(
    "/transmissions",
    response=responses(list[TransmissionOut], errors=READ_ERRORS | {403}),
    url_name="transmissions",
)
def list_transmissions(request: HttpRequest) -> list[dict[str, Any]]:
    require_agent(request)
    return [transmission_out(t) for t in with_lines()[:200]]


@router.post(
    "/transmissions",
    response={200: TransmissionOut, 201: TransmissionOut, ERRORS: Problem},
    url_name="transmission_create",
)
def new_transmission(request: HttpRequest, body: TransmissionIn) -> Status[dict[str, Any]]:
    """Transmit these months in one batch. The same selection again gives back the first
    batch (200) instead of a second one (201)."""
    require_agent(request)
    try:
        transmission, created = create_transmission(
            body.certificate_ids, actor=user_of(request), request=request
        )
    except TransmissionRefused as error:
        raise ApiProblem(409, "transmission-refusee", error.message) from error
    return Status(201 if created else 200, transmission_out(with_lines().get(pk=transmission.pk)))


FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "Le fichier de la transmission, tel qu'il a été écrit.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {}},
            },
        }
    }
}


@router.get(
    "/transmissions/{transmission_id}/{kind}",
    response={READ_ERRORS | {403}: Problem},
    url_name="transmission_file",
    openapi_extra=FILE_RESPONSE,
)
def transmission_file(
    request: HttpRequest,
    transmission_id: IdPath,
    kind: Annotated[str, param_functions.Path(..., pattern="^(csv|json)$")],
) -> HttpResponse:
    require_agent(request)
    transmission = Transmission.objects.filter(pk=transmission_id).first()
    if transmission is None:
        raise not_found("Cette transmission n'existe pas.")
    # Fetched: the payment system may hold it now, and the batch is final.
    return taken_file(transmission, kind, via="api", actor=user_of(request))


def payment_out(payment: Any, summary: str = "", notes: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "dossier": payment.dossier.number,
        "period_start": payment.period_start,
        "period_end": payment.period_end,
        "amount": payment.amount,
        "paid_on": payment.paid_on,
        "is_advance": payment.is_advance,
        "reference": payment.external_reference,
        "summary": summary,
        "warnings": notes or [],
    }


def payment_data(body: PaymentIn) -> PaymentData:
    return PaymentData(
        period_start=body.period_start,
        period_end=body.period_end,
        amount=body.amount,
        paid_on=body.paid_on,
        is_advance=body.is_advance,
    )


@router.get(
    "/dossiers/{number}/payments",
    response=responses(list[PaymentOut], errors=READ_ERRORS | {403}),
    url_name="payments",
)
def list_payments(request: HttpRequest, number: NumberPath) -> list[dict[str, Any]]:
    require_agent(request)
    dossier = visible_dossier(request, number)
    return [payment_out(p) for p in dossier.payments.order_by("period_start", "pk")]


@router.post(
    "/dossiers/{number}/payments",
    response={200: PaymentOut, 201: PaymentOut, ERRORS: Problem},
    url_name="payment_create",
)
def new_payment(
    request: HttpRequest, body: PaymentIn, number: NumberPath
) -> Status[dict[str, Any]]:
    """Record a payment (it locks the entry of the months it covers) or an advance (it does
    not), with the back-office's rules and messages. With a « reference », the payment
    that already carries it is corrected or left as it is (200) instead of a second one."""
    require_agent(request)
    dossier = visible_dossier(request, number)
    actor, data = user_of(request), payment_data(body)
    outcome: Outcome = "created"
    try:
        if body.reference:
            payment, outcome = upsert_payment(
                dossier, data, body.reference, actor=actor, request=request
            )
        else:
            payment = record_payment(dossier, data, actor=actor, request=request)
    except PaymentRefused as error:
        raise ApiProblem(422, "reglement-refuse", error.message) from error
    summary = payment_summary(dossier, payment, outcome)
    notes = [] if outcome == "unchanged" else warnings(dossier, data, payment)
    return Status(201 if outcome == "created" else 200, payment_out(payment, summary, notes))


def row_of(body: PaymentRowIn) -> PaymentRow:
    return PaymentRow(number=body.dossier, reference=body.reference, data=payment_data(body))


def result_out(result: RowResult) -> dict[str, Any]:
    payment, outcome = result.payment, result.outcome
    out = None
    if payment is not None and outcome != "refused":
        summary = payment_summary(payment.dossier, payment, outcome)
        out = payment_out(payment, summary, result.warnings)
    return {
        "reference": result.row.reference,
        "dossier": result.row.number,
        "outcome": outcome,
        "errors": result.errors,
        "warnings": result.warnings,
        "payment": out,
    }


PUT_PAYMENTS = (
    "Les règlements du système de paiement, chacun retrouvé par sa référence : enregistré "
    "(« created »), corrigé (« updated ») ou laissé tel quel (« unchanged ») ; le même appel "
    "répété ne change rien. Chaque règlement est traité seul : un règlement refusé "
    "(« refused », avec ses raisons) n'empêche pas les autres, et la réponse est 200. Un "
    "règlement absent de l'appel n'est ni modifié ni supprimé."
)


@router.put(
    "/payments",
    response=responses(PaymentsResult, errors=ERRORS - {404, 409}),
    url_name="payments_put",
    summary="Enregistrer ou corriger des règlements par leur référence",
    description=PUT_PAYMENTS,
)
def put_payments(request: HttpRequest, body: PaymentsIn) -> dict[str, Any]:
    require_agent(request)
    require_at_most(body.payments, MAX_ROWS, "reglements", "règlement envoyé")
    rows = [row_of(payment) for payment in body.payments]
    results = upsert_payments(rows, actor=user_of(request), request=request)
    return {"results": [result_out(result) for result in results]}
