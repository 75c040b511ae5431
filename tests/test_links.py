"""``link`` gives exactly what ``reverse`` gives, for every route the busy tables use."""

from __future__ import annotations

from typing import Any

import pytest
from django.templatetags.static import static
from django.urls import reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from realisa.lib.links import link

ROUTES: list[tuple[str, tuple[int | str, ...]]] = [
    ("home", ()),
    ("logout", ()),
    ("demo:mailbox", ()),
    ("dossiers:list", ()),
    ("dossiers:detail", ("FPE-2026-0001",)),
    ("dossiers:certificates", ("FPE-2026-0001",)),
    ("certificates:month", ("FPE-2026-0001", 2026, 3)),
    ("certificates:enter", ("FPE-2026-0001", 2026, 11)),
    ("documents:download", (42,)),
    ("documents:history", (7,)),
]


@pytest.mark.parametrize(("name", "args"), ROUTES)
def test_link_is_reverse(name: str, args: tuple[int | str, ...]) -> None:
    assert link(name, *args) == reverse(name, args=args)


# A dossier number as an organisation may type it: letters, digits, spaces, accents, signs.
numbers = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/"),
    min_size=1,
    max_size=30,
)


@given(number=numbers, year=st.integers(0, 9999), month=st.integers(0, 99))
def test_link_quotes_its_arguments_as_reverse_does(number: str, year: int, month: int) -> None:
    assert link("certificates:month", number, year, month) == reverse(
        "certificates:month", args=(number, year, month)
    )


def test_link_follows_the_script_prefix() -> None:
    """Served under a path (SCRIPT_NAME), the links carry it, as reverse's do."""
    try:
        set_script_prefix("/realisa/")
        assert link("dossiers:detail", "A-1") == "/realisa/dossiers/A-1/"
        assert link("dossiers:detail", "A-1") == reverse("dossiers:detail", args=("A-1",))
    finally:
        set_script_prefix("/")
    assert link("dossiers:detail", "A-1") == "/dossiers/A-1/"


def test_static_urls_are_computed_once_but_follow_the_settings(settings: Any) -> None:
    assert static("realisa/realisa.css") == "/static/realisa/realisa.css"
    settings.STATIC_URL = "https://static.example.org/"
    assert static("realisa/realisa.css") == "https://static.example.org/realisa/realisa.css"
    assert static("realisa/htmx.min.js") == "https://static.example.org/realisa/htmx.min.js"
