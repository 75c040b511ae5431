"""The funder's batches of transmitted hours and its reminders to organisations."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from realisa.choices import LineKind


class Immutable(Exception):
    """A transmission is written once, with its lines and files, and never changed."""


class ImmutableQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise Immutable("transmissions cannot be changed")

    def delete(self) -> NoReturn:
        raise Immutable("transmissions cannot be deleted")


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Immutable("transmissions cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise Immutable("transmissions cannot be deleted")


class Transmission(ImmutableModel):
    """« Transmission des heures »: an immutable batch of ready months, with its CSV and
    JSON files and their SHA-256. ``key`` is the SHA-256 of the sorted certificate ids:
    creating the same batch twice finds the first one instead of making a second."""

    key = models.CharField(max_length=64)
    # A batch cancelled before anyone took its file may be made again: the same months
    # then make the same key, and the attempt tells the batches apart.
    attempt = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    line_count = models.PositiveIntegerField("nombre de mois")
    csv_data = models.BinaryField("fichier CSV")
    csv_sha256 = models.CharField("SHA-256 du CSV", max_length=64)
    json_data = models.BinaryField("fichier JSON")
    json_sha256 = models.CharField("SHA-256 du JSON", max_length=64)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "transmission des heures"
        verbose_name_plural = "transmissions des heures"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "attempt"], name="one_batch_per_key_attempt")
        ]

    def __str__(self) -> str:
        return f"Transmission n° {self.pk} du {timezone.localtime(self.created_at):%d/%m/%Y}"


# The hours a line carries, as the certificate names them.
HOURS = ("centre_minutes", "internship_minutes", "absence_minutes")


class TransmissionLine(ImmutableModel):
    """One month of a batch, as it was sent: the month's hours then, kept here so that a
    correction's difference never reads a certificate changed since. A month reopened
    after its transmission and certified again is sent once more as a correction of its
    last line in a batch not cancelled (``corrects``); ``TransmittedMonth`` names that line.
    ``reference`` identifies the line for the payment system: the dossier, the month and
    the month's n-th line (« FPE-2026-0001/2026-02/1 »), known before the batch's files are
    written. A cancelled batch keeps its lines."""

    transmission = models.ForeignKey(Transmission, on_delete=models.PROTECT, related_name="lines")
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="transmission_lines"
    )
    reference = models.CharField("référence de la ligne", max_length=64)
    centre_minutes = models.PositiveIntegerField("heures en centre transmises")
    internship_minutes = models.PositiveIntegerField("heures en stage transmises")
    absence_minutes = models.PositiveIntegerField("heures d'absence transmises")
    corrects = models.ForeignKey(
        "self",
        verbose_name="corrige la ligne",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "mois transmis"
        verbose_name_plural = "mois transmis"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["reference"], name="one_line_per_reference")]

    def __str__(self) -> str:
        return f"{self.transmission} — {self.certificate}"

    @property
    def kind(self) -> LineKind:
        return LineKind.CORRECTION if self.corrects_id else LineKind.INITIAL

    @property
    def delta(self) -> dict[str, int] | None:
        """A correction's difference with the line it corrects, per kind of hours."""
        if self.corrects is None:
            return None
        return {name: getattr(self, name) - getattr(self.corrects, name) for name in HOURS}


class TransmittedMonth(models.Model):
    """A month's current line: its last one in a batch not cancelled, which its next
    transmission, after a reopening, corrects. One row per month is the database's
    guarantee that a month has one current line, whatever the code above it does: it is
    sent as new once, then only corrected. A correction moves the row to its own line;
    cancelling a batch gives it back to the line corrected, or removes it."""

    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="transmitted"
    )
    line = models.OneToOneField(TransmissionLine, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "mois transmis (en cours)"
        verbose_name_plural = "mois transmis (en cours)"

    def __str__(self) -> str:
        return str(self.line)


class TransmissionCancellation(ImmutableModel):
    """A batch cancelled by an agent, with the reason, before anyone took its file."""

    transmission = models.OneToOneField(
        Transmission, on_delete=models.PROTECT, related_name="cancellation"
    )
    cancelled_at = models.DateTimeField("annulée le", default=timezone.now)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="annulée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("motif")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "annulation d'une transmission"
        verbose_name_plural = "annulations de transmissions"

    def __str__(self) -> str:
        return f"{self.transmission} annulée"


class TransmissionDownload(ImmutableModel):
    """A batch's file taken, on the portal or through the API: from the first one on, the
    payment system may hold it, and the batch is final."""

    transmission = models.ForeignKey(
        Transmission, on_delete=models.PROTECT, related_name="downloads"
    )
    downloaded_at = models.DateTimeField("téléchargé le", default=timezone.now)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    kind = models.CharField("fichier", max_length=4)  # csv, json
    via = models.CharField("par", max_length=10)  # portail, api

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "téléchargement d'une transmission"
        verbose_name_plural = "téléchargements de transmissions"
        ordering = ["downloaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.transmission} : {self.kind} ({self.via})"


class Reminder(models.Model):
    """A digest e-mailed to an organisation about its months waiting for entry or
    certification; the latest one tells when the next may be sent."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField("envoyée le", db_index=True)
    month_count = models.PositiveIntegerField("nombre de mois en retard")

    class Meta:
        verbose_name = "relance"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"Relance {self.organisation} du {self.sent_on:%d/%m/%Y}"


class PurgedFileQuerySet(ImmutableQuerySet):
    def names(self) -> set[str]:
        return set(self.values_list("name", flat=True))


class PurgedFile(ImmutableModel):
    """The tombstone of a file deleted once its retention deadline had passed
    (``funder.purge``): what it was, its SHA-256, when and on whose decision. The row that
    named the file stays (a certificate version is never deleted); its file is gone, and
    ``verify_audit_chain`` counts it as purged, not missing."""

    kind = models.CharField("nature", max_length=20)  # version, evidence, scan, sheet
    label = models.CharField("pièce", max_length=400)
    name = models.CharField("nom dans le stockage", max_length=300, unique=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    dossier_number = models.CharField("dossier", max_length=30, db_index=True)
    kept_until = models.DateField("conservé jusqu'au")
    purged_at = models.DateTimeField("purgé le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sur décision de",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PurgedFileQuerySet.as_manager()

    class Meta:
        verbose_name = "fichier purgé"
        verbose_name_plural = "fichiers purgés"
        ordering = ["purged_at", "id"]

    def __str__(self) -> str:
        return f"{self.label} (purgé le {self.purged_at:%d/%m/%Y})"
