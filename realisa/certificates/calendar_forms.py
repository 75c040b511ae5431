"""The planned calendar's form: the hours of each weekday, and up to three periods that
depart from them (a closure, weeks in a company)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from realisa.certificates.entry_forms import HoursField
from realisa.dossiers.ical_plan import IcsReading, UnreadableCalendar, read_ics
from realisa.dossiers.models import Dossier
from realisa.dossiers.planning import DayPlan, ExceptionKind, PatternException, WeeklyPattern
from realisa.lib.french import WEEKDAYS
from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes

EXCEPTION_ROWS = 3
EXCEPTION_KINDS = [
    ("", "—"),
    (
        ExceptionKind.INTERNSHIP.value,
        "En entreprise (stage) : les heures du jour comptent en stage",
    ),
    (ExceptionKind.CLOSURE.value, "Fermeture : aucune heure ces jours-là"),
]


class PatternForm(forms.Form):
    """``centre_<n>`` and ``internship_<n>`` for each weekday (0 is Monday);
    ``from_<k>``, ``to_<k>`` and ``kind_<k>`` for each exception."""

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        for number, name in enumerate(WEEKDAYS):
            self.fields[f"centre_{number}"] = HoursField(
                label=f"En centre le {name}", max_minutes=DAY_MAX_MINUTES
            )
            self.fields[f"internship_{number}"] = HoursField(
                label=f"En stage le {name}", max_minutes=DAY_MAX_MINUTES
            )
        for row in range(EXCEPTION_ROWS):
            bounds = {
                "min": f"{dossier.start_date:%Y-%m-%d}",
                "max": f"{dossier.end_date:%Y-%m-%d}",
            }
            self.fields[f"from_{row}"] = forms.DateField(
                label=f"Période {row + 1} : du",
                required=False,
                widget=forms.DateInput(attrs={"type": "date", **bounds}, format="%Y-%m-%d"),
            )
            self.fields[f"to_{row}"] = forms.DateField(
                label=f"Période {row + 1} : au",
                required=False,
                widget=forms.DateInput(attrs={"type": "date", **bounds}, format="%Y-%m-%d"),
            )
            self.fields[f"kind_{row}"] = forms.ChoiceField(
                label=f"Période {row + 1} : nature", choices=EXCEPTION_KINDS, required=False
            )

    @staticmethod
    def initial_of(pattern: WeeklyPattern) -> dict[str, str]:
        """The form's values for ``pattern`` (an empty field for no hours)."""
        values = {}
        for number, plan in enumerate(pattern.weekdays):
            for name, minutes in (
                ("centre", plan.centre_minutes),
                ("internship", plan.internship_minutes),
            ):
                values[f"{name}_{number}"] = format_minutes(minutes) if minutes else ""
        return values

    def weekday_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each weekday's name and its two fields, centre then company."""
        return [
            (name, [self[f"centre_{number}"], self[f"internship_{number}"]])
            for number, name in enumerate(WEEKDAYS)
        ]

    def exception_rows(self) -> list[list[forms.BoundField]]:
        """Each exception's fields: from, to, kind."""
        return [
            [self[f"from_{k}"], self[f"to_{k}"], self[f"kind_{k}"]] for k in range(EXCEPTION_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"centre_{n}") or data.get(f"internship_{n}") for n in range(7)):
            raise forms.ValidationError(
                "Indiquez les heures d'au moins un jour de la semaine.", code="empty"
            )
        for row in range(EXCEPTION_ROWS):
            self._check_exception(row, data)
        return data

    def _check_exception(self, row: int, data: dict[str, Any]) -> None:
        first, last, kind = data.get(f"from_{row}"), data.get(f"to_{row}"), data.get(f"kind_{row}")
        if not (first or last or kind):
            return
        if not (first and last and kind):
            self.add_error(f"kind_{row}", "Indiquez les deux dates et la nature de la période.")
        elif last < first:
            self.add_error(f"to_{row}", "La fin de la période précède son début.")
        elif first < self.dossier.start_date or last > self.dossier.end_date:
            self.add_error(
                f"from_{row}",
                f"La période sort de la formation (du {self.dossier.start_date:%d/%m/%Y} "
                f"au {self.dossier.end_date:%d/%m/%Y}).",
            )

    def pattern(self) -> WeeklyPattern:
        data = self.cleaned_data
        return WeeklyPattern(
            tuple(DayPlan(data[f"centre_{n}"], data[f"internship_{n}"]) for n in range(7))
        )

    def exceptions(self) -> list[PatternException]:
        data = self.cleaned_data
        found = []
        for row in range(EXCEPTION_ROWS):
            first: date | None = data.get(f"from_{row}")
            last: date | None = data.get(f"to_{row}")
            kind = data.get(f"kind_{row}")
            if first and last and kind:
                found.append(PatternException(first, last, ExceptionKind(kind)))
        return found


ICS_MAX_BYTES = 1024 * 1024


class IcsForm(forms.Form):
    """The iCalendar (.ics) export of the organisation's planning tool, read on upload."""

    file = forms.FileField(label="Fichier iCalendar (.ics) de votre outil de planning")

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def clean_file(self) -> IcsReading:
        upload = self.cleaned_data["file"]
        if upload.size > ICS_MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo : exportez la seule formation.")
        try:
            return read_ics(upload.read(), self.dossier.start_date, self.dossier.end_date)
        except UnreadableCalendar as error:
            raise forms.ValidationError(str(error)) from error
