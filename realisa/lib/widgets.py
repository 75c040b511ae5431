"""A select of many options, such as the 1,500 organisations of the national network in the
funder's filters, drawn in one pass.

Django draws each option of a ``Select`` through its own template: about 0.25 ms an
option, so 1,500 organisations cost the agent's dashboard and the journal close to 400 ms
each (measured at national scale, docs/performance.md). ``LongSelect`` writes the same
HTML from the same context in Python: the options' values, labels and selection, and the
select's attributes, all escaped by ``format_html``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class LongSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )
