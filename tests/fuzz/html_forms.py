"""The forms of a rendered page, and the query strings of its links, read from its HTML:
what a browser would let a person send from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class Field:
    name: str
    kind: str  # "text", "file", "select", "checkbox", "hidden", "textarea", "button"…
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A form as sent: its method, its absolute path and query, its fields in order."""

    method: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    @property
    def csrf_token(self) -> str | None:
        return next((f.value for f in self.fields if f.name == CSRF_FIELD), None)

    def fuzzable(self) -> list[Field]:
        """Every field but the CSRF token, each name once (checkboxes of a list: one)."""
        seen: dict[str, Field] = {}
        for item in self.fields:
            if item.name != CSRF_FIELD and item.name not in seen:
                seen[item.name] = item
        return list(seen.values())

    def field_names(self) -> tuple[str, ...]:
        return tuple(sorted(f.name for f in self.fuzzable()))


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._open_form(a)
        elif self._form is not None and a.get("name"):
            self._field(tag, a)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")

    def _open_form(self, a: dict[str, str]) -> None:
        method = (a.get("method") or "get").lower()
        if method not in ("get", "post"):  # <form method="dialog"> closes a dialog
            return
        action = urljoin(self.page, a.get("action") or self.page)
        self._form = Form(method, action, a.get("enctype") == "multipart/form-data")
        self.forms.append(self._form)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        kind = a.get("type", "text") if tag == "input" else tag
        item = Field(a["name"], kind, a.get("value", ""))
        if kind in ("checkbox", "radio") and "checked" not in a:
            item.value = ""
        self._form.fields.append(item)
        if tag == "select":
            self._select = item
        if tag == "textarea":
            self._textarea = item

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(page: str, html: str) -> list[Form]:
    parser = _Parser(page)
    parser.feed(html)
    return parser.forms


def queries_of(page: str, html: str) -> list[Form]:
    """Each link of the page that carries a query string, as the GET form it amounts to."""
    parser = _Parser(page)
    parser.feed(html)
    found = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.netloc not in ("", "testserver") or not parts.query:
            continue
        fields = [Field(name, "text", value) for name, value in parse_qsl(parts.query)]
        found.append(Form("get", parts.path, False, fields))
    return found
