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
from realisa.certificates.rules import (
    GAP_REASON_MAX_LENGTH,
    DayHours,
    Hours,
    day_gap_note,
    sum_hours,
)
from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes, parse_hours

DAYS_PREFIX = "jours"
GAP_REASON_TOO_LONG = f"Le motif de l'écart tient en {GAP_REASON_MAX_LENGTH} caractères au plus."
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
    zero_hours_confirmed = forms.BooleanField(
        required=False, label="Je certifie zéro heure pour ce mois"
    )
    gap_reason = forms.CharField(
        required=False,
        max_length=GAP_REASON_MAX_LENGTH,
        label="Motif de l'écart",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
        error_messages={"max_length": GAP_REASON_TOO_LONG},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NewDayForm(forms.Form):
    """« Ajouter un jour »: a day of the month within the training, outside the grid."""

    new_day = forms.DateField(
        label="Date du jour à ajouter",
        error_messages={
            "required": "Choisissez la date du jour à ajouter.",
            "invalid": "Saisissez une date valide, par exemple 07/03/2026.",
        },
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


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

    planned_count = 0  # every planned day of the month is a row: fewer rows were forged

    def clean(self) -> None:
        sent = self.management_form.cleaned_data.get(TOTAL_FORM_COUNT) or 0
        if not self.planned_count <= sent <= MAX_DAYS or sent < 0:
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


def _lenient(values: list[Any]) -> Hours:
    """Three typed durations as the window's sums read them: what cannot be read counts 0."""
    minutes = []
    for value in values:
        try:
            minutes.append(parse_hours(str(value or ""), max_minutes=31 * DAY_MAX_MINUTES))
        except ValidationError:
            minutes.append(0)
    return Hours(*minutes)


class EntryForms:
    """The totals form and, with a day grid, the days formset, handled as one."""

    def __init__(
        self,
        form: HoursEntryForm,
        days: BaseFormSet[DayForm] | None,
        plan: MonthPlan,
        new_day: NewDayForm | None = None,
    ) -> None:
        self.form, self.days, self.plan = form, days, plan
        self.new_day = new_day or NewDayForm()
        if days is not None:
            days.planned_count = len(plan.planned)  # type: ignore[attr-defined]

    @classmethod
    def shown(cls, plan: MonthPlan, certificate: Certificate | None) -> EntryForms:
        """What the window shows: the stored hours, or empty boxes for a first entry."""
        initial: dict[str, Any] = {"version": certificate.version if certificate else 0}
        rows: dict[date, dict[str, str]] = {}
        if certificate is not None:
            initial |= _hours_initial(certificate_hours(certificate))
            initial |= {
                "gap_reason": certificate.gap_reason,
                "zero_hours_confirmed": certificate.zero_hours_confirmed,
            }
            rows = {
                d.date: _hours_initial(
                    Hours(d.centre_minutes, d.internship_minutes, d.absence_minutes)
                )
                for d in certificate.days.all()
            }
        return cls._unbound(plan, initial, rows)

    @classmethod
    def retyped(cls, data: Any, plan: MonthPlan, *, action: str) -> EntryForms:
        """What was typed, unvalidated, after one of the window's buttons: ``load_calendar``
        copies each day's planned hours into its presence boxes (the absence typed is
        kept), ``add_day`` adds the chosen day's row, ``remove_day:<date>`` removes a day
        added outside the plan."""
        initial = {name: data.get(name, "") for name in (*HOUR_FIELDS, "version", "gap_reason")}
        for name in ("certifies_entry", "accepts_ip_use", "zero_hours_confirmed"):
            initial[name] = bool(data.get(name))
        rows = _typed_rows(data)
        if action == "load_calendar":
            for day, planned in plan.planned.items():
                absence = rows.get(day, {}).get("absence", "")
                rows[day] = _hours_initial(planned) | {"absence": absence}
        if action.startswith("remove_day:"):
            removed = action.removeprefix("remove_day:")
            rows = {d: r for d, r in rows.items() if d.isoformat() != removed or d in plan.planned}
        new_day = NewDayForm(data) if action == "add_day" else None
        if new_day is not None and _check_new_day(new_day, plan, rows):
            rows.setdefault(new_day.cleaned_data["new_day"], {})
            new_day = None  # added: the date box is empty again
        forms = cls._unbound(plan, initial, rows)
        forms.new_day = new_day or forms.new_day
        return forms

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
            dates = sorted(set(plan.planned) | {d for d in rows if plan.period.contains(d)})
            days = DayFormSet(
                prefix=DAYS_PREFIX, initial=[{"date": day, **rows.get(day, {})} for day in dates]
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
            gap_reason=data["gap_reason"],
            zero_hours_confirmed=data["zero_hours_confirmed"],
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
        """Each day's form with its plan, its three boxes and how far above its plan it is."""
        if self.days is None:
            return []
        rows = []
        for f in self.days.forms:
            planned = self.plan.planned.get(f.day) if f.day else None
            note = day_gap_note(_row_hours(f), planned.presence if planned else 0)
            rows.append(
                {
                    "form": f,
                    "planned": planned,
                    "added": planned is None,
                    "above": note,
                    "fields": [f[name] for name in HOUR_FIELDS],
                }
            )
        return rows

    def typed_hours(self) -> Hours:
        """The month's hours as typed (what cannot be read counts 0): the grid's sums, or
        the three totals."""
        if self.days is not None:
            return sum_hours([DayHours(date.min, _row_hours(f)) for f in self.days.forms])
        return _lenient([self.form[name].value() for name in HOUR_FIELDS])

    def totals(self) -> Hours | None:
        """The sums of the day grid as typed, or None without a grid."""
        return self.typed_hours() if self.days is not None else None

    def summary(self) -> list[tuple[str, str]]:
        """Each problem of the window, with the id of the box it stands next to."""
        problems = [("", str(e)) for e in self.form.non_field_errors()]
        if self.days is not None:
            problems += [("grille-jours", str(e)) for e in self.days.non_form_errors()]
            for f in self.days.forms:
                label = f"{f.day:%d/%m/%Y}" if f.day else "Jour inconnu"
                problems += [(f[HOUR_FIELDS[0]].auto_id, f"{label} : {e}") for e in _errors(f)]
        for name, field in self.form.fields.items():
            problems += [(f"id_{name}", f"{field.label} : {e}") for e in self.form[name].errors]
        problems += [
            ("id_new_day", f"{NewDayForm.base_fields['new_day'].label} : {e}")
            for e in self.new_day["new_day"].errors
        ]
        return problems


def _errors(day_form: DayForm) -> list[str]:
    return [str(e) for errors in day_form.errors.values() for e in errors]


def _typed_rows(data: Any) -> dict[date, dict[str, str]]:
    typed = DayFormSet(data, prefix=DAYS_PREFIX)
    rows: dict[date, dict[str, str]] = {}
    for day_form in typed.forms if typed.management_form.is_valid() else []:
        if day_form.day is not None:
            rows[day_form.day] = {f: str(day_form[f].value() or "") for f in HOUR_FIELDS}
    return rows


def _check_new_day(form: NewDayForm, plan: MonthPlan, rows: dict[date, Any]) -> bool:
    """The day chosen with « Ajouter un jour » is one the grid may take; else say why."""
    if not form.is_valid():
        return False
    day, period = form.cleaned_data["new_day"], plan.period
    if not period.contains(day):
        form.add_error(
            "new_day",
            f"Choisissez un jour du {period.first_day:%d/%m/%Y} au {period.last_day:%d/%m/%Y} "
            "(le mois, pendant la formation).",
        )
    elif day in rows or day in plan.planned:
        form.add_error("new_day", f"Le {day:%d/%m/%Y} figure déjà dans le tableau.")
    return not form.errors


def _row_hours(day_form: DayForm) -> Hours:
    return _lenient([day_form[name].value() for name in HOUR_FIELDS])
