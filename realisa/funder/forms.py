"""The funder's forms: dashboard filters, payment, CSV import, reopening, validation in
the beneficiary's stead, transmission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from realisa.funder.month_overview import DASHBOARD_STATUSES
from realisa.funder.payment_import import parse_amount
from realisa.funder.payments import PaymentData, PaymentRefused
from realisa.organisations.models import Organisation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """« AAAA-MM » (``<input type="month">``), cleaned to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> date | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except (ValueError, OverflowError):  # « 2147483648-01 »: past what a date holds
            raise ValidationError("Indiquez un mois au format AAAA-MM.") from None


class AmountField(forms.CharField):
    """A euro amount as agents type it: « 1 500,00 », « 1500.5 », « 1 500 € »."""

    def clean(self, value: Any) -> Decimal:
        text = str(super().clean(value) or "")
        try:
            return parse_amount(text)
        except PaymentRefused as error:
            raise ValidationError(error.message) from None


class DashboardFilter(forms.Form):
    mois = MonthField(label="Mois", required=False)
    organisme = forms.ModelChoiceField(
        label="Organisme",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Tous les organismes",
    )
    statut = forms.ChoiceField(
        label="Statut",
        choices=[("", "Tous les statuts")] + [(s.value, s.label) for s in DASHBOARD_STATUSES],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class PaymentForm(forms.Form):
    period_start = forms.DateField(label="Période du", widget=DATE_INPUT)
    period_end = forms.DateField(label="Période au", widget=DATE_INPUT)
    amount = AmountField(label="Montant (€)", help_text="Par exemple : 1 500,00")
    paid_on = forms.DateField(label="Date du règlement", widget=DATE_INPUT)
    is_advance = forms.BooleanField(label="Avance (ne verrouille pas la saisie)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def payment_data(self) -> PaymentData:
        data = self.cleaned_data
        return PaymentData(
            data["period_start"],
            data["period_end"],
            data["amount"],
            data["paid_on"],
            data["is_advance"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des règlements",
        help_text="Colonnes : dossier;debut;fin;montant;date;avance (2 Mo au plus).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 2 Mo : découpez-le.")
        return bytes(upload.read())


class AgentValidationForm(forms.Form):
    """« Valider à la place du bénéficiaire »: the reason is required and kept."""

    reason = forms.CharField(
        label="Motif de la validation (obligatoire)",
        help_text="Par exemple : le bénéficiaire a confirmé ses heures par téléphone le …",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": "Indiquez le motif de la validation.",
            "max_length": "Le motif tient en 1 000 caractères au plus.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la réouverture (obligatoire)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Indiquez le motif de la réouverture."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class DossierImportForm(forms.Form):
    """The export of the funder's instruction system (``dossier_import``)."""

    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label="Fichier des dossiers (CSV ou XLSX)",
        help_text="Les colonnes du modèle, dans n'importe quel ordre (1 Mo au plus).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("Le fichier dépasse 1 Mo : découpez-le.")
        return bytes(upload.read())


class EarlyEndForm(forms.Form):
    """« Fin anticipée » of a dossier (``dossier_life.end_early``)."""

    prefix = "fin"
    on = forms.DateField(label="Dernier jour de formation", widget=DATE_INPUT)
    reason = forms.CharField(
        label="Motif", max_length=300, help_text="Par exemple : abandon, embauche."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class InterruptionForm(forms.Form):
    """An interruption of the training (``dossier_life.interrupt``)."""

    prefix = "interruption"
    start = forms.DateField(label="Interrompue du", widget=DATE_INPUT)
    end = forms.DateField(label="au (inclus)", widget=DATE_INPUT)
    reason = forms.CharField(
        label="Motif", max_length=300, help_text="Par exemple : arrêt maladie, congé maternité."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
