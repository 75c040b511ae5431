"""The funder's forms: dashboard filters, payment, CSV import, reopening, validation in
the beneficiary's stead, transmission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from realisa.choices import ActionNature, Civility, PlanOwner
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import DossierData
from realisa.funder.payment_import import parse_amount
from realisa.funder.payments import PaymentData, PaymentRefused
from realisa.lib.hours import format_minutes, parse_hours
from realisa.lib.uploads import TableFileForm
from realisa.lib.validators import validate_siret

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


class CancelForm(forms.Form):
    """« Annuler la transmission »: the reason is required and kept."""

    reason = forms.CharField(
        label="Motif de l'annulation (obligatoire)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Indiquez le motif de l'annulation."},
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
    # The months the agent was warned about and confirmed (``payment_effects.Unsettled.key``,
    # comma-separated): a confirmation holds only for the months it was shown.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.warning = ""

    def ask_confirmation(self, warning: str, keys: str) -> None:
        """Show ``warning`` and post ``keys`` back with « Enregistrer quand même »."""
        self.warning = warning
        # each field's one value (``**`` would copy a QueryDict's lists of values)
        typed = {name: self.data.get(name) for name in self.data}
        self.data = {**typed, "confirmed": keys}

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


class DossierImportForm(TableFileForm):
    """The export of the funder's instruction system (``dossier_import``)."""

    file = forms.FileField(
        label="Fichier des dossiers (CSV ou XLSX)",
        help_text="Les colonnes du modèle, dans n'importe quel ordre (1 Mo au plus).",
    )


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


class DossierForm(forms.Form):
    """« Modifier le dossier »: what the funder's instruction system would send, typed by an
    agent (``dossier_edit_views``); checked and written as an imported line is."""

    training_title = forms.CharField(label="Intitulé de la formation", max_length=300)
    action_nature = forms.ChoiceField(label="Nature de l'action", choices=ActionNature.choices)
    start_date = forms.DateField(label="Début de la formation", widget=DATE_INPUT)
    end_date = forms.DateField(label="Fin de la formation", widget=DATE_INPUT)
    planned_hours = forms.CharField(label="Heures prévues", help_text="Par exemple : 700 ou 700,5")
    is_paperless = forms.BooleanField(label="Dossier dématérialisé", required=False)
    european_cofunding = forms.BooleanField(
        label="Cofinancement européen (FSE+)",
        required=False,
        help_text="Ses pièces sont alors conservées 10 ans après l'année du dernier règlement.",
    )
    plan_owner = forms.ChoiceField(
        label="Calendrier prévisionnel saisi par", choices=PlanOwner.choices
    )
    beneficiary_reference = forms.CharField(
        label="Identifiant du bénéficiaire",
        max_length=40,
        required=False,
        help_text="Celui de votre système d'instruction : l'import et l'API le retrouvent par lui.",
    )
    civility = forms.ChoiceField(label="Civilité", choices=Civility.choices)
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    beneficiary_email = forms.EmailField(label="E-mail du bénéficiaire", required=False)
    employer_siret = forms.CharField(label="SIRET de l'employeur", max_length=20, required=False)
    employer_name = forms.CharField(
        label="Raison sociale de l'employeur", max_length=200, required=False
    )
    employer_email = forms.EmailField(label="E-mail de l'employeur", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_planned_hours(self) -> int:
        return parse_hours(self.cleaned_data["planned_hours"], max_minutes=10_000 * 60)

    def clean_employer_siret(self) -> str:
        text = self.cleaned_data["employer_siret"].replace(" ", "")
        if text:
            validate_siret(text)
        return str(text)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La date de fin précède la date de début.")
        if bool(data.get("employer_siret")) != bool(data.get("employer_name")):
            self.add_error(
                "employer_name", "Le SIRET et la raison sociale de l'employeur vont ensemble."
            )
        return data

    GROUPS = [
        (
            "Formation",
            "training_title action_nature start_date end_date planned_hours is_paperless "
            "european_cofunding plan_owner",
        ),
        ("Bénéficiaire", "beneficiary_reference civility first_name last_name beneficiary_email"),
        ("Employeur (si concerné)", "employer_siret employer_name employer_email"),
    ]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields by fieldset, for the page."""
        return [(legend, [self[name] for name in names.split()]) for legend, names in self.GROUPS]

    @classmethod
    def initial_of(cls, dossier: Dossier) -> dict[str, Any]:
        beneficiary, employer = dossier.beneficiary, dossier.employer
        return {
            "training_title": dossier.training_title,
            "action_nature": dossier.action_nature,
            "start_date": dossier.start_date,
            "end_date": dossier.end_date,
            "planned_hours": format_minutes(dossier.planned_minutes),
            "is_paperless": dossier.is_paperless,
            "european_cofunding": dossier.european_cofunding,
            "plan_owner": dossier.plan_owner,
            "beneficiary_reference": beneficiary.funder_reference,
            "civility": beneficiary.civility,
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "beneficiary_email": beneficiary.email,
            "employer_siret": employer.siret if employer else "",
            "employer_name": employer.name if employer else "",
            "employer_email": employer.email if employer else "",
        }

    def data_of(self, dossier: Dossier) -> DossierData:
        data = self.cleaned_data
        organisation = dossier.organisation
        return DossierData(
            number=dossier.number,
            beneficiary_reference=data["beneficiary_reference"].strip(),
            organisation_siret=organisation.siret,
            organisation_name=organisation.name,
            organisation_email=organisation.email,
            civility=data["civility"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            beneficiary_email=data["beneficiary_email"],
            employer_siret=data["employer_siret"],
            employer_name=data["employer_name"].strip(),
            employer_email=data["employer_email"],
            training_title=data["training_title"].strip(),
            action_nature=data["action_nature"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            planned_minutes=data["planned_hours"],
            is_paperless=data["is_paperless"],
            european_cofunding=data["european_cofunding"],
        )
