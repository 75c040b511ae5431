from django import template

from realisa.lib.links import link

register = template.Library()


@register.simple_tag(name="link")
def link_tag(name: str, *args: int | str) -> str:
    """``{% link 'dossiers:detail' dossier.number %}``: ``{% url %}`` for the rows of the
    busiest tables, which reverses each route once (``realisa/lib/links.py``)."""
    return link(name, *args)
