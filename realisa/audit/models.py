from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS = "0" * 64


class AppendOnly(Exception):
    """Audit events are written once and never changed nor deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One thing that mattered: who, what, on which object, when (UTC), from which IP.

    Each event carries the SHA-256 of its content and of the previous event's hash,
    so that an edited, inserted or deleted row breaks the chain.
    """

    created_at = models.DateTimeField("date (UTC)", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField("identifiant de l'auteur", max_length=150, blank=True)
    action = models.CharField("action", max_length=60, db_index=True)
    object_type = models.CharField("type d'objet", max_length=60, blank=True)
    object_id = models.CharField("identifiant de l'objet", max_length=60, blank=True)
    payload = models.JSONField("détails", default=dict, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit events cannot be deleted")

    def compute_hash(self) -> str:
        content = {
            "prev": self.prev_hash,
            "at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_username,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "payload": self.payload,
            "ip": self.ip,
            "user_agent": self.user_agent,
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the last hash: locking it serialises writers of the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "tête de chaîne du journal"

    def __str__(self) -> str:
        return self.last_hash


class ConnectionEventQuerySet(models.QuerySet["ConnectionEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("connection events cannot be updated")


class ConnectionEvent(models.Model):
    """A login, logout, failed login or lockout, with the client's IP.

    Kept apart from the chained evidence log (``AuditEvent``): connection events are
    purged after ``CONNECTION_LOG_RETENTION_DAYS`` (12 months, as the CNIL advises), and
    deleting them must never look like tampering with the chain. Never updated; deleted
    only by ``purge_logs``.
    """

    created_at = models.DateTimeField("date (UTC)", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("identifiant", max_length=150, blank=True)
    action = models.CharField("action", max_length=60, db_index=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)

    objects = ConnectionEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement de connexion"
        verbose_name_plural = "journal des connexions"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("connection events cannot be updated")
        super().save(*args, **kwargs)
