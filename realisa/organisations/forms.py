from __future__ import annotations

from typing import Any

from django import forms

from realisa.lib.uploads import ImageField, PdfField
from realisa.organisations.models import CertifierDocument, Organisation


class IdentityForm(forms.Form):
    """« Votre identité »: what the admin types and the files they add."""

    legal_representative = forms.CharField(label="Nom du représentant légal", max_length=200)
    legal_representative_title = forms.CharField(
        label="Qualité du représentant légal",
        max_length=100,
        required=False,
        help_text="Par exemple : Directrice, Gérant. Elle figure sous la signature.",
    )
    logo = ImageField(label="Logo de votre organisme", required=False, help_text="PNG ou JPEG.")
    stamp = ImageField(
        label="Cachet",
        required=False,
        help_text="PNG ou JPEG. Nécessaire pour la certification 100 % dématérialisée.",
    )
    is_certifier = forms.BooleanField(label="Je suis certificateur", required=False)
    kbis = PdfField(label="Extrait KBIS", required=False, help_text="PDF.")
    consent_letter = PdfField(label="Lettre de consentement", required=False, help_text="PDF.")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "legal_representative": organisation.legal_representative,
                "legal_representative_title": organisation.legal_representative_title,
                "is_certifier": organisation.is_certifier,
            },
        )
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["logo"].required = not organisation.logo
        self.fields["logo"].error_messages["required"] = "Ajoutez le logo de votre organisme."

    def documents(self) -> dict[str, Any]:
        """The certifier documents added in this submission, by kind."""
        return {
            kind: self.cleaned_data[kind]
            for kind in CertifierDocument.Kind.values
            if self.cleaned_data.get(kind)
        }


class ReviewForm(forms.Form):
    """The agent's decision on one document: « Conforme », or « Non conforme » with a reason."""

    decision = forms.ChoiceField(
        choices=[("compliant", "Conforme"), ("non_compliant", "Non conforme")]
    )
    refusal_reason = forms.CharField(
        label="Motif du refus", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # The stored name of the file the agent looked at: random for each upload, so a
    # document replaced meanwhile is never marked conforme unseen.
    seen_file = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "non_compliant" and not data.get("refusal_reason", "").strip():
            self.add_error(
                "refusal_reason", "Indiquez le motif du refus : l'organisme le recevra par e-mail."
            )
        return data
