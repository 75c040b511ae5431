from django import template

from realisa.lib.hours import format_difference, format_minutes

register = template.Library()


@register.filter(name="hours")
def hours_filter(minutes: int | None) -> str:
    """Minutes shown as French hours: ``{{ certificate.centre_minutes|hours }}``."""
    return "" if minutes is None else format_minutes(minutes)


@register.filter(name="difference")
def difference_filter(minutes: int | None) -> str:
    """A signed difference of hours: ``{{ delta.centre_minutes|difference }}`` → « +1 h 30 »."""
    return "" if minutes is None else format_difference(minutes)
