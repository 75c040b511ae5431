"""The funder's batches of transmitted hours and its reminders to organisations."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    key = models.CharField(max_length=64, unique=True)
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

    def __str__(self) -> str:
        return f"Transmission n° {self.pk} du {timezone.localtime(self.created_at):%d/%m/%Y}"


class TransmissionLine(ImmutableModel):
    """One transmitted month. The one-to-one key is the database's guarantee that a month
    is transmitted at most once, whatever the code above it does."""

    transmission = models.ForeignKey(Transmission, on_delete=models.PROTECT, related_name="lines")
    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="transmission_line"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "mois transmis"
        verbose_name_plural = "mois transmis"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.transmission} — {self.certificate}"


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
