from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from realisa.choices import (
    SHARED_STATUSES,
    STORED_STATUSES,
    VALIDATED_STATUS_TEXT,
    BeneficiaryDecision,
    CertificationMethod,
    CodeVoidReason,
    MonthStatus,
    ValidationKind,
)
from realisa.dossiers.visibility import dossier_scope, shared_scope
from realisa.lib.hours import DAY_MAX_MINUTES as DAY_MINUTES
from realisa.lib.storage import attendance_sheet_path, signed_scan_path

# Ready to transmit: validated, or certified on paper (no beneficiary's answer to wait for)
READY = Q(status=MonthStatus.CERTIFIED, certification_method=CertificationMethod.PAPER) | Q(
    status=MonthStatus.VALIDATED
)


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def visible_to(self, user: Any) -> CertificateQuerySet:
        return self.filter(dossier_scope(user, "dossier__"), shared_scope(user))


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
    certifies_entry = models.BooleanField("je certifie la saisie des heures", default=False)
    accepts_ip_use = models.BooleanField(
        "j'accepte que mon adresse IP soit utilisée", default=False
    )
    entered_ip = models.GenericIPAddressField(
        "adresse IP de la saisie",
        null=True,
        blank=True,
        help_text="Conservée seulement si la personne l'a accepté.",
    )
    certified_ip = models.GenericIPAddressField(
        "adresse IP de la certification", null=True, blank=True
    )
    signed_scan = models.FileField(
        "certificat signé",
        upload_to=signed_scan_path,
        blank=True,
        help_text="Certification 1 : le certificat imprimé, signé et numérisé (PDF, PNG ou JPEG).",
    )
    signed_scan_uploaded_at = models.DateTimeField(
        "certificat signé déposé le", null=True, blank=True
    )
    signed_scan_sha256 = models.CharField(
        "empreinte SHA-256 du certificat signé", max_length=64, blank=True
    )
    gap_reason = models.TextField(
        "motif de l'écart",
        blank=True,
        help_text="Obligatoire quand la présence dépasse le prévu du mois ou les heures financées.",
    )
    zero_hours_confirmed = models.BooleanField("zéro heure certifiée pour ce mois", default=False)
    planned_snapshot = models.JSONField(
        "calendrier prévisionnel à la certification",
        null=True,
        blank=True,
        help_text="Les jours prévus du mois quand il a été certifié ([date, centre, stage] en "
        "minutes), ou null sans calendrier : le mois garde le prévu contre lequel il a été "
        "certifié, même si le calendrier change ensuite.",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validation_kind = models.CharField(
        "mode de validation", max_length=20, choices=ValidationKind.choices, blank=True
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validation_reason = models.TextField("motif de la validation par le financeur", blank=True)
    answer_reminded_at = models.DateTimeField("bénéficiaire relancé le", null=True, blank=True)
    transmitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    # set with its first PDF (``documents.services.store_version``): the month-start batch
    # and its progress find the certificates without one from an index, not by a join
    has_pdf = models.BooleanField("a un PDF", default=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "certificat de réalisation"
        verbose_name_plural = "certificats de réalisation"
        # by column: ordering by a foreign key would join its table on every query
        ordering = ["dossier_id", "month"]
        indexes = [
            # « Prêts à transmettre », the oldest month first: read in order, never sorted
            models.Index(fields=["month", "dossier"], condition=READY, name="certificate_ready"),
            # a month's certificates, and those without a PDF: the month-start batch
            models.Index(fields=["month"], name="certificate_month"),
            models.Index(fields=["month"], condition=Q(has_pdf=False), name="certificate_no_pdf"),
        ]
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

    @property
    def status_text(self) -> str:
        """As pages print it: « validé sans réponse » or « par le financeur » when so."""
        if self.status == MonthStatus.VALIDATED and self.validation_kind in VALIDATED_STATUS_TEXT:
            return VALIDATED_STATUS_TEXT[ValidationKind(self.validation_kind)]
        return str(self.get_status_display())

    @property
    def is_shared(self) -> bool:
        """Certified: the beneficiary and the employer may now read and download it."""
        return self.status in SHARED_STATUSES


class CertificateDay(models.Model):
    """One training day of a paperless dossier's certificate, as the organisation entered it.

    The certificate's totals are the sums of its days; the service writes both together.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("jour")
    centre_minutes = models.PositiveIntegerField("heures de présence en centre", default=0)
    internship_minutes = models.PositiveIntegerField("heures de présence en stage", default=0)
    absence_minutes = models.PositiveIntegerField("heures d'absence", default=0)

    class Meta:
        verbose_name = "jour du certificat"
        verbose_name_plural = "jours du certificat"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "date"], name="one_day_per_certificate"),
            models.CheckConstraint(
                condition=Q(
                    centre_minutes__lte=DAY_MINUTES - F("internship_minutes") - F("absence_minutes")
                ),
                name="certificate_day_within_24_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.date:%d/%m/%Y}"


class AttendanceSheet(models.Model):
    """An attendance sheet (feuille d'émargement) attached to a month's certificate."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="attendance_sheets"
    )
    file = models.FileField("fichier", upload_to=attendance_sheet_path)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    original_name = models.CharField("nom du fichier", max_length=200)
    uploaded_at = models.DateTimeField("déposée le", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "feuille d'émargement"
        verbose_name_plural = "feuilles d'émargement"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class OneTimeCode(models.Model):
    """The e-mailed « code de vérification » of certification 2.

    Only an HMAC of the code is stored. A code is bound to its user, its certificate and
    the SHA-256 of the version being certified; it is used once (``used_at``) or voided
    (``voided_at`` and why). See ``certificates/codes.py`` for its rules.
    """

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="one_time_codes", null=True
    )
    # « Certifier en lot »: one code for the batch's months, bound to its manifest's SHA-256
    batch = models.ForeignKey(
        "certificates.CertificationBatch",
        on_delete=models.PROTECT,
        related_name="one_time_codes",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code_hmac = models.CharField("HMAC du code", max_length=64)
    version_sha256 = models.CharField("empreinte SHA-256 de la version certifiée", max_length=64)
    sent_to = models.EmailField("envoyé à")
    created_at = models.DateTimeField("envoyé le", default=timezone.now)
    expires_at = models.DateTimeField("valable jusqu'au")
    attempts = models.PositiveSmallIntegerField("essais erronés", default=0)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    voided_at = models.DateTimeField("annulé le", null=True, blank=True)
    void_reason = models.CharField(
        "motif d'annulation", max_length=20, choices=CodeVoidReason.choices, blank=True
    )

    class Meta:
        verbose_name = "code de vérification"
        verbose_name_plural = "codes de vérification"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["certificate", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate__isnull=False, batch__isnull=True)
                | Q(certificate__isnull=True, batch__isnull=False),
                name="code_for_a_month_or_a_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate or self.batch} — code du {self.created_at:%d/%m/%Y %H:%M}"


class OnlineSuspension(models.Model):
    """A user's certification 2, suspended after too many wrong codes until an agent lifts it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="online_suspensions",
    )
    created_at = models.DateTimeField("suspendu le", default=timezone.now)
    reason = models.CharField("motif", max_length=200)
    lifted_at = models.DateTimeField("levée le", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="levée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "suspension de la certification en ligne"
        verbose_name_plural = "suspensions de la certification en ligne"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — suspendu le {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class BeneficiaryResponse(models.Model):
    """« Valider les heures » or « Contester » by the beneficiary, with when and from where."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="beneficiary_responses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("réponse", max_length=20, choices=BeneficiaryDecision.choices)
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)

    class Meta:
        verbose_name = "réponse du bénéficiaire"
        verbose_name_plural = "réponses du bénéficiaire"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.certificate} — {self.get_decision_display()}"


# The months' summary and its counts (read by the funder's lists) and « Certifier en lot »:
# modules of their own.
from realisa.certificates.batch_models import BatchLine as BatchLine  # noqa: E402
from realisa.certificates.batch_models import (  # noqa: E402
    CertificationBatch as CertificationBatch,
)
from realisa.certificates.summary_models import KIND as KIND  # noqa: E402
from realisa.certificates.summary_models import MonthCount as MonthCount  # noqa: E402
from realisa.certificates.summary_models import MonthSummary as MonthSummary  # noqa: E402
