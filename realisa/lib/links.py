"""``link(name, *args)``: the URL ``reverse(name, args=args)`` gives, for a table's rows.

``reverse`` matches the route's pattern on each call, about 50 µs, and the busiest pages
print a few links per row: the months of a dossier, « Mes dossiers ». ``link`` reverses
each route once per process (and script prefix), with numbered placeholders for its
arguments, and then only fills them in, quoted as ``reverse`` quotes them.

Only for arguments the route's converters accept as they are (``int``, and ``str`` without
a slash, such as a dossier number): ``link`` does not match them against the pattern.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS

SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
PLACEHOLDER = 987_654_320  # digits, so that int converters accept them too


@lru_cache(maxsize=512)
def _format(name: str, arity: int, prefix: str) -> str:
    markers = [str(PLACEHOLDER + n) for n in range(arity)]
    url = reverse(name, args=markers).replace("{", "{{").replace("}", "}}")
    for n, marker in enumerate(markers):
        if url.count(marker) != 1:
            raise ValueError(f"{name}: argument {n} does not appear once in {url}")
        url = url.replace(marker, f"{{{n}}}")
    return url


def link(name: str, *args: int | str) -> str:
    """``reverse(name, args=args)``, computed once per route."""
    return _format(name, len(args), get_script_prefix()).format(
        *(quote(str(arg), safe=SAFE) for arg in args)
    )
