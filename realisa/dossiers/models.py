from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse

from realisa.choices import ActionNature, Civility, PlanOwner
from realisa.dossiers.periods import MonthPeriod, training_months
from realisa.dossiers.planning import DayPlan
from realisa.dossiers.visibility import beneficiary_scope, dossier_scope, employer_scope
from realisa.lib.french import french_date
from realisa.lib.retention import Kept, deadline_of, retention_deadline
from realisa.lib.validators import validate_siret

CIVILITIES = dict(Civility.choices)

DAY_MINUTES = 24 * 60


class EmployerQuerySet(models.QuerySet["Employer"]):
    def visible_to(self, user: Any) -> EmployerQuerySet:
        return self.filter(employer_scope(user, Dossier.objects.all()))


class Employer(models.Model):
    """The beneficiary's employer, on the dossiers where there is one (« si concerné »)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    email = models.EmailField("adresse e-mail", blank=True)
    city = models.CharField("ville", max_length=100, blank=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BeneficiaryQuerySet(models.QuerySet["Beneficiary"]):
    def visible_to(self, user: Any) -> BeneficiaryQuerySet:
        return self.filter(beneficiary_scope(user, Dossier.objects.all()))


class Beneficiary(models.Model):
    """The trainee: an employee on a professional transition project."""

    funder_reference = models.CharField(
        "identifiant du financeur",
        max_length=40,
        blank=True,
        help_text="L'identifiant du bénéficiaire dans le système d'instruction du financeur : "
        "l'import et l'API le retrouvent par lui, jamais par son adresse e-mail.",
    )
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("adresse e-mail", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beneficiary",
    )

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "bénéficiaire"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["funder_reference"],
                condition=~Q(funder_reference=""),
                name="one_beneficiary_per_funder_reference",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def formal_name(self) -> str:
        """« Mme Julie MARTIN », as the certificate names the beneficiary."""
        return formal_name(self.civility, self.first_name, self.last_name)

    @property
    def is_feminine(self) -> bool:
        """« Mme »: the words about her agree (« votre salariée », « prévenue »)."""
        return self.civility == Civility.MME


def short_dates(start: date, end: date) -> str:
    """« du 05/01/2026 au 26/06/2026 », for tables: by its numbers, three times faster than
    strftime, which the busiest lists call on every row."""
    return (
        f"du {start.day:02}/{start.month:02}/{start.year} au {end.day:02}/{end.month:02}/{end.year}"
    )


def formal_name(civility: str, first_name: str, last_name: str) -> str:
    """« Mme Julie MARTIN », from the beneficiary's columns (for rows read as values)."""
    return f"{CIVILITIES.get(civility, civility)} {first_name} {last_name.upper()}"


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, user: Any) -> DossierQuerySet:
        return self.filter(dossier_scope(user))


