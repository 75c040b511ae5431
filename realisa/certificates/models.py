from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from realisa.choices import STORED_STATUSES, CertificationMethod, MonthStatus
from realisa.dossiers.visibility import dossier_scope


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def visible_to(self, user: Any) -> CertificateQuerySet:
        return self.filter(dossier_scope(user, "dossier__"))


class Certificate(models.Model):
    """The certificat de réalisation of one dossier for one calendar month.

    A row exists once hours have been entered; before that, the month's status is
    computed (see ``months.month_status``). Hours are whole minutes, never floats.
    Its status changes only through the transition functions of this app.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="certificates"
    )
    month = models.DateField("mois", help_text="Le premier jour du mois.")
    centre_minutes = models.PositiveIntegerField("heures de présence en centre", default=0)
    internship_minutes = models.PositiveIntegerField("heures de présence en stage", default=0)
    absence_minutes = models.PositiveIntegerField("heures d'absence", default=0)
    status = models.CharField(
        "statut", max_length=20, choices=MonthStatus.choices, default=MonthStatus.ENTERED
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Incrémenté à chaque modification (contrôle de concurrence)."
    )
    entered_at = models.DateTimeField("saisi le", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    certification_method = models.CharField(
        "méthode de certification", max_length=10, choices=CertificationMethod.choices, blank=True
    )
    certified_at = models.DateTimeField("certifié le", null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="certifié par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField("validé par le bénéficiaire le", null=True, blank=True)
    transmitted_at = models.DateTimeField("transmis le", null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "certificat de réalisation"
        verbose_name_plural = "certificats de réalisation"
        ordering = ["dossier", "month"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "month"], name="one_certificate_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="certificate_month_first_day"),
            models.CheckConstraint(
                condition=Q(status__in=sorted(STORED_STATUSES)), name="certificate_stored_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.month:%m/%Y}"

    @property
    def presence_minutes(self) -> int:
        return self.centre_minutes + self.internship_minutes
