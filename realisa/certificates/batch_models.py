"""« Certifier en lot »: the months a person certifies online with one code, and each
month's line (``batch_certification.py`` owns their rules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from realisa.lib.storage import private_name


def manifest_path(instance: object, filename: str) -> str:
    return private_name("batches", filename)


class CertificationBatch(models.Model):
    """The months ticked together. Its manifest lists each month's unsealed version by its
    reference and SHA-256 (never a name nor hours: each beneficiary's certificate names it
    by its SHA-256); the one code is bound to that SHA-256."""

    class State(models.TextChoices):
        OPEN = "open", "Récapitulatif, code à demander ou à saisir"
        RUNNING = "running", "Code vérifié : certification en cours"
        DONE = "done", "Terminé"

    reference = models.CharField("référence", max_length=40, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.OPEN)
    manifest_sha256 = models.CharField("empreinte SHA-256 du manifeste", max_length=64)
    manifest = models.FileField("manifeste scellé", upload_to=manifest_path, blank=True)
    sealed_manifest_sha256 = models.CharField(
        "empreinte SHA-256 du manifeste scellé", max_length=64, blank=True
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    confirmed_at = models.DateTimeField("code vérifié le", null=True, blank=True)
    # The confirming request's, for the evidence of the months certified after it
    confirmed_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    confirmed_user_agent = models.CharField("navigateur", max_length=300, blank=True)
    done_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "certification en lot"
        verbose_name_plural = "certifications en lot"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference


class BatchLine(models.Model):
    """One month of a batch: the version shown in the summary, and what became of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "En attente"
        CERTIFIED = "certified", "Certifié"
        FAILED = "failed", "Non certifié"

    batch = models.ForeignKey(CertificationBatch, on_delete=models.CASCADE, related_name="lines")
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="batch_lines"
    )
    version_reference = models.CharField("référence de la version", max_length=40)
    version_sha256 = models.CharField("empreinte SHA-256 de la version", max_length=64)
    outcome = models.CharField(
        "résultat", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = models.TextField("motif", blank=True)
    done_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "mois d'une certification en lot"
        verbose_name_plural = "mois des certifications en lot"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "certificate"], name="batch_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch} — {self.certificate}"
