"""Personal API tokens, their usage log, and webhooks with their deliveries (the outbox)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: Any) -> ApiTokenQuerySet:
        """A person sees and revokes only their own tokens."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user_id=user.pk)


class ApiToken(models.Model):
    """A personal token: it acts with exactly its user's rights. Only its SHA-256 is kept;
    ``prefix`` (its first characters) lets the person recognise it in the list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("début du jeton", max_length=16)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApiUsage(models.Model):
    """One request made with a token: the light usage log (see docs/api.md, « Journal »).
    Changes made through the API are also in the audit chain, by the services."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="usages")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "utilisation d'un jeton"
        verbose_name_plural = "utilisations des jetons"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


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
    The secret signs each delivery (HMAC-SHA256); it must be readable to sign, so it is kept."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
    )
    url = models.URLField("adresse", max_length=500)
    secret = models.CharField("secret", max_length=200)
    events = models.JSONField("événements", default=list)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


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
