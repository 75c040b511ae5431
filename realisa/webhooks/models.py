"""Webhooks and their deliveries (the outbox). The tables keep the names they had when
these models lived in the ``api`` app (``api_webhook``, ``api_webhookdelivery``): moving
the code moved no row (migrations ``api.0002`` and ``webhooks.0001``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from realisa.webhooks.cipher import decrypt, encrypt


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def visible_to(self, user: Any) -> WebhookQuerySet:
        """An agent sees every webhook; an organisation admin, their organisation's."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_agent:
            return self.all()
        if user.is_of_admin:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Webhook(models.Model):
    """An HTTPS address told of the certificates' events. An organisation's webhook hears
    of its own dossiers; the funder's (``organisation`` empty, registered by an agent), of all.
    The secret signs each delivery (HMAC-SHA256); it must be readable to sign, so it is kept
    encrypted (``cipher.py``): ``webhook.secret`` reads and writes it in clear."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
    )
    url = models.URLField("adresse", max_length=500)
    secret_ciphertext = models.TextField("secret chiffré", editable=False)
    events = models.JSONField("événements", default=list)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = WebhookQuerySet.as_manager()

    class Meta:
        db_table = "api_webhook"
        verbose_name = "webhook"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return decrypt(self.secret_ciphertext)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_ciphertext = encrypt(value)


class WebhookDelivery(models.Model):
    """One event to deliver to one webhook, written in the transaction of the change it
    reports (the outbox); sent after commit, retried with backoff until it is delivered."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente d'envoi"
        SENDING = "sending", "Envoi en cours"
        DELIVERED = "delivered", "Remis"
        FAILED = "failed", "Abandonné"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("événement", max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField("créé le", default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "api_webhookdelivery"
        verbose_name = "envoi de webhook"
        verbose_name_plural = "envois de webhook"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
