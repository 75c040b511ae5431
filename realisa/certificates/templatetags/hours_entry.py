from datetime import date

from django import template

from realisa.lib.french import of_month as of_month_text

register = template.Library()


@register.filter
def of_month(month: date) -> str:
    """« de mars 2026 », « d'avril 2026 »: ``Saisir les heures {{ month|of_month }}``."""
    return of_month_text(month)
