"""Webhooks: register an HTTPS address and a secret, list them, see each delivery."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from realisa.api.endpoints.common import ERRORS, forbidden, not_found, responses, user_of
from realisa.api.endpoints.dossiers import IdPath
from realisa.api.problems import ApiProblem
from realisa.api.schemas import DeliveryOut, WebhookIn, WebhookOut
from realisa.api.subscriptions import (
    NOT_ALLOWED,
    may_manage_webhooks,
    register_webhook,
    remove_webhook,
)
from realisa.webhooks.addresses import WebhookRefused
from realisa.webhooks.models import Webhook

router = Router(tags=["Webhooks"])


def _allowed(request: HttpRequest) -> Any:
    user = user_of(request)
    if not may_manage_webhooks(user):
        raise forbidden(NOT_ALLOWED)
    return user


def _visible(request: HttpRequest, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.visible_to(request.user).filter(pk=webhook_id).first()
    if webhook is None:
        raise not_found("Ce webhook n'existe pas ou ne vous est pas accessible.")
    return webhook


def webhook_out(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.pk,
        "url": webhook.url,
        "events": webhook.events,
        "is_active": webhook.is_active,
        "organisation_id": webhook.organisation_id,
        "created_at": webhook.created_at,
    }


@router.get("", response=responses(list[WebhookOut], errors=ERRORS), url_name="webhooks")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    _allowed(request)
    return [webhook_out(w) for w in Webhook.objects.visible_to(request.user)]


@router.post("", response=responses(WebhookOut, code=201), url_name="webhook_create")
def create_webhook(request: HttpRequest, body: WebhookIn) -> Status[dict[str, Any]]:
    """Events: certificate.entered, .certified, .validated, .contested, .reopened,
    .transmitted. Each POST carries ``Realisa-Signature: t=…,v1=…``: the HMAC-SHA256 of
    « t.body » under the secret (see docs/api.md)."""
    actor = _allowed(request)
    try:
        webhook = register_webhook(
            actor, url=body.url, secret=body.secret, events=body.events, request=request
        )
    except WebhookRefused as error:
        raise ApiProblem(422, "webhook-refuse", error.message) from error
    return Status(201, webhook_out(webhook))


@router.delete("/{webhook_id}", response=responses(WebhookOut), url_name="webhook")
def delete_webhook(request: HttpRequest, webhook_id: IdPath) -> dict[str, Any]:
    actor = _allowed(request)
    webhook = _visible(request, webhook_id)
    remove_webhook(webhook, actor=actor, request=request)
    webhook.refresh_from_db()
    return webhook_out(webhook)


@router.get(
    "/{webhook_id}/deliveries",
    response=responses(list[DeliveryOut]),
    url_name="webhook_deliveries",
)
def list_deliveries(request: HttpRequest, webhook_id: IdPath) -> list[dict[str, Any]]:
    """The latest deliveries, each with its last status (remis, en attente, abandonné)."""
    _allowed(request)
    webhook = _visible(request, webhook_id)
    return [
        {
            "id": d.pk,
            "event": d.event,
            "status": d.status,
            "attempts": d.attempts,
            "created_at": d.created_at,
            "next_attempt_at": d.next_attempt_at,
            "delivered_at": d.delivered_at,
            "last_status_code": d.last_status_code,
            "last_error": d.last_error,
        }
        for d in webhook.deliveries.all()[:200]
    ]
