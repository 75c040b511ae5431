"""Every URL of the site with a number in its path, given a number past 64 bits: a 404
(or the role's 403), never a 500 (SQLite cannot even bind such a number). The URL
resolver is walked, so a new pattern is covered as soon as it exists; the Django admin's
own patterns are left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from realisa.lib.converters import MonthConverter, YearConverter
from tests.conftest import World

HUGE = "9" * 20


def routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.pattern.converters


def value_for(converter: Any, world: World) -> str:
    if isinstance(converter, IntConverter):
        return HUGE
    if isinstance(converter, YearConverter):
        return "2026"
    if isinstance(converter, MonthConverter):
        return "3"
    return world.dossier.number


def with_huge_numbers(world: World) -> list[str]:
    """Each route with a number, the number replaced by ``HUGE``, the rest by the world's
    dossier and one of its months."""
    urls = []
    for route, converters in routes(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        if not any(isinstance(c, IntConverter) for c in converters.values()):
            continue
        url = "/" + re.sub(r"<(\w+):(\w+)>", lambda m: f"{{{m[2]}}}", route)
        values = {name: value_for(c, world) for name, c in converters.items()}
        urls.append(url.format(**values))
    return urls


@pytest.mark.parametrize("role", ["agent", "of_admin"])
def test_a_huge_number_in_any_path_is_not_found(world: World, role: str) -> None:
    client = Client()
    client.force_login(world.user(role))
    urls = with_huge_numbers(world)
    assert len(urls) > 10
    for url in urls:
        for method in (client.get, client.post):
            assert method(url).status_code < 500, url
