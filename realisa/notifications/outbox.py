"""The transactional outbox: queue e-mails with the change they report, send them after.

``enqueue`` writes the row in the caller's transaction and asks for delivery once it
commits. ``deliver`` claims one row with a conditional UPDATE (so two workers never
send the same e-mail), sends it, and marks it sent — or, if the server fails, puts it
back with the next attempt later (1, 2, 4… minutes, at most an hour). ``send_due``
sends whatever is due; Celery beat runs it every minute, ``manage.py send_outbox`` by hand.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from realisa.notifications.models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=10)


def enqueue(kind: str, to: list[str], subject: str, text: str, html: str = "") -> OutboxEmail:
    email = OutboxEmail.objects.create(
        kind=kind, to=to, subject=subject, body_text=text, body_html=html
    )
    transaction.on_commit(lambda: _schedule(email.pk))
    return email


def _schedule(email_id: int) -> None:
    from realisa.notifications.tasks import deliver_email

    try:
        deliver_email.delay(email_id)
    except Exception:  # the broker is down: the beat (or send_outbox) will catch up
        logger.exception("could not schedule e-mail %s", email_id)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(email_id: int) -> bool:
    """Send one queued e-mail if it is still pending; True when it was sent now."""
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.PENDING).update(
        status=OutboxEmail.Status.SENDING, claimed_at=now
    )
    if not claimed:
        return False
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, email.to
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:  # any failure of the mail server: try again later
        attempts = email.attempts + 1
        OutboxEmail.objects.filter(pk=email_id).update(
            status=OutboxEmail.Status.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + backoff(attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("e-mail %s not sent (attempt %s): %s", email_id, attempts, error)
        return False
    OutboxEmail.objects.filter(pk=email_id).update(
        status=OutboxEmail.Status.SENT,
        attempts=email.attempts + 1,
        sent_at=timezone.now(),
        last_error="",
    )
    return True


def send_due(now: datetime | None = None) -> int:
    """Send every pending e-mail whose time has come; return how many were sent."""
    now = now or timezone.now()
    OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutboxEmail.Status.PENDING)
    due = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now
    ).order_by("id")
    return sum(deliver(pk) for pk in due.values_list("pk", flat=True))
