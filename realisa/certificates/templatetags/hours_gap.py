"""The entry window's differences with the plan: « +0 h 30 », « −1 h »."""

from django import template

from realisa.certificates.rules import signed

register = template.Library()


@register.filter
def signed_hours(minutes: int) -> str:
    """« +0 h 30 », « −1 h », « 0 h »: a difference with the plan."""
    return signed(minutes)
