from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realisa.certificates.status import PaidPeriod, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.periods import MonthPeriod, training_months

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@st.composite
def trainings(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(days)
    return start, start + timedelta(days=draw(st.integers(min_value=0, max_value=900)))


@st.composite
def payments(draw: st.DrawFn, start: date, end: date) -> PaidPeriod:
    first = draw(st.dates(min_value=start - timedelta(days=60), max_value=end + timedelta(days=60)))
    last = first + timedelta(days=draw(st.integers(min_value=0, max_value=120)))
    return PaidPeriod(first, last, draw(st.booleans()))


def test_a_training_across_three_months_has_three_certificates() -> None:
    months = training_months(date(2026, 1, 12), date(2026, 3, 6))
    assert months == [
        MonthPeriod(date(2026, 1, 1), date(2026, 1, 12), date(2026, 1, 31)),
        MonthPeriod(date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 28)),
        MonthPeriod(date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 6)),
    ]


def test_a_training_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(ValueError):
        training_months(date(2026, 2, 1), date(2026, 1, 31))


@given(trainings())
def test_every_training_day_lies_in_exactly_one_month(training: tuple[date, date]) -> None:
    start, end = training
    months = training_months(start, end)
    day = start
    while day <= end:
        assert sum(period.contains(day) for period in months) == 1
        day += timedelta(days=1)


@given(trainings())
def test_no_month_reaches_outside_the_training(training: tuple[date, date]) -> None:
    start, end = training
    months = training_months(start, end)
    assert months[0].first_day == start
    assert months[-1].last_day == end
    for period in months:
        assert start <= period.first_day <= period.last_day <= end
        assert period.month.day == 1
        assert (period.month.year, period.month.month) == (
            period.first_day.year,
            period.first_day.month,
        )
        assert (period.last_day.year, period.last_day.month) == (
            period.month.year,
            period.month.month,
        )
    assert len({period.month for period in months}) == len(months)


def test_a_month_opens_on_its_last_training_day() -> None:
    january, february = training_months(date(2026, 1, 12), date(2026, 2, 18))
    assert month_status(january, today=date(2026, 1, 30)) == MonthStatus.NOT_OPEN
    assert month_status(january, today=date(2026, 1, 31)) == MonthStatus.AWAITING_ENTRY
    # the last month opens on the training's end date, not at the end of the month
    assert month_status(february, today=date(2026, 2, 17)) == MonthStatus.NOT_OPEN
    assert month_status(february, today=date(2026, 2, 18)) == MonthStatus.AWAITING_ENTRY


def test_entry_is_locked_after_a_payment_but_not_after_an_advance() -> None:
    (january,) = training_months(date(2026, 1, 5), date(2026, 1, 30))
    payment = PaidPeriod(date(2026, 1, 1), date(2026, 1, 31), is_advance=False)
    advance = PaidPeriod(date(2026, 1, 1), date(2026, 1, 31), is_advance=True)
    today = date(2026, 3, 1)
    assert month_status(january, today=today, payments=[payment]) == MonthStatus.LOCKED
    assert month_status(january, today=today, payments=[advance]) == MonthStatus.AWAITING_ENTRY
    assert month_status(january, today=today, payments=[advance], stored="entered") == "entered"
    # hours entered before the payment stay entered: they may still be certified
    assert month_status(january, today=today, payments=[payment], stored="entered") == "entered"


def test_a_payment_for_another_month_does_not_lock() -> None:
    (january,) = training_months(date(2026, 1, 5), date(2026, 1, 30))
    february = PaidPeriod(date(2026, 2, 1), date(2026, 2, 28), is_advance=False)
    assert month_status(january, today=date(2026, 3, 1), payments=[february]) == "awaiting_entry"


@pytest.mark.parametrize("stored", ["certified", "validated", "contested", "transmitted"])
def test_what_was_certified_is_never_hidden_by_a_payment(stored: str) -> None:
    (january,) = training_months(date(2026, 1, 5), date(2026, 1, 30))
    payment = PaidPeriod(date(2026, 1, 1), date(2026, 1, 31), is_advance=False)
    assert (
        month_status(january, today=date(2026, 3, 1), payments=[payment], stored=stored) == stored
    )


@given(trainings(), days, st.data())
def test_an_advance_never_locks(
    training: tuple[date, date], today: date, data: st.DataObject
) -> None:
    start, end = training
    paid = data.draw(st.lists(payments(start, end), max_size=4))
    advances = [PaidPeriod(p.start, p.end, is_advance=True) for p in paid]
    for period in training_months(start, end):
        assert month_status(period, today=today, payments=advances) == month_status(
            period, today=today
        )


@given(trainings(), days, st.data())
def test_a_month_is_locked_exactly_when_a_payment_overlaps_it(
    training: tuple[date, date], today: date, data: st.DataObject
) -> None:
    start, end = training
    paid = data.draw(st.lists(payments(start, end), max_size=4))
    for period in training_months(start, end):
        overlapping = any(
            not p.is_advance and p.start <= period.last_day and p.end >= period.first_day
            for p in paid
        )
        status = month_status(period, today=today, payments=paid)
        assert (status == MonthStatus.LOCKED) == overlapping
        if not overlapping:
            expected = (
                MonthStatus.NOT_OPEN if today < period.last_day else MonthStatus.AWAITING_ENTRY
            )
            assert status == expected
