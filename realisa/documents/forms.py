from __future__ import annotations

from typing import Any

from django import forms

# A certificate is a one-page PDF of some tens of kilobytes; a signed one stays far below.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class VerificationForm(forms.Form):
    """The public check: a reference, or a PDF whose exact bytes are looked up."""

    reference = forms.CharField(
        label="Référence du certificat",
        help_text="Imprimée sous le QR code, par exemple RC-7K4M-9QX2-HP3D.",
        max_length=40,
        required=False,
    )
    file = forms.FileField(
        label="Ou le fichier PDF du certificat",
        help_text="Le fichier reçu ou téléchargé, tel quel (10 Mo au plus).",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo : ce n'est pas un certificat.")
        if uploaded.read(5) != b"%PDF-":
            raise forms.ValidationError("Ce fichier n'est pas un PDF.")
        uploaded.seek(0)
        return uploaded

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("reference") and not cleaned.get("file") and not self.errors:
            raise forms.ValidationError(
                "Saisissez la référence du certificat ou déposez son fichier PDF."
            )
        return cleaned
