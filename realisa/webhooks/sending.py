"""Sending one webhook delivery: the webhook outbox on the shared claim and backoff
(realisa.lib.outbox).

A delivery is POSTed as JSON with ``Realisa-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>">`` under the webhook's secret. A 2xx answer delivers it; anything else
(another code, a network error, a refused address) is tried again 1, 2, 4… minutes later,
at most an hour between tries, and given up after ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from realisa.lib.outbox import Failed, Outbox
from realisa.webhooks.models import WebhookDelivery

MAX_ATTEMPTS = 12
SIGNATURE_HEADER = "Realisa-Signature"


class WebhookRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def check_url(url: str) -> None:
    """HTTPS only; plain HTTP to a loopback address only when the setting allows it (tests)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise WebhookRefused("Donnez une adresse complète, comme https://exemple.fr/realisa.")
    if parts.scheme == "https":
        return
    allowed = settings.WEBHOOK_ALLOW_HTTP_LOOPBACK and _is_loopback(parts.hostname)
    if parts.scheme == "http" and allowed:
        return
    raise WebhookRefused("L'adresse d'un webhook doit commencer par https://.")


def _reachable(url: str) -> None:
    """Refuse to post to a private address (the webhook must not reach the inside)."""
    host = urlsplit(url).hostname or ""
    if _is_loopback(host) and settings.WEBHOOK_ALLOW_HTTP_LOOPBACK:
        return
    for info in socket.getaddrinfo(host, None):
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise WebhookRefused(f"L'adresse {host} mène à un réseau privé : envoi refusé.")


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _post(delivery: WebhookDelivery) -> int:
    url = delivery.webhook.url
    check_url(url)
    _reachable(url)
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Realisa-Webhooks/1",
            "Realisa-Event": delivery.event,
            "Realisa-Delivery": str(delivery.payload.get("id", delivery.pk)),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, body, int(timezone.now().timestamp())),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _send(delivery: WebhookDelivery) -> dict[str, Any]:
    """Post it; the outbox keeps the answer's status code, whether it delivers or not."""
    try:
        code = _post(delivery)
    except WebhookRefused as refused:
        raise Failed(refused.message, last_status_code=None) from refused
    except (OSError, ValueError) as failure:  # refused, timed out, unreachable, bad address
        raise Failed(f"{type(failure).__name__}: {failure}", last_status_code=None) from failure
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
