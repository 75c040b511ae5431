"""Webhooks: the certificates' events, told to registered HTTPS addresses through an outbox.

``emit(event, certificate)`` is called by each transition, inside its transaction: it
writes one ``WebhookDelivery`` per interested webhook, so a change and its notification
commit (or roll back) together; delivery is asked for once the transaction commits.
``deliver`` claims one delivery with a conditional UPDATE (two workers never send it
twice), POSTs the JSON with ``Realisa-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>">`` under the webhook's secret, and marks it delivered on a 2xx; otherwise it
is retried later (1, 2, 4… minutes, at most an hour), up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from realisa.api.models import Webhook, WebhookDelivery
from realisa.certificates.models import Certificate

logger = logging.getLogger(__name__)

EVENTS = (
    "certificate.entered",
    "certificate.certified",
    "certificate.validated",
    "certificate.contested",
    "certificate.transmitted",
)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=10)
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


def payload(event: str, certificate: Certificate, delivery_id: str) -> dict[str, Any]:
    dossier = certificate.dossier
    return {
        "id": delivery_id,
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "certificate": {
            "id": certificate.pk,
            "dossier": dossier.number,
            "organisation_id": dossier.organisation_id,
            "month": f"{certificate.month:%Y-%m}",
            "status": certificate.status,
            "version": certificate.version,
            "centre_minutes": certificate.centre_minutes,
            "internship_minutes": certificate.internship_minutes,
            "absence_minutes": certificate.absence_minutes,
            "certification_method": certificate.certification_method,
        },
    }


def interested(event: str, organisation_id: int) -> list[Webhook]:
    webhooks = Webhook.objects.filter(is_active=True).filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    )
    return [w for w in webhooks if event in w.events]


def emit(event: str, certificate: Certificate) -> list[WebhookDelivery]:
    """Queue ``event`` about ``certificate`` for every interested webhook. Call it inside
    the transition's transaction, once the certificate is saved."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    deliveries = []
    for webhook in interested(event, certificate.dossier.organisation_id):
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, payload={})
        delivery.payload = payload(event, certificate, f"whd_{delivery.pk}")
        delivery.save(update_fields=["payload"])
        deliveries.append(delivery)
    for delivery in deliveries:
        transaction.on_commit(partial(_schedule, delivery.pk))
    return deliveries


def _schedule(delivery_id: int) -> None:
    from realisa.api.tasks import deliver_webhook

    try:
        deliver_webhook.delay(delivery_id)
    except Exception:  # the broker is down: the beat catches up
        logger.exception("could not schedule webhook delivery %s", delivery_id)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


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


def deliver(delivery_id: int) -> bool:
    """Send one pending delivery; True when the receiver accepted it now (2xx)."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING
    ).update(status=WebhookDelivery.Status.SENDING, claimed_at=timezone.now())
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    attempts = delivery.attempts + 1
    code: int | None = None
    try:
        code = _post(delivery)
        error = "" if 200 <= code < 300 else f"HTTP {code}"
    except WebhookRefused as refused:
        error = refused.message
    except (OSError, ValueError) as failure:  # refused, timed out, unreachable, bad address
        error = f"{type(failure).__name__}: {failure}"
    rows = WebhookDelivery.objects.filter(pk=delivery_id)
    if not error:
        rows.update(
            status=WebhookDelivery.Status.DELIVERED,
            attempts=attempts,
            delivered_at=timezone.now(),
            last_status_code=code,
            last_error="",
        )
        return True
    given_up = attempts >= MAX_ATTEMPTS
    rows.update(
        status=WebhookDelivery.Status.FAILED if given_up else WebhookDelivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=timezone.now() + backoff(attempts),
        last_status_code=code,
        last_error=error[:2000],
    )
    logger.warning("webhook delivery %s failed (attempt %s): %s", delivery_id, attempts, error)
    return False


def send_due(now: datetime | None = None) -> int:
    """Send every pending delivery whose time has come; how many were delivered."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=WebhookDelivery.Status.PENDING)
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).order_by("id")
    return sum(deliver(pk) for pk in due.values_list("pk", flat=True))
