"""The entry window's filters. « of_month » is the French helpers' own, also a builtin
(``realisa.lib.templatetags.french``); it stays here for the templates that load it."""

from django import template

from realisa.lib.templatetags.french import of_month

register = template.Library()
register.filter("of_month", of_month)
