"""Dates and durations written out in French, as the certificate prints them."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: date) -> str:
    """``date(2026, 11, 3)`` → « 3 novembre 2026 »; the first of a month is « 1er »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_month(day: date) -> str:
    """``date(2026, 11, 1)`` → « novembre 2026 »."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def hours_in_words(minutes: int) -> str:
    """The model's « pour une durée de … heures »: ``8430`` → « 140 heures 30 »."""
    hours, rest = divmod(int(minutes), 60)
    unit = "heure" if hours < 2 else "heures"
    return f"{hours} {unit} {rest:02d}" if rest else f"{hours} {unit}"


def of_month(month: date) -> str:
    """The month named after « de », elided before a vowel: « de mars 2026 », « d'avril 2026 »."""
    name = french_month(month)
    return f"d'{name}" if name[:1] in "aeiouyéâ" else f"de {name}"
