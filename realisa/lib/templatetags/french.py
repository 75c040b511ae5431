"""The French helpers as template filters, available in every template (a builtin):

``{{ month_name|de }}`` → « d'avril 2026 »; ``{{ month|of_month }}`` → « de mars 2026 »;
``{{ day|french_date }}`` → « 1er décembre 2026 », ``{{ day|french_date:"weekday" }}`` →
« mardi 1er décembre 2026 », ``{{ day|french_date:"weekday,no-year" }}`` → « mardi 1er
décembre »; ``{{ count|count_of:"jour" }}`` → « 0 jour », « 2 jours »,
``{{ count|count_of:"ligne refusée" }}`` → « 3 lignes refusées », an irregular plural after
a comma: ``{{ count|count_of:"événement de connexion,événements de connexion" }}``;
``{{ count|plural:"refusée" }}`` → the word alone; ``{{ "contrôlé"|agree:document.is_feminine }}``
→ « contrôlée »."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from realisa.lib import french

register = template.Library()


@register.filter
def de(word: object) -> str:
    """« de » before the word, elided before a vowel: ``{{ month_name|de }}``."""
    return french.de(str(word))


@register.filter
def of_month(month: date) -> str:
    """« de mars 2026 », « d'avril 2026 »: ``Saisir les heures {{ month|of_month }}``."""
    return french.of_month(month)


@register.filter
def french_date(day: date | datetime | None, options: str = "") -> str:
    """A date in words, the first of a month « 1er »; a moment is read in local time.
    ``options``: « weekday » (« mardi 1er décembre 2026 »), « no-year »; comma-separated."""
    if not day:
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
        day = day.date()
    chosen = {option.strip() for option in options.split(",")}
    return french.french_date(day, weekday="weekday" in chosen, year="no-year" not in chosen)


def _forms(words: str) -> tuple[str, str | None]:
    singular, _, irregular = words.partition(",")
    return singular, irregular or None


@register.filter
def count_of(count: int, words: str) -> str:
    """The number and its word, singular for 0 and 1: ``{{ days|count_of:"jour" }}``."""
    return french.plural(int(count), *_forms(words))


@register.filter
def plural(count: int, words: str) -> str:
    """The word alone, agreed with the number: ``{{ n|plural:"refusée" }}`` → « refusée »
    for 0 and 1, « refusées » from 2."""
    return french.plural_form(int(count), *_forms(words))


@register.filter
def agree(participle: str, feminine: object) -> str:
    """A participle agreed with a feminine noun: ``{{ "contrôlé"|agree:True }}`` → « contrôlée »."""
    return french.agree(participle, feminine=bool(feminine))
