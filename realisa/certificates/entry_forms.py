"""The entry window's forms: the month's totals, the boxes and, for a paperless dossier,
the day-by-day grid. They parse what was typed; ``entry.entry_errors`` says what breaks a rule."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.forms.formsets import TOTAL_FORM_COUNT

from realisa.certificates.entry import HoursEntry, day_key, entry_errors
from realisa.certificates.models import Certificate
from realisa.certificates.plan import MonthPlan, certificate_hours
from realisa.certificates.rules import DayHours, Hours, sum_hours
from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes, parse_hours

DAYS_PREFIX = "jours"
HOUR_FIELDS = ("centre", "internship", "absence")


class HoursField(forms.CharField):
    """A duration typed as people type it; its cleaned value is whole minutes."""

    def __init__(self, *, max_minutes: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.max_minutes = max_minutes
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": "6"})

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        if self.max_minutes is None:
            return parse_hours(text)
        return parse_hours(text, max_minutes=self.max_minutes)


class HoursEntryForm(forms.Form):
    centre = HoursField(label="Heures de présence en centre")
    internship = HoursField(label="Heures de présence en stage")
    absence = HoursField(label="Heures d'absence")
    certifies_entry = forms.BooleanField(required=False, label="Je certifie la saisie des heures")
    accepts_ip_use = forms.BooleanField(
        required=False, label="J'accepte que mon adresse IP soit utilisée"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DayForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    centre = HoursField(label="Présence en centre", max_minutes=DAY_MAX_MINUTES)
    internship = HoursField(label="Présence en stage", max_minutes=DAY_MAX_MINUTES)
    absence = HoursField(label="Absence", max_minutes=DAY_MAX_MINUTES)

    @property
    def day(self) -> datetime.date | None:
        try:
            return forms.DateField().to_python(self["date"].value())
        except ValidationError:
            return None


MAX_DAYS = 31
GRID_TAMPERED = (
    "Le tableau des jours envoyé est incomplet ou a été modifié : rechargez la page et "
    "saisissez à nouveau les heures."
)


class DayGrid(BaseFormSet[DayForm]):
    """The day grid as posted. Its hidden count of days must be one the page could have
    sent (1 to 31): a forged count (negative, zero, huge) would otherwise drop the days and
    save 0 h."""

    default_error_messages = {
        "missing_management_form": GRID_TAMPERED,
        "too_many_forms": GRID_TAMPERED,
        "too_few_forms": GRID_TAMPERED,
    }

    def clean(self) -> None:
        sent = self.management_form.cleaned_data.get(TOTAL_FORM_COUNT) or 0
        if not 1 <= sent <= MAX_DAYS:
            raise ValidationError(GRID_TAMPERED, code="tampered")


DayFormSet = formset_factory(
    DayForm,
    formset=DayGrid,
    extra=0,
    max_num=MAX_DAYS,
    absolute_max=MAX_DAYS,
    validate_max=True,
)


def _typed(minutes: int) -> str:
    return format_minutes(minutes) if minutes else ""


def _hours_initial(hours: Hours) -> dict[str, str]:
    return {
        "centre": _typed(hours.centre),
        "internship": _typed(hours.internship),
        "absence": _typed(hours.absence),
    }


class EntryForms:
    """The totals form and, with a day grid, the days formset, handled as one."""

    def __init__(
        self, form: HoursEntryForm, days: BaseFormSet[DayForm] | None, plan: MonthPlan
    ) -> None:
        self.form, self.days, self.plan = form, days, plan

    @classmethod
    def shown(cls, plan: MonthPlan, certificate: Certificate | None) -> EntryForms:
        """What the window shows: the stored hours, or empty boxes for a first entry."""
        initial: dict[str, Any] = {"version": certificate.version if certificate else 0}
        rows: dict[date, dict[str, str]] = {}
        if certificate is not None:
            initial |= _hours_initial(certificate_hours(certificate))
            rows = {
                d.date: _hours_initial(
                    Hours(d.centre_minutes, d.internship_minutes, d.absence_minutes)
                )
                for d in certificate.days.all()
            }
        return cls._unbound(plan, initial, rows)

    @classmethod
    def retyped(cls, data: Any, plan: MonthPlan, *, load_calendar: bool) -> EntryForms:
        """What was typed, unvalidated; with ``load_calendar`` each day's presence boxes
        take the planned hours (the absence typed is kept)."""
        initial = {name: data.get(name, "") for name in (*HOUR_FIELDS, "version")}
        initial["certifies_entry"] = bool(data.get("certifies_entry"))
        initial["accepts_ip_use"] = bool(data.get("accepts_ip_use"))
        typed = DayFormSet(data, prefix=DAYS_PREFIX)
        rows: dict[date, dict[str, str]] = {}
        for day_form in typed.forms if typed.management_form.is_valid() else []:
            if day_form.day is not None:
                rows[day_form.day] = {f: str(day_form[f].value() or "") for f in HOUR_FIELDS}
        if load_calendar:
            for day, planned in plan.planned.items():
                absence = rows.get(day, {}).get("absence", "")
                rows[day] = _hours_initial(planned) | {"absence": absence}
        return cls._unbound(plan, initial, rows)

    @classmethod
    def bound(cls, data: Any, plan: MonthPlan) -> EntryForms:
        days = DayFormSet(data, prefix=DAYS_PREFIX) if plan.uses_day_grid else None
        return cls(HoursEntryForm(data), days, plan)

    @classmethod
    def _unbound(
        cls, plan: MonthPlan, initial: dict[str, Any], rows: dict[date, dict[str, str]]
    ) -> EntryForms:
        days = None
        if plan.uses_day_grid:
            days = DayFormSet(
                prefix=DAYS_PREFIX,
                initial=[{"date": day, **rows.get(day, {})} for day in sorted(plan.planned)],
            )
        return cls(HoursEntryForm(initial=initial), days, plan)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return (self.days.is_valid() if self.days is not None else True) and valid

    def entry(self) -> HoursEntry:
        data = self.form.cleaned_data
        return HoursEntry(
            hours=Hours(data["centre"], data["internship"], data["absence"]),
            days=self._days() if self.days is not None else None,
            certifies_entry=data["certifies_entry"],
            accepts_ip_use=data["accepts_ip_use"],
        )

    def _days(self) -> list[DayHours]:
        if self.days is None:
            return []
        return [
            DayHours(f.cleaned_data["date"], Hours(*(f.cleaned_data[n] for n in HOUR_FIELDS)))
            for f in self.days.forms
            if f.cleaned_data
        ]

    def check_rules(self, *, ip_consent_required: bool) -> bool:
        """Add the rules' messages next to their fields; True when there is none."""
        errors = entry_errors(self.entry(), self.plan, ip_consent_required=ip_consent_required)
        self.add_errors(errors)
        return not errors

    def add_errors(self, errors: dict[str, str]) -> None:
        day_forms = {f.day: f for f in self.days.forms} if self.days is not None else {}
        for key, message in errors.items():
            day_form = next((f for d, f in day_forms.items() if d and day_key(d) == key), None)
            if day_form is not None:
                day_form.add_error(None, message)
            elif key in self.form.fields:
                self.form.add_error(key, message)
            else:
                self.form.add_error(None, message)

    @property
    def version(self) -> int:
        value = self.form["version"].value()
        try:
            return int(value)
        except (TypeError, ValueError):
            return -1

    def day_rows(self) -> list[dict[str, Any]]:
        """Each day's form with its plan and its three boxes, for the grid."""
        if self.days is None:
            return []
        return [
            {
                "form": f,
                "planned": self.plan.planned.get(f.day) if f.day else None,
                "fields": [f[name] for name in HOUR_FIELDS],
            }
            for f in self.days.forms
        ]

    def totals(self) -> Hours | None:
        """The sums of the day grid as typed (what cannot be read counts 0), or None."""
        if self.days is None:
            return None
        return sum_hours([DayHours(date.min, _row_hours(f)) for f in self.days.forms])


def _row_hours(day_form: DayForm) -> Hours:
    values = []
    for name in HOUR_FIELDS:
        try:
            values.append(
                parse_hours(str(day_form[name].value() or ""), max_minutes=DAY_MAX_MINUTES)
            )
        except ValidationError:
            values.append(0)
    return Hours(*values)
