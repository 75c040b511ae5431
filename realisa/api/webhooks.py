"""Temporary shim: webhooks moved to the app ``realisa.webhooks`` (``outbox.py`` queues
the events, ``sending.py`` delivers them). Nothing in ``realisa/`` or ``tests/`` imports
this module any more; it only keeps ``from realisa.api import webhooks``, written by work
still in flight, working until that work lands. Remove it then."""

from realisa.lib.outbox import backoff
from realisa.webhooks.outbox import EVENTS, emit, interested, payload
from realisa.webhooks.sending import (
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    WebhookRefused,
    check_url,
    deliver,
    send_due,
    sign,
)

__all__ = [
    "EVENTS",
    "MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "WebhookRefused",
    "backoff",
    "check_url",
    "deliver",
    "emit",
    "interested",
    "payload",
    "send_due",
    "sign",
]
