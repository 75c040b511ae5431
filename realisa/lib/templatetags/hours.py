from django import template

from realisa.lib.hours import format_minutes

register = template.Library()


@register.filter(name="hours")
def hours_filter(minutes: int | None) -> str:
    """Minutes shown as French hours: ``{{ certificate.centre_minutes|hours }}``."""
    return "" if minutes is None else format_minutes(minutes)
