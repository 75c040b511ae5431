"""The two forms of « Importer des heures »: the file to preview, then the import page's
two boxes, ticked once for the whole file (``hours_import``)."""

from __future__ import annotations

from typing import Any

from django import forms

from realisa.certificates.entry import HoursEntry, box_errors
from realisa.certificates.hours_import import Boxes
from realisa.certificates.rules import Hours
from realisa.lib.uploads import TableFileForm


class HoursFileForm(TableFileForm):
    """1 Mo at most (``TableFileForm``): the previewed file travels back signed in a form
    field, under Django's 2.5 Mo limit of a request's fields; a daily file of 10,000 lines
    takes about 400 Ko."""

    file = forms.FileField(
        label="Fichier des heures (CSV ou XLSX)",
        help_text="Les colonnes d'un des deux modèles, dans n'importe quel ordre (1 Mo au plus).",
    )


class ImportBoxesForm(forms.Form):
    """« Je certifie la saisie des heures », and « J'accepte que mon adresse IP soit
    utilisée » (required of a person who may certify online, as in the entry window)."""

    certifies_entry = forms.BooleanField(required=False, label="Je certifie la saisie des heures")
    accepts_ip_use = forms.BooleanField(
        required=False, label="J'accepte que mon adresse IP soit utilisée"
    )

    def __init__(self, *args: Any, ip_consent_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.ip_consent_required = ip_consent_required

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entry = HoursEntry(
            hours=Hours(),
            certifies_entry=bool(data.get("certifies_entry")),
            accepts_ip_use=bool(data.get("accepts_ip_use")),
        )
        for name, message in box_errors(
            entry, ip_consent_required=self.ip_consent_required
        ).items():
            self.add_error(name, message)
        return data

    def boxes(self) -> Boxes:
        return Boxes(self.cleaned_data["certifies_entry"], self.cleaned_data["accepts_ip_use"])
