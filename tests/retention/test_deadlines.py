"""Each file's deadline: the end of the year of the dossier's last payment + N years."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from realisa.lib.retention import (
    CERTIFICATE_YEARS,
    EUROPEAN_YEARS,
    SUPPORTING_YEARS,
    Kept,
    deadline_of,
    is_past,
    retention_deadline,
    retention_years,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))
KINDS = st.sampled_from(list(Kept))


@given(DAYS, st.integers(min_value=1, max_value=15))
def test_the_deadline_is_the_31_december_n_years_after_the_year_of_the_payment(
    paid: date, years: int
) -> None:
    deadline = retention_deadline(paid, years)
    assert (deadline.month, deadline.day) == (12, 31)
    assert deadline.year - paid.year == years
    # a payment on 1 January or on 31 December of the same year: the same deadline
    assert retention_deadline(paid.replace(month=1, day=1), years) == deadline
    assert retention_deadline(paid.replace(month=12, day=31), years) == deadline


@given(DAYS, KINDS, st.booleans())
def test_a_file_goes_only_the_day_after_its_deadline(paid: date, kind: Kept, fse: bool) -> None:
    deadline = deadline_of(paid, kind, european=fse)
    assert deadline is not None
    assert not is_past(deadline, deadline)
    assert is_past(deadline, deadline + timedelta(days=1))
    assert not is_past(deadline, paid)


@given(DAYS, KINDS)
def test_european_funds_keep_every_file_longest(paid: date, kind: Kept) -> None:
    european = deadline_of(paid, kind, european=True)
    assert european is not None and european >= (deadline_of(paid, kind) or date.max)
    assert european.year - paid.year == EUROPEAN_YEARS


def test_certificates_3_years_supporting_documents_6_european_10() -> None:
    assert retention_years(Kept.CERTIFICATE) == CERTIFICATE_YEARS == 3
    assert retention_years(Kept.SUPPORTING) == SUPPORTING_YEARS == 6
    assert retention_years(Kept.SUPPORTING, european=True) == EUROPEAN_YEARS == 10


@given(KINDS, st.booleans(), DAYS)
def test_without_payment_nothing_goes(kind: Kept, fse: bool, today: date) -> None:
    assert deadline_of(None, kind, european=fse) is None
    assert not is_past(None, today)
