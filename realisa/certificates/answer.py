"""The beneficiary's answer does not block a month certified online forever.

A month certified online (« Certifié », certification 2) waits for the beneficiary's
« Valider les heures » or « Contester » (``validation``). ``close_unanswered_months``, run
by Celery beat every hour or by the ``close_unanswered_months`` command from cron:

- reminds the beneficiary once, ``ANSWER_REMINDER_DAYS`` (calendar) days after the
  certification (``answer_reminded_at``; the e-mail follows the ``ANSWER_REMINDED`` event);
- from the deadline on, validates the month « sans réponse du bénéficiaire »
  (``Event.VALIDATED_WITHOUT_ANSWER``, ``validation_kind`` NO_ANSWER) and seals its final
  version, which says so. The beneficiary answers *before* ``answer_deadline``: the day
  after ``ANSWER_DEADLINE_DAYS`` French working days (public holidays excluded) counted
  from the day of the certification, as EDOF validates a service after 5 working days.

A contested month is no longer « Certifié »: it stays open, never validated here. Each
month is decided under its row lock (``lifecycle.locked``) and checked again there, so two
runs at once (beat and cron) remind once and validate once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates import lifecycle
from realisa.certificates.lifecycle import Event, NotNow
from realisa.certificates.models import Certificate
from realisa.certificates.validation import final_version
from realisa.choices import CertificationMethod, MonthStatus, ValidationKind
from realisa.documents.evidence import moment
from realisa.lib.french import french_date
from realisa.lib.working_days import add_working_days

logger = logging.getLogger(__name__)


def answer_deadline(certified_at: datetime) -> date:
    """The day before which the beneficiary answers; from its midnight (Paris), the month
    is validated without an answer."""
    certified_on = timezone.localdate(certified_at)
    return add_working_days(certified_on, settings.ANSWER_DEADLINE_DAYS) + timedelta(days=1)


def deadline_words(day: date) -> str:
    """« samedi 11 avril 2026 »: the deadline as pages and e-mails print it, after
    « Sans réponse de votre part avant le »."""
    return french_date(day, weekday=True)


def deadline_of(certified_at: datetime | None) -> str:
    """The deadline in words for a month certified at ``certified_at``; "" before that."""
    return deadline_words(answer_deadline(certified_at)) if certified_at else ""


def deadline_passed(certified_at: datetime, now: datetime) -> bool:
    start = datetime.combine(answer_deadline(certified_at), time.min)
    return now >= timezone.make_aware(start)


def reminder_due(certificate: Certificate, now: datetime) -> bool:
    """Not reminded since this certification, and the reminder's days have gone by."""
    certified_at = certificate.certified_at
    assert certified_at is not None  # noqa: S101 - ``awaiting`` rows are certified
    reminded = certificate.answer_reminded_at
    if reminded is not None and reminded >= certified_at:
        return False
    return now >= certified_at + timedelta(days=settings.ANSWER_REMINDER_DAYS)


def awaiting() -> models.QuerySet[Certificate]:
    """The months certified online whose beneficiary has not answered."""
    return Certificate.objects.filter(
        status=MonthStatus.CERTIFIED,
        certification_method=CertificationMethod.ONLINE,
        certified_at__isnull=False,
    )


def awaits_answer(certificate: Certificate) -> bool:
    return (
        certificate.status == MonthStatus.CERTIFIED
        and certificate.certification_method == CertificationMethod.ONLINE
        and certificate.certified_at is not None
    )


@dataclass(frozen=True)
class Sweep:
    """What one run did: beneficiaries reminded, months validated without an answer."""

    reminded: int
    validated: int


def close_unanswered_months(now: datetime | None = None) -> Sweep:
    """Remind, then validate past the deadline, every month still awaiting its answer."""
    now = now or timezone.now()
    reminded = validated = 0
    for certificate in awaiting().only("pk", "certified_at", "answer_reminded_at"):
        assert certificate.certified_at is not None  # noqa: S101 - filtered above
        try:
            if deadline_passed(certificate.certified_at, now):
                validated += validate_without_answer(certificate, now)
            elif reminder_due(certificate, now):
                reminded += remind(certificate, now)
        except Exception:  # one month that fails (its seal) must not hold the others back
            logger.exception("Mois %s : réponse du bénéficiaire non traitée", certificate.pk)
    return Sweep(reminded, validated)


def remind(certificate: Certificate, now: datetime) -> bool:
    """Remind the beneficiary once (True when this run did); checked again under the lock."""
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        if not awaits_answer(locked) or not reminder_due(locked, now):
            return False
        assert locked.certified_at is not None  # noqa: S101 - awaits_answer
        locked.answer_reminded_at = now
        locked.save(update_fields=["answer_reminded_at"])
        deadline = answer_deadline(locked.certified_at)
        record(EventType.ANSWER_REMINDED, obj=locked, payload={"deadline": deadline.isoformat()})
    return True


def validate_without_answer(certificate: Certificate, now: datetime) -> bool:
    """Validate the month « sans réponse du bénéficiaire » and seal its final version
    (True when this run did); checked again under the lock."""
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        if not awaits_answer(locked):
            return False
        assert locked.certified_at is not None  # noqa: S101 - awaits_answer
        if not deadline_passed(locked.certified_at, now):
            return False
        deadline = answer_deadline(locked.certified_at)
        facts = {
            "reponse_attendue_avant_le": deadline.isoformat(),
            "relance_envoyee_le": moment(locked.answer_reminded_at),
        }
        try:
            lifecycle.apply(
                locked,
                Event.VALIDATED_WITHOUT_ANSWER,
                actor=None,
                changes={
                    "validated_at": now,
                    "validation_kind": ValidationKind.NO_ANSWER,
                    "validated_by": None,
                },
                payload={"deadline": deadline.isoformat()},
                today=timezone.localdate(now),
            )
        except NotNow as refused:  # the training's dates left the month out
            logger.warning("Mois %s non validé sans réponse : %s", locked.pk, refused.message)
            return False
        final_version(locked, None, None, **facts)
    return True
