"""Personal API tokens and their usage log. (Webhooks live in ``realisa.webhooks``.)"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
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


class HoursImportCall(models.Model):
    """A call of ``POST /hours/imports``, kept by the client's key: the same key sent again
    answers what the first call answered, and writes nothing (docs/api.md)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("clé du client", max_length=100)
    rows_sha256 = models.CharField("empreinte des lignes", max_length=64)
    answer = models.JSONField("réponse")
    created_at = models.DateTimeField("reçu le", default=timezone.now)

    class Meta:
        verbose_name = "import d'heures par l'API"
        verbose_name_plural = "imports d'heures par l'API"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="hours_import_call_key")
        ]

    def __str__(self) -> str:
        return self.key
