from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from realisa.choices import MonthStatus, VersionReason
from realisa.dossiers.visibility import dossier_scope, full_evidence_scope, shared_scope
from realisa.lib.storage import private_name


class Immutable(Exception):
    """A version of a certificate is written once and never changed nor deleted."""


def version_path(instance: Any, filename: str) -> str:
    return private_name("certificates", filename)


def evidence_path(instance: Any, filename: str) -> str:
    return private_name("evidence", filename)


class CertificateVersionQuerySet(models.QuerySet["CertificateVersion"]):
    def visible_to(self, user: Any) -> CertificateVersionQuerySet:
        """The versions of the dossiers ``user`` sees; for the beneficiary and the employer,
        of a certified month and certified themselves: a draft issued before the month was
        certified stays the organisation's, even once the month is."""
        return self.filter(
            dossier_scope(user, "certificate__dossier__"),
            shared_scope(user, "certificate__"),
            shared_scope(user),
        )

    def update(self, **kwargs: Any) -> NoReturn:
        raise Immutable("certificate versions cannot be updated")

    def delete(self) -> NoReturn:
        raise Immutable("certificate versions cannot be deleted")


class CertificateVersion(models.Model):
    """One generated PDF of a month's certificate, kept as issued.

    The hours and the status are those the PDF shows, frozen when it was made; the
    public verification page answers from them. The latest version is the one shown.
    """

    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name="certificat",
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField("version")
    reference = models.CharField("référence", max_length=20, unique=True)
    file = models.FileField("fichier PDF", upload_to=version_path)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    reason = models.CharField("origine", max_length=20, choices=VersionReason.choices)
    status = models.CharField("statut", max_length=20, choices=MonthStatus.choices)
    centre_minutes = models.PositiveIntegerField("heures de présence en centre")
    internship_minutes = models.PositiveIntegerField("heures de présence en stage")
    absence_minutes = models.PositiveIntegerField("heures d'absence")
    created_at = models.DateTimeField("émis le")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="émis par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CertificateVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version du certificat"
        verbose_name_plural = "versions des certificats"
        ordering = ["certificate_id", "-number"]  # by column: no join (see Certificate)
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "number"], name="one_version_number_per_certificate"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} — version {self.number} ({self.reference})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Immutable("certificate versions cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise Immutable("certificate versions cannot be deleted")

    @property
    def presence_minutes(self) -> int:
        return self.centre_minutes + self.internship_minutes


class CertificationEvidenceQuerySet(models.QuerySet["CertificationEvidence"]):
    def visible_to(self, user: Any) -> CertificationEvidenceQuerySet:
        """The full evidence: the organisation's members and the funder's agents only."""
        return self.filter(full_evidence_scope(user, "certificate__dossier__"))


class CertificationEvidence(models.Model):
    """The full « dossier de preuve » of a sealed version (``data``, with what the seals
    reported once made) and its own sealed PDF (``file``, ``sha256``). The certificate
    embeds only its shared part (``documents.evidence.shared_evidence``)."""

    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="evidence"
    )
    version = models.OneToOneField(
        CertificateVersion, on_delete=models.PROTECT, related_name="evidence"
    )
    reason = models.CharField("origine", max_length=20, choices=VersionReason.choices)
    data = models.JSONField("dossier de preuve")
    file = models.FileField(
        "dossier de preuve scellé (PDF)",
        upload_to=evidence_path,
        blank=True,
        help_text="Complet (IP, navigateurs, identifiants) : organisme et financeur seulement.",
    )
    sha256 = models.CharField("empreinte SHA-256 du dossier de preuve", max_length=64, blank=True)
    created_at = models.DateTimeField("constitué le", default=timezone.now)

    objects = CertificationEvidenceQuerySet.as_manager()

    class Meta:
        db_table = "certificates_certificationevidence"  # made by the certificates app
        verbose_name = "dossier de preuve"
        verbose_name_plural = "dossiers de preuve"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preuve — {self.version}"
