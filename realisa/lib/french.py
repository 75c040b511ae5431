"""French as people read it: dates and durations in words, elision, plurals and agreement.

The one place that knows the language's small rules, for pages, e-mails, the PDFs' text
and human-readable exports (machine-read files keep plain data):

- « de » elides before a vowel or a mute h: « d'avril », « d'août », « de mars »;
- the first of a month is « 1er »: « le 1er décembre 2026 »;
- 0 and 1 take the singular: « 0 jour », « 1 jour », « 2 jours »;
- a past participle agrees with its noun: « Extrait KBIS contrôlé », « Lettre contrôlée ».
"""

from __future__ import annotations

import re
import unicodedata
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
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Words whose h is aspirated: « de Haute-Savoie », never « d'Haute-Savoie ». Every other
# h is taken as mute (« d'heure », « d'Hélène »).
ASPIRATED_H = frozenset(
    {
        "hall",
        "hameau",
        "handicap",
        "hangar",
        "hasard",
        "hausse",
        "haut",
        "haute",
        "hauteur",
        "hauts",
        "havre",
        "hérisson",
        "héros",
        "hêtre",
        "hollande",
        "homard",
        "honte",
        "hors",
        "huit",
        "hutte",
    }
)


def day_number(day: date) -> str:
    """« 1er » for the first of a month, the plain number otherwise."""
    return "1er" if day.day == 1 else str(day.day)


def ordinal(number: int, *, feminine: bool = False) -> str:
    """« 1er » (« 1re » for a feminine noun), then « 2e », « 3e »: « le 4e événement »."""
    if number == 1:
        return "1re" if feminine else "1er"
    return f"{number}e"


def french_date(day: date, *, weekday: bool = False, year: bool = True) -> str:
    """``date(2026, 11, 3)`` → « 3 novembre 2026 »; the first of a month is « 1er »;
    ``weekday=True`` → « mardi 3 novembre 2026 », ``year=False`` → « 3 novembre »."""
    words = [WEEKDAYS[day.weekday()]] if weekday else []
    words += [day_number(day), MONTHS[day.month - 1]]
    if year:
        words.append(str(day.year))
    return " ".join(words)


def french_month(day: date) -> str:
    """``date(2026, 11, 1)`` → « novembre 2026 »."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def hours_in_words(minutes: int) -> str:
    """The model's « pour une durée de … heures »: ``8430`` → « 140 heures 30 »."""
    hours, rest = divmod(int(minutes), 60)
    unit = plural_form(hours, "heure")
    return f"{hours} {unit} {rest:02d}" if rest else f"{hours} {unit}"


def starts_with_vowel_sound(word: str) -> bool:
    """True before « avril », « août », « octobre », « Île-de-France », « heure » (mute h);
    false before « mars », « haut » (aspirated h) or an empty word."""
    text = word.strip().lower()
    first = unicodedata.normalize("NFD", text[:1])[:1]
    if first == "h":
        return re.split(r"[^\w]", text, maxsplit=1)[0] not in ASPIRATED_H
    return first in ("a", "e", "i", "o", "u", "y")


def elide(particle: str, word: str) -> str:
    """``particle`` before ``word``, elided before a vowel sound: « d'avril », « l'organisme »,
    « qu'octobre »; « de mars », « le haut ». ``particle`` is « de », « le », « que », …"""
    if particle.endswith(("e", "a")) and starts_with_vowel_sound(word):
        return f"{particle[:-1]}'{word.strip()}"
    return f"{particle} {word.strip()}"


def de(word: str) -> str:
    """« de » before ``word``: « d'avril 2026 », « d'août 2026 », « de mars 2026 »."""
    return elide("de", word)


def of_month(month: date) -> str:
    """The month named after « de », elided before a vowel: « de mars 2026 », « d'avril 2026 »."""
    return de(french_month(month))


def _default_plural(singular: str) -> str:
    """The regular plural, word by word: « jour » → « jours », « ligne refusée » →
    « lignes refusées »; words ending in s, x or z do not change (« mois »)."""
    words = singular.split(" ")
    return " ".join(w if w.endswith(("s", "x", "z")) else f"{w}s" for w in words)


def plural_form(count: int, singular: str, plural: str | None = None) -> str:
    """The word for ``count`` things, without the number: 0 and 1 take the singular in
    French (« 0 jour », « 1 jour »), 2 and more the plural (« jours »). ``plural`` is the
    irregular plural when the regular one (an s on each word) is wrong."""
    if abs(count) < 2:
        return singular
    return plural if plural is not None else _default_plural(singular)


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and its word: ``plural(2, "jour")`` → « 2 jours », ``plural(0, "jour")`` →
    « 0 jour », ``plural(3, "ligne refusée")`` → « 3 lignes refusées »."""
    return f"{count} {plural_form(count, singular, plural)}"


count_of = plural


def agree(participle: str, *, feminine: bool = False, count: int = 1) -> str:
    """A past participle (or adjective) agreed with its noun: ``agree("contrôlé",
    feminine=True)`` → « contrôlée »; ``count=2`` → « contrôlés »."""
    word = f"{participle}e" if feminine and not participle.endswith("e") else participle
    return plural_form(count, word)
