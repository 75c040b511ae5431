from django import forms

from realisa.lib.uploads import PdfOrImageField


class SignedScanForm(forms.Form):
    signed_scan = PdfOrImageField(
        label="Certificat signé (PDF, PNG ou JPEG)",
        help_text="Le certificat imprimé, signé et numérisé.",
    )


class AttendanceSheetForm(forms.Form):
    sheet = PdfOrImageField(
        label="Feuille d'émargement (PDF, PNG ou JPEG)",
        help_text="Facultatif : les attestations de présence originales.",
    )
