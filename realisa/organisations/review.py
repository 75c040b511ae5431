"""The funder's check of the certifier documents: the queue, « Conforme », « Non conforme »."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import ReviewStatus
from realisa.organisations.identity import REVIEW_FIELDS
from realisa.organisations.models import CertifierDocument, Organisation

PENDING = Q(certifier_documents__review_status=ReviewStatus.PENDING)


class ReviewError(Exception):
    """A check that may not be recorded; the message is shown to the agent as is."""


def review_queue(user: User) -> QuerySet[Organisation]:
    """Certifier organisations with a document waiting for the check, oldest upload first."""
    return (
        Organisation.objects.visible_to(user)
        .filter(PENDING, is_certifier=True)
        .annotate(waiting_since=Min("certifier_documents__uploaded_at", filter=PENDING))
        .order_by("waiting_since", "name")
    )


@transaction.atomic
def review_document(
    agent: User,
    document_id: int,
    *,
    compliant: bool,
    reason: str = "",
    seen_file: str,
    request: HttpRequest | None = None,
) -> CertifierDocument:
    """Record the agent's check; the organisation's admins are told by e-mail."""
    if not (agent.is_active and agent.is_agent):
        raise ReviewError("Seul un agent de votre Transitions Pro contrôle les justificatifs.")
    document = (
        CertifierDocument.objects.select_for_update()
        .select_related("organisation")
        .get(pk=document_id)
    )
    if document.file.name != seen_file:
        raise ReviewError(
            "Ce document a été remplacé entre-temps par l'organisme : "
            "contrôlez la nouvelle version."
        )
    reason = reason.strip()
    if not compliant and not reason:
        raise ReviewError("Indiquez le motif du refus : l'organisme le recevra par e-mail.")
    document.review_status = ReviewStatus.COMPLIANT if compliant else ReviewStatus.NON_COMPLIANT
    document.reviewed_at = timezone.now()
    document.reviewed_by = agent
    document.refusal_reason = "" if compliant else reason
    document.save(update_fields=REVIEW_FIELDS)
    record(
        EventType.DOCUMENT_COMPLIANT if compliant else EventType.DOCUMENT_NON_COMPLIANT,
        actor=agent,
        obj=document,
        payload={"kind": document.kind, "file": document.file.name, "reason": reason},
        request=request,
    )
    return document
