"""The rules of entered hours, over every duration: pure functions of rules.py."""

from hypothesis import given
from hypothesis import strategies as st

from realisa.certificates.rules import Hours, day_error, month_error, plan_gap_warning
from realisa.lib.hours import DAY_MAX_MINUTES

minutes = st.integers(min_value=0, max_value=2 * DAY_MAX_MINUTES)
hours = st.builds(Hours, minutes, minutes, minutes)
plans = st.one_of(st.none(), st.integers(min_value=0, max_value=DAY_MAX_MINUTES))


@given(hours, plans)
def test_a_day_is_refused_exactly_above_24_hours_or_above_its_plan(
    day: Hours, planned: int | None
) -> None:
    limit = min(DAY_MAX_MINUTES, DAY_MAX_MINUTES if planned is None else planned)
    assert (day_error(day, planned) is not None) is (day.total > limit)


@given(hours, st.integers(min_value=1, max_value=31), plans)
def test_a_month_is_refused_above_24_hours_a_day_or_above_its_plan(
    month: Hours, day_count: int, planned: int | None
) -> None:
    ceiling = day_count * DAY_MAX_MINUTES
    limit = ceiling if planned is None else min(ceiling, planned)
    refused = month_error(month, day_count=day_count, planned=planned) is not None
    assert refused is (month.total > limit)


def test_the_refusal_reminds_to_deduct_the_absences() -> None:
    message = day_error(Hours(centre=7 * 60, absence=60), 7 * 60)
    assert message is not None
    assert "Présence (7 h) + absence (1 h) = 8 h" in message
    assert "les heures prévues ce jour (7 h)" in message
    assert "Vérifiez que vous avez bien déduit les heures d'absences" in message


def test_more_than_24_hours_in_a_day_says_so() -> None:
    message = day_error(Hours(centre=20 * 60, absence=5 * 60), None)
    assert message is not None and "c'est plus que 24 heures (24 h)" in message


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
