"""Which e-mail follows which audit event: the only caller of ``emails``' functions.

Each handler runs in the transaction of the event it follows (``audit.events``), so the
e-mail is in the outbox exactly when the change it reports has committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import models

from realisa.accounts.models import User
from realisa.audit.events import EventType, subscribe
from realisa.audit.models import AuditEvent
from realisa.certificates.models import (
    BeneficiaryResponse,
    Certificate,
    CertificationBatch,
    OneTimeCode,
    OnlineSuspension,
)
from realisa.choices import CertificationMethod
from realisa.dossiers.models import Dossier
from realisa.notifications import emails
from realisa.organisations.models import CertifierDocument, Organisation


def _certificate(obj: models.Model | None) -> Certificate:
    assert isinstance(obj, Certificate)  # noqa: S101 - the lifecycle records its month
    return obj


@subscribe(EventType.CERTIFIED)
def certified(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    """Paper: the parties are told the certificate is available. Online: the beneficiary
    is asked to validate, the employer and the funder are told."""
    certificate = _certificate(obj)
    if certificate.certification_method == CertificationMethod.ONLINE:
        emails.validation_requested(certificate)
        # a month of a batch: the funder gets the batch's one digest instead (below)
        emails.certified_online(certificate, tell_funder="batch" not in event.payload)
    else:
        emails.certificate_available(certificate)


@subscribe(EventType.BATCH_CERTIFIED)
def batch_certified(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    """« Certifier en lot »: the funder's one digest for the batch."""
    assert isinstance(obj, CertificationBatch)  # noqa: S101 - the batch records itself
    emails.batch_certified(obj)


@subscribe(EventType.VALIDATED)
def validated(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    emails.hours_validated(_certificate(obj))


@subscribe(EventType.ANSWER_REMINDED)
def answer_reminded(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    emails.answer_reminder(_certificate(obj), date.fromisoformat(event.payload["deadline"]))


@subscribe(EventType.VALIDATED_WITHOUT_ANSWER, EventType.VALIDATED_BY_AGENT)
def validated_instead(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    """Validated without the beneficiary's answer: the organisation, the beneficiary and
    the funder are told how (past the deadline, or by an agent with a reason)."""
    emails.validated_instead(_certificate(obj))


@subscribe(EventType.CONTESTED)
def contested(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    response = BeneficiaryResponse.objects.get(pk=event.payload["response"])
    emails.hours_contested(_certificate(obj), response)


@subscribe(EventType.REOPENED)
def reopened(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    emails.certificate_reopened(
        _certificate(obj),
        reason=event.payload["reason"],
        tell_beneficiary=bool(event.payload.get("tell_beneficiary")),
    )


@subscribe(
    EventType.DOSSIER_ENDED_EARLY, EventType.DOSSIER_INTERRUPTED, EventType.INTERRUPTION_REMOVED
)
def dossier_life(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    """An early end or an interruption: the dossier's parties are told, with the reason."""
    assert isinstance(obj, Dossier)  # noqa: S101
    payload = event.payload
    if event.action == EventType.DOSSIER_ENDED_EARLY:
        on = date.fromisoformat(payload["ended_on"])
        subject = "fin anticipée de la formation"
        what = f"La formation s'arrête avant sa fin prévue : son dernier jour est le {on:%d/%m/%Y}."
    else:
        start, end = date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"])
        period = f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
        if event.action == EventType.DOSSIER_INTERRUPTED:
            subject = "interruption de la formation"
            what = f"La formation est interrompue {period}, puis reprend."
        else:
            subject = "interruption retirée"
            what = (
                f"L'interruption de la formation {period} est retirée : "
                "ses mois sont de nouveau ouverts à la saisie."
            )
    emails.dossier_life(obj, subject=subject, what=what, reason=payload["reason"])


@subscribe(EventType.CODE_SENT)
def code_sent(event: AuditEvent, obj: models.Model | None, unrecorded: Mapping[str, Any]) -> None:
    """The plain code reaches the e-mail only: the journal keeps the code's row id."""
    code = OneTimeCode.objects.select_related("certificate__dossier", "batch").get(
        pk=event.payload["code"]
    )
    send = emails.batch_code if code.batch is not None else emails.online_code
    send(code, unrecorded["code"])


@subscribe(EventType.SUSPENDED)
def suspended(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    assert isinstance(obj, OnlineSuspension)  # noqa: S101
    emails.online_suspended(obj)


@subscribe(EventType.ACCOUNT_CREATED, EventType.INVITATION_RESENT)
def account_created(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    """An account created without a password (a member, or a person of an imported
    dossier) gets the link to choose one; again when an agent resends the invitation."""
    if isinstance(obj, User) and not obj.has_usable_password():
        emails.account_created(obj)


@subscribe(EventType.PASSWORD_RESET_REQUESTED)
def password_reset(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    assert isinstance(obj, User)  # noqa: S101
    emails.password_reset(obj)


@subscribe(EventType.DOCUMENT_COMPLIANT, EventType.DOCUMENT_NON_COMPLIANT)
def document_reviewed(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    assert isinstance(obj, CertifierDocument)  # noqa: S101
    emails.document_reviewed(obj)


@subscribe(EventType.ORGANISATION_REMINDED)
def reminded(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    assert isinstance(obj, Organisation)  # noqa: S101
    emails.reminder_digest(obj, event.payload["lines"])
