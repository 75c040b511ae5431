"""The rules of entered hours, over every duration: pure functions of rules.py."""

from hypothesis import given
from hypothesis import strategies as st

from realisa.certificates.rules import (
    Hours,
    day_error,
    day_gap_note,
    gap_reasons,
    month_error,
    plan_gap_warning,
    signed,
)
from realisa.lib.hours import DAY_MAX_MINUTES

minutes = st.integers(min_value=0, max_value=2 * DAY_MAX_MINUTES)
hours = st.builds(Hours, minutes, minutes, minutes)
plans = st.one_of(st.none(), st.integers(min_value=0, max_value=DAY_MAX_MINUTES))


@given(hours)
def test_a_day_is_refused_exactly_above_24_hours(day: Hours) -> None:
    assert (day_error(day) is not None) is (day.total > DAY_MAX_MINUTES)


@given(hours, st.integers(min_value=1, max_value=31))
def test_a_month_is_refused_exactly_above_24_hours_a_day(month: Hours, day_count: int) -> None:
    refused = month_error(month, day_count=day_count) is not None
    assert refused is (month.total > day_count * DAY_MAX_MINUTES)


def test_more_than_24_hours_in_a_day_reminds_to_deduct_the_absences() -> None:
    message = day_error(Hours(centre=20 * 60, absence=5 * 60))
    assert message is not None and "c'est plus que 24 heures (24 h)" in message
    assert "Présence (20 h) + absence (5 h) = 25 h" in message
    assert "Vérifiez que vous avez bien déduit les heures d'absences" in message


@given(hours, st.integers(min_value=0, max_value=DAY_MAX_MINUTES))
def test_a_day_is_noted_exactly_when_its_presence_is_above_its_plan(
    day: Hours, planned: int
) -> None:
    assert bool(day_gap_note(day, planned)) is (day.centre + day.internship > planned)


def test_the_day_note_says_by_how_much_in_presence() -> None:
    assert day_gap_note(Hours(centre=7 * 60 + 30, absence=60), 7 * 60) == (
        "+0 h 30 par rapport au prévu"
    )
    assert day_gap_note(Hours(internship=7 * 60), 0) == "+7 h par rapport au prévu"


def test_differences_are_signed() -> None:
    assert (signed(30), signed(-60), signed(0), signed(90)) == ("+0 h 30", "−1 h", "0 h", "+1 h 30")


@given(
    st.integers(min_value=0, max_value=400 * 60),
    plans,
    st.integers(min_value=0, max_value=600 * 60),
    st.integers(min_value=0, max_value=600 * 60),
)
def test_a_reason_is_needed_exactly_above_the_month_plan_or_the_financed_hours(
    presence: int, month_plan: int | None, earlier: int, financed: int
) -> None:
    above_plan = month_plan is not None and presence > month_plan
    above_financed = financed > 0 and earlier + presence > financed
    reasons = gap_reasons(
        presence, month_plan=month_plan, earlier_presence=earlier, financed=financed
    )
    assert bool(reasons) is (above_plan or above_financed)
    assert len(reasons) == above_plan + above_financed


def test_the_reasons_say_what_is_exceeded() -> None:
    assert gap_reasons(
        30 * 60, month_plan=28 * 60, earlier_presence=580 * 60, financed=600 * 60
    ) == [
        "la présence du mois (30 h) dépasse le prévu du mois (28 h) de 2 h",
        "la présence cumulée du dossier (610 h) dépasse les heures financées (600 h) de 10 h",
    ]


def test_unknown_financed_hours_need_no_reason() -> None:
    assert gap_reasons(100 * 60, month_plan=None, earlier_presence=0, financed=0) == []


@given(hours, st.integers(min_value=0, max_value=4 * DAY_MAX_MINUTES))
def test_the_plan_warning_appears_exactly_when_the_totals_differ(
    month: Hours, planned: int
) -> None:
    warning = plan_gap_warning(month, planned)
    assert (warning is None) is (month.total == planned)


def test_the_plan_warning_says_by_how_much() -> None:
    warning = plan_gap_warning(Hours(centre=20 * 60, absence=90), 28 * 60)
    assert warning == (
        "Présence + absence = 21 h 30, soit 6 h 30 de moins que le total prévu du mois (28 h)."
    )


def test_no_plan_no_warning() -> None:
    assert plan_gap_warning(Hours(centre=600), None) is None
