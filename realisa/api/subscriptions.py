"""Registering and removing webhooks: an organisation admin for their organisation, an
agent for the funder (every organisation)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.webhooks.addresses import WebhookRefused, check_url
from realisa.webhooks.models import Webhook
from realisa.webhooks.outbox import EVENTS

NOT_ALLOWED = "Seuls un administrateur de l'organisme ou un agent enregistrent des webhooks."


def may_manage_webhooks(user: Any) -> bool:
    return bool(user.is_active and (user.is_agent or user.is_of_admin))


def register_webhook(
    actor: User, *, url: str, secret: str, events: list[str], request: HttpRequest | None = None
) -> Webhook:
    if not may_manage_webhooks(actor):
        raise PermissionError(NOT_ALLOWED)
    check_url(url)
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise WebhookRefused(
            f"Événement inconnu : {', '.join(unknown)}. Possibles : {', '.join(EVENTS)}."
        )
    if len(secret) < 16:
        raise WebhookRefused("Le secret doit compter au moins 16 caractères.")
    with transaction.atomic():
        webhook = Webhook(
            organisation=None if actor.is_agent else actor.organisation,
            url=url,
            events=sorted(set(events)),
            created_by=actor,
        )
        webhook.secret = secret  # kept encrypted
        webhook.save()
        record(
            EventType.WEBHOOK_REGISTERED,
            actor=actor,
            obj=webhook,
            payload={"url": url, "events": webhook.events},
            request=request,
        )
    return webhook


def remove_webhook(webhook: Webhook, *, actor: User, request: HttpRequest | None = None) -> None:
    """Deactivate (its deliveries stay visible); nothing more is sent to it."""
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
        record(EventType.WEBHOOK_REMOVED, actor=actor, obj=webhook, request=request)
