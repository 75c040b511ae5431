"""Sending one queued e-mail: the e-mail outbox on the shared claim and backoff
(realisa.lib.outbox). A mail server that is down delays an e-mail, never loses it: the
row stays pending and is tried again, without end, until the server takes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from realisa.lib.outbox import Failed, Outbox
from realisa.notifications.models import OutboxEmail


def _send(email: OutboxEmail) -> dict[str, Any]:
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, email.to
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:  # any failure of the mail server: try again later
        raise Failed(f"{type(error).__name__}: {error}") from error
    return {}


OUTBOX = Outbox(OutboxEmail, send=_send, done=OutboxEmail.Status.SENT, done_at="sent_at")


def deliver(email_id: int) -> bool:
    """Send one queued e-mail if it is still pending; True when it was sent now."""
    return OUTBOX.deliver(email_id)


def send_due(now: datetime | None = None) -> int:
    """Send every pending e-mail whose time has come; return how many were sent."""
    return OUTBOX.send_due(now)
