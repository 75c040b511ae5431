"""Dates and durations on the certificate, written the French way."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realisa.documents.services import new_reference, normalise_reference
from realisa.lib.french import french_date, french_month, hours_in_words


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 3), "3 novembre 2026"),
        (date(2026, 2, 1), "1er février 2026"),
        (date(2027, 8, 31), "31 août 2027"),
    ],
)
def test_dates_are_written_in_french(day: date, text: str) -> None:
    assert french_date(day) == text


def test_the_month_is_written_in_full() -> None:
    assert french_month(date(2026, 12, 1)) == "décembre 2026"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 heure"),
        (60, "1 heure"),
        (8400, "140 heures"),
        (8430, "140 heures 30"),
        (65, "1 heure 05"),
    ],
)
def test_the_duration_reads_as_the_model_writes_it(minutes: int, text: str) -> None:
    assert hours_in_words(minutes) == text


@given(st.integers(min_value=0, max_value=31 * 24 * 60))
def test_the_duration_never_loses_a_minute(minutes: int) -> None:
    words = hours_in_words(minutes).split()
    rest = int(words[2]) if len(words) == 3 else 0
    assert int(words[0]) * 60 + rest == minutes


@given(st.integers(min_value=0, max_value=50))
def test_a_new_reference_reads_back_as_itself(_: int) -> None:
    reference = new_reference()
    assert normalise_reference(reference) == reference
    assert normalise_reference(reference.lower().replace("-", "")) == reference
