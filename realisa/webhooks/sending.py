"""Sending one webhook delivery: the webhook outbox on the shared claim and backoff
(realisa.lib.outbox).

A delivery is POSTed as JSON with ``Realisa-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>">`` under the webhook's secret. It goes to the address ``addresses.pin``
checked, and only there: no redirect is followed (a 3xx answer is a failure like any
other), and no proxy of the environment is used. A 2xx answer delivers it; anything else
(another code, a network error, a refused address) is tried again 1, 2, 4… minutes later,
at most an hour between tries, and given up after ``MAX_ATTEMPTS``. The answer's body is
never read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from realisa.lib.outbox import Failed, Outbox
from realisa.webhooks.addresses import WebhookRefused, pin
from realisa.webhooks.models import WebhookDelivery

MAX_ATTEMPTS = 12
SIGNATURE_HEADER = "Realisa-Signature"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _post(delivery: WebhookDelivery) -> int:
    """POST the delivery to its pinned address; the answer's status code."""
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Realisa-Webhooks/1",
        "Realisa-Event": delivery.event,
        "Realisa-Delivery": str(delivery.payload.get("id", delivery.pk)),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body, int(timezone.now().timestamp())),
    }
    target = pin(delivery.webhook.url)
    headers["Host"] = target.host
    tls = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
    with (
        httpx.Client(
            follow_redirects=False, trust_env=False, timeout=settings.WEBHOOK_TIMEOUT
        ) as client,
        client.stream("POST", target.url, content=body, headers=headers, extensions=tls) as answer,
    ):
        return answer.status_code  # its body is never read


def _send(delivery: WebhookDelivery) -> dict[str, Any]:
    """Post it; the outbox keeps the answer's status code, whether it delivers or not."""
    try:
        code = _post(delivery)
    except WebhookRefused as refused:
        raise Failed(refused.message, last_status_code=None) from refused
    except (httpx.HTTPError, OSError, ValueError) as failure:  # unreachable, timed out…
        raise Failed(f"{type(failure).__name__}: {failure}", last_status_code=None) from failure
    if 300 <= code < 400:
        raise Failed(f"HTTP {code} : redirection non suivie", last_status_code=code)
    if not 200 <= code < 300:
        raise Failed(f"HTTP {code}", last_status_code=code)
    return {"last_status_code": code}


OUTBOX = Outbox(
    WebhookDelivery,
    send=_send,
    done=WebhookDelivery.Status.DELIVERED,
    done_at="delivered_at",
    given_up=WebhookDelivery.Status.FAILED,
    max_attempts=MAX_ATTEMPTS,
    related=("webhook",),
)


def deliver(delivery_id: int) -> bool:
    """Send one pending delivery; True when the receiver accepted it now (2xx)."""
    return OUTBOX.deliver(delivery_id)


def send_due(now: datetime | None = None) -> int:
    """Send every pending delivery whose time has come; how many were delivered."""
    return OUTBOX.send_due(now)