class Dossier(models.Model):
    """One financed training of one beneficiary at one organisation."""

    number = models.CharField("numéro de dossier", max_length=30, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisme de formation",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name="bénéficiaire", on_delete=models.PROTECT, related_name="dossiers"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    training_title = models.CharField("intitulé de l'action", max_length=300)
    action_nature = models.CharField(
        "nature de l'action",
        max_length=20,
        choices=ActionNature.choices,
        default=ActionNature.TRAINING,
    )
    start_date = models.DateField("début de la formation")
    end_date = models.DateField("fin de la formation")
    planned_minutes = models.PositiveIntegerField("durée prévue (minutes)", default=0)
    is_paperless = models.BooleanField(
        "dossier dématérialisé",
        default=False,
        help_text="Le calendrier prévisionnel a été saisi en ligne.",
    )
    plan_owner = models.CharField(
        "calendrier prévisionnel saisi par",
        max_length=20,
        choices=PlanOwner.choices,
        default=PlanOwner.ORGANISATION,
        help_text="Le financeur, quand son système d'instruction fournit le calendrier : "
        "l'organisme le lit sans le modifier.",
    )
    ended_on = models.DateField(
        "fin anticipée le",
        null=True,
        blank=True,
        help_text="Le dernier jour de formation quand elle s'arrête avant sa fin prévue "
        "(abandon, embauche…) : les mois suivants disparaissent, sauf s'ils ont des heures.",
    )
    end_reason = models.CharField("motif de la fin anticipée", max_length=300, blank=True)
    european_cofunding = models.BooleanField(
        "cofinancement européen (FSE+)",
        default=False,
        help_text="Cofinancé par le FSE+ : ses pièces sont conservées 10 ans.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-start_date", "number"]
        # « Mes dossiers » reads its page in this order: from the index rather than by
        # sorting all the organisation's dossiers, and all of them for the funder's agents.
        indexes = [
            models.Index(fields=["organisation", "-start_date", "number"], name="dossier_list_of"),
            models.Index(fields=["-start_date", "number"], name="dossier_list"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="dossier_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        """The dossier's months (« Certificats de réalisation »), where its lists lead."""
        return reverse("certificates:dossier", args=[self.number])

    @property
    def dates(self) -> str:
        """« du 05/01/2026 au 26/06/2026 », for tables."""
        return short_dates(self.start_date, self.end_date)

    @property
    def dates_in_words(self) -> str:
        """« du 5 janvier 2026 au 26 juin 2026 »."""
        return f"du {french_date(self.start_date)} au {french_date(self.end_date)}"

    @property
    def last_day(self) -> date:
        """The training's last day: its planned end, or the early end before it."""
        if self.ended_on is not None and self.ended_on < self.end_date:
            return self.ended_on
        return self.end_date

    def months(self, held: Collection[date] = ()) -> list[MonthPeriod]:
        """The training's months up to its last day; after an early end, the months
        beyond it whose hours are ``held`` (entered or certified before) stay too."""
        months = training_months(self.start_date, self.last_day)
        if self.last_day < self.end_date and held:
            after = self.last_day.replace(day=1)
            months += [
                period
                for period in training_months(self.start_date, self.end_date)
                if period.month > after and period.month in held
            ]
        return months

    def evidence_kept_until(self) -> date | None:
        """The last day the dossier's certification evidence must be kept; None while it
        has no payment (then it is kept, whatever its age). See ``audit.retention``."""
        last = self.payments.aggregate(last=Max("paid_on"))["last"]
        if last is None:
            return None
        return retention_deadline(last, settings.EVIDENCE_RETENTION_YEARS)

    def files_kept_until(self) -> tuple[date, date] | None:
        """The last day its certificates, then its supporting documents (signed scans,
        attendance sheets), must be kept (``lib.retention``); None while it has no payment."""
        last = self.payments.aggregate(last=Max("paid_on"))["last"]
        european = self.european_cofunding
        certificates = deadline_of(last, Kept.CERTIFICATE, european=european)
        supporting = deadline_of(last, Kept.SUPPORTING, european=european)
        return (certificates, supporting) if certificates and supporting else None


class InterruptionQuerySet(models.QuerySet["Interruption"]):
    def visible_to(self, user: Any) -> InterruptionQuerySet:
        return self.filter(dossier_scope(user, "dossier__"))


class Interruption(models.Model):
    """A period the training stops and then resumes (sick leave, maternity leave…): the
    months it covers whole show « Formation interrompue » and open no entry."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="interruptions")
    start = models.DateField("interrompue du")
    end = models.DateField("au")
    reason = models.CharField("motif", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterruptionQuerySet.as_manager()

    class Meta:
        verbose_name = "interruption de la formation"
        verbose_name_plural = "interruptions de la formation"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="interruption_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


class PlannedDayQuerySet(models.QuerySet["PlannedDay"]):
    def visible_to(self, user: Any) -> PlannedDayQuerySet:
        return self.filter(dossier_scope(user, "dossier__"))

    def add(self, dossier: Dossier, days: Mapping[date, DayPlan]) -> None:
        """Create ``dossier``'s planned days from a plan (``dossiers.planning``)."""
        self.bulk_create(
            PlannedDay(
                dossier=dossier,
                date=day,
                centre_minutes=plan.centre_minutes,
                internship_minutes=plan.internship_minutes,
            )
            for day, plan in sorted(days.items())
        )


class PlannedDay(models.Model):
    """One day of the planned calendar (calendrier prévisionnel)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="planned_days")
    date = models.DateField("jour")
    centre_minutes = models.PositiveIntegerField("heures en centre (minutes)", default=0)
    internship_minutes = models.PositiveIntegerField("heures en stage (minutes)", default=0)

    objects = PlannedDayQuerySet.as_manager()

    class Meta:
        verbose_name = "jour du calendrier prévisionnel"
        verbose_name_plural = "calendrier prévisionnel"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "date"], name="one_planned_day_per_date"),
            models.CheckConstraint(
                condition=Q(centre_minutes__lte=DAY_MINUTES - F("internship_minutes")),
                name="planned_day_within_24_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.date:%d/%m/%Y}"

    @property
    def total_minutes(self) -> int:
        return self.centre_minutes + self.internship_minutes


class PaymentQuerySet(models.QuerySet["Payment"]):
    def visible_to(self, user: Any) -> PaymentQuerySet:
        return self.filter(dossier_scope(user, "dossier__"))


class Payment(models.Model):
    """A payment (règlement) on a dossier for a period. Unless it is an advance,
    it locks the entry of the months it covers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    period_start = models.DateField("période du")
    period_end = models.DateField("période au")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("date du règlement")
    is_advance = models.BooleanField("avance", default=False)
    external_reference = models.CharField(
        "référence du paiement",
        max_length=60,
        blank=True,
        help_text="La référence du règlement dans le système de paiement du financeur : "
        "l'API et l'import mettent à jour le règlement qui la porte.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = "règlement"
        ordering = ["period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="payment_period_in_order"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["external_reference"],
                condition=~Q(external_reference=""),
                name="one_payment_per_external_reference",
            ),
        ]

    def __str__(self) -> str:
        kind = "Avance" if self.is_advance else "Règlement"
        return (
            f"{kind} {self.dossier} du {self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"
        )
