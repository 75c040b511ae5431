from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxEmail(models.Model):
    """An e-mail to send, written in the same transaction as what it tells.

    Sent after commit by a task; a failed send stays pending and is retried with
    backoff, so an e-mail server that is down delays a notification but never loses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente d'envoi"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"

    created_at = models.DateTimeField("créé le", default=timezone.now)
    kind = models.CharField("type", max_length=60)
    to = models.JSONField("destinataires")
    subject = models.CharField("objet", max_length=250)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "e-mail à envoyer"
        verbose_name_plural = "e-mails (boîte d'envoi)"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
