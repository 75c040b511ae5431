"""The e-mail outbox: queue e-mails with the change they report, send them after.

``enqueue`` writes the row in the caller's transaction and asks for its delivery once it
commits. Sending (``deliver``, ``send_due``: claim, retries with backoff) is the shared
outbox of ``realisa.lib.outbox``, set up for e-mails in ``sending.py``; Celery beat runs
``send_due`` every minute, ``manage.py send_outbox`` by hand.
"""

from __future__ import annotations

from realisa.lib.outbox import backoff, deliver_after_commit
from realisa.notifications.models import OutboxEmail
from realisa.notifications.sending import deliver, send_due
from realisa.notifications.tasks import deliver_email

__all__ = ["backoff", "deliver", "enqueue", "send_due"]


def enqueue(kind: str, to: list[str], subject: str, text: str, html: str = "") -> OutboxEmail:
    email = OutboxEmail.objects.create(
        kind=kind, to=to, subject=subject, body_text=text, body_html=html
    )
    deliver_after_commit(deliver_email, email.pk)
    return email
