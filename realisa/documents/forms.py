from __future__ import annotations

from typing import Any

from django import forms
from PIL import Image

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

    photo = forms.FileField(
        label="Ou une photo de son code QR",
        help_text=(
            "Une photo ou une capture du certificat imprimé (PNG ou JPEG, 10 Mo au plus) : "
            "le code QR porte les heures signées par le portail."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def clean_photo(self) -> Any:
        """The photo, decoded: a PNG or a JPEG by its content, whatever its name."""
        uploaded = self.cleaned_data.get("photo")
        if not uploaded:
            return None
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("L'image dépasse 10 Mo.")
        try:
            image = Image.open(uploaded)
            if image.format not in ("PNG", "JPEG"):
                raise forms.ValidationError("Cette image n'est ni un PNG ni un JPEG.")
            image.load()
        except (OSError, Image.DecompressionBombError) as error:
            raise forms.ValidationError("Ce fichier n'est pas une image lisible.") from error
        return image

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
        given = [cleaned.get(name) for name in ("reference", "file", "photo")]
        if not any(given) and not self.errors:
            raise forms.ValidationError(
                "Saisissez la référence du certificat, ou déposez son fichier PDF ou une "
                "photo de son code QR."
            )
        return cleaned
