from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître : par exemple le nom du logiciel qui l'utilise.",
    )
    expires_on = forms.DateField(
        label="Valable jusqu'au",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Au plus un an. Le jeton cesse de fonctionner à la fin de ce jour.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"expires_on": timezone.localdate() + timedelta(days=90)})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
