"""The months' summary (``MonthSummary``) and its counts (``MonthCount``): what the funder's
dashboard and late list read instead of computing every dossier's months. Written only by
``certificates.month_summary``."""

from __future__ import annotations

from django.db import models

from realisa.choices import CertificationMethod, MonthStatus


class MonthSummary(models.Model):
    """One month of one dossier's training, as the funder's dashboard and late list count
    it: its opening day and status, in one indexed table. ``certificates.month_summary``
    keeps it up to date whenever a certificate, payment, interruption or training changes.

    ``status`` is the month's status once open (``month_status`` on its opening day):
    « En attente de la saisie » stands for « La saisie n'est pas disponible » until
    ``opens_on``, the only rule that depends on the day (``month_summary.shown_status``).
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="month_summaries"
    )
    # the dossier's, copied: the funder counts per organisation without reading the dossiers
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("mois")
    opens_on = models.DateField("ouvert à la saisie le")
    status = models.CharField("statut", max_length=20, choices=MonthStatus.choices)
    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summary",
    )
    # The certificate's, copied: the dashboard's glance counts a month from this table alone.
    method = models.CharField(
        "méthode de certification", max_length=10, choices=CertificationMethod.choices, blank=True
    )
    certified_on = models.DateField("certifié le", null=True, blank=True)  # local day
    validated = models.BooleanField("validé par le bénéficiaire ou pour lui", default=False)

    class Meta:
        verbose_name = "mois de formation (synthèse)"
        verbose_name_plural = "mois de formation (synthèse)"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "month"], name="one_summary_per_month"),
        ]
        indexes = [
            # the late list: the months awaiting entry or certification, opened long ago
            models.Index(fields=["status", "opens_on"], name="summary_late"),
            # the dashboard: one calendar month's rows, its glance read from the index alone
            models.Index(
                fields=[
                    "month",
                    "status",
                    "opens_on",
                    "method",
                    "validated",
                    "certificate",
                    "organisation",
                    "certified_on",
                ],
                name="summary_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.month:%Y-%m} {self.status}"


KIND = ["month", "opens_on", "status", "entered", "method", "validated"]  # a MonthCount's key


class MonthCount(models.Model):
    """How many summaries share a month, opening day, status and certificate facts: the
    glance adds up a few hundred rather than count 30,000 a month (``month_summary``)."""

    month = models.DateField("mois")
    opens_on = models.DateField("ouvert à la saisie le")
    status = models.CharField("statut", max_length=20, choices=MonthStatus.choices)
    entered = models.BooleanField("heures saisies")  # a certificate exists
    method = models.CharField(
        "méthode de certification", max_length=10, choices=CertificationMethod.choices, blank=True
    )
    validated = models.BooleanField("validé par le bénéficiaire ou pour lui")
    count = models.IntegerField("nombre de mois", default=0)

    class Meta:
        verbose_name = "décompte des mois de formation"
        verbose_name_plural = "décomptes des mois de formation"
        constraints = [models.UniqueConstraint(fields=KIND, name="one_count_per_kind")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status}: {self.count}"
