"""``LongSelect`` draws the same select as Django's ``Select``, option for option: only the
way it is drawn differs (one pass instead of a template per option)."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from realisa.lib.widgets import LongSelect

CHOICES = [
    ("", "Tous les organismes"),
    (1, "Formapro Est"),
    (2, 'Centre « Horizon » & fils <SARL> "quoted"'),
    (3, "L'Atelier"),
]


@pytest.mark.parametrize("value", [None, "", 2, "3", 99])
@pytest.mark.parametrize("attrs", [None, {"id": "id_organisme", "class": "x", "required": True}])
def test_it_draws_what_django_draws(value: object, attrs: dict[str, object] | None) -> None:
    ours = LongSelect(choices=CHOICES).render("organisme", value, attrs)
    django = forms.Select(choices=CHOICES).render("organisme", value, attrs)
    assert parse_html(ours) == parse_html(django)
    assert "&lt;SARL&gt;" in ours and "<SARL>" not in ours


def test_a_filter_form_keeps_the_chosen_organisation() -> None:
    class Form(forms.Form):
        organisme = forms.ChoiceField(choices=CHOICES, widget=LongSelect, required=False)

    html = str(Form({"organisme": "2"})["organisme"])
    assert '<option value="2" selected>' in html
    assert html.count("<option") == len(CHOICES)
