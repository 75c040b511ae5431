"""The Jinja2 environment of the rows that Django's templates print as a whole
(``templates/jinja2/``): autoescaped, with the ``hours`` filter of Django's templates."""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined

from realisa.lib.templatetags.hours import hours_filter


def environment(**options: Any) -> Environment:
    options.update(autoescape=True, undefined=StrictUndefined)  # a misspelt name fails
    env = Environment(**options)  # noqa: S701 (autoescape is on, the line above)
    env.filters["hours"] = hours_filter
    return env


def rows(template: str, **context: Any) -> SafeString:
    """The rows ``template`` makes of ``context``, to print in a Django template: safe,
    since Jinja2 escaped every value."""
    return mark_safe(engines["jinja2"].get_template(template).render(context))  # noqa: S308
