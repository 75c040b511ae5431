"""What the fuzz sends: arbitrary text, and the values that broke the portal before (a NUL,
numbers past 32 and 64 bits, very long strings, unusual Unicode), and its settings.

Each form (each API operation) gets every value of ``KNOWN_BAD`` first, in all its fields
at once (``known_bad_first``), then the examples hypothesis draws. ``FUZZ`` is the settings
profile: few drawn examples, so that the whole fuzz stays well under a minute per
database, and derandomized, so that a run in CI sends the same requests as the last one.
``REALISA_FUZZ_EXAMPLES=200`` digs deeper, once, by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

settings.register_profile(
    "realisa-fuzz",
    max_examples=int(os.environ.get("REALISA_FUZZ_EXAMPLES", "10")),
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    # The world is built once per test and outlives the examples, on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("realisa-fuzz")

KNOWN_BAD = [
    "\x00",
    "2147483648",
    "9223372036854775808",
    "9" * 20,
    "-1",
    "1e309",
    "NaN",
    "2026-02-30",
    "2147483648-01",
    "2026-99999999999999999999",
    "99999999999999999999-01-01",
    "7h99",
    " ",
    "a" * 300,
    "é" * 5000,
    "\u202e\ufeff\u200b🙂",
    "' OR 1=1 --",
]

# Numbers, dates, months, hours and amounts, well or badly formed, of any size.
shaped_numbers = st.from_regex(r"\A-?[0-9]{1,25}([-/:.,h ][0-9]{1,25}){0,2}\Z")

texts = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.text(),
    shaped_numbers,
    st.integers().map(str),
    st.text(min_size=1, max_size=3).map(lambda s: s * 1000),
)


def field_value(default: str, options: list[str]) -> st.SearchStrategy[str]:
    """A field's value: as rendered, one of its options, or anything at all."""
    choices = [default, *options]
    return st.one_of(st.sampled_from(choices), texts)


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)

CSV_HEADER = "dossier;debut;fin;montant;date;avance\n"  # the funder's payment import

file_contents = st.one_of(
    st.binary(max_size=300),
    st.lists(texts, min_size=6, max_size=6)
    .map(lambda cells: CSV_HEADER + ";".join(cells))
    .map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.just(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    try:
        return SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:  # ".", "..": the test client cannot send such a name
        return SimpleUploadedFile("fichier", content)


uploads = st.builds(_upload, texts, file_contents)


Test = TypeVar("Test", bound=Callable[..., Any])


def known_bad_first(arguments: Callable[[str], dict[str, Any]]) -> Callable[[Test], Test]:
    """Before the drawn examples, one per value of ``KNOWN_BAD``: ``arguments(value)`` puts
    it in every field at once (each field is cleaned on its own, so each meets it)."""

    def decorate(test: Test) -> Test:
        for value in reversed(KNOWN_BAD):
            test = example(**arguments(value))(test)
        return test

    return decorate
