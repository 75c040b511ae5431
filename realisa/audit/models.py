from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from realisa.audit.hashing import keyed_hash, unkeyed_hash
from realisa.audit.keys import key_named

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

    Each event carries an HMAC-SHA256, under a key kept outside the database (``key_id``
    names it), of its content and of the previous event's hash, so that an edited,
    inserted or deleted row breaks the chain and cannot be re-hashed (``audit.keys``).
    The events written before the chain was keyed have no ``key_id`` and a plain SHA-256.
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
    key_id = models.CharField("clé", max_length=16, blank=True)

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
        """The hash this event must carry: an HMAC under the key it names (``UnknownKey``
        when that key is not configured), or the plain SHA-256 of an event written before
        the chain was keyed."""
        if not self.key_id:
            return unkeyed_hash(self)
        return keyed_hash(self, key_named(self.key_id))


class AuditChainHead(models.Model):
    """A single row holding the last hash: locking it serialises writers of the chain.

    ``seal`` is an HMAC of ``last_hash`` under the last event's key: pointing the head back
    at an earlier event, after deleting the ones that followed, needs the key."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    seal = models.CharField(max_length=64, blank=True)

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
