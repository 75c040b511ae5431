import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from realisa.lib.hours import DAY_MAX_MINUTES, MONTH_MAX_MINUTES, format_minutes, parse_hours


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("7", 420),
        ("7,5", 450),
        ("7.5", 450),
        ("7h30", 450),
        ("7 h 30", 450),
        ("7H30", 450),
        ("7:30", 450),
        ("07:05", 425),
        ("7h", 420),
        ("7 h", 420),
        ("0", 0),
        ("", 0),
        ("  7,25 ", 435),
        ("151,75", 9105),
        ("24", 1440),
    ],
)
def test_typed_durations_become_exact_minutes(typed: str, minutes: int) -> None:
    assert parse_hours(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "ne peut pas être négative"),
        ("-7h30", "ne peut pas être négative"),
        ("abc", "« abc » n'est pas une durée"),
        ("1e9", "« 1e9 » n'est pas une durée"),
        ("7h60", "les minutes vont de 0 à 59"),
        ("7:75", "les minutes vont de 0 à 59"),
        ("7,333", "n'est pas une durée"),
        ("7,01", "ne tombe pas sur une minute entière"),
        ("7h30m", "n'est pas une durée"),
        ("NaN", "n'est pas une durée"),
        ("٧", "n'est pas une durée"),
    ],
)
def test_anything_else_gets_a_french_message(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_hours(typed)
    assert message in error.value.messages[0]


def test_more_than_24_hours_in_a_day_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        parse_hours("24h01", max_minutes=DAY_MAX_MINUTES)
    assert error.value.messages == ["Une durée ne peut pas dépasser 24 h."]
    assert parse_hours("24", max_minutes=DAY_MAX_MINUTES) == DAY_MAX_MINUTES


def test_a_month_total_is_bounded_too() -> None:
    with pytest.raises(ValidationError):
        parse_hours("9999")


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0, "0 h"), (420, "7 h"), (450, "7 h 30"), (425, "7 h 05"), (9105, "151 h 45")],
)
def test_hours_are_shown_one_way(minutes: int, shown: str) -> None:
    assert format_minutes(minutes) == shown


@given(st.integers(min_value=0, max_value=MONTH_MAX_MINUTES))
def test_what_is_shown_reads_back_to_the_same_minutes(minutes: int) -> None:
    assert parse_hours(format_minutes(minutes)) == minutes


@given(st.integers(min_value=0, max_value=743), st.integers(min_value=0, max_value=59))
def test_every_typed_form_of_a_duration_agrees(hours: int, minutes: int) -> None:
    expected = hours * 60 + minutes
    forms = [f"{hours}h{minutes:02d}", f"{hours} h {minutes}", f"{hours}:{minutes:02d}"]
    if minutes % 3 == 0:  # whole minutes in two decimals: 0,05 h = 3 min
        decimal = f"{hours},{minutes * 100 // 60:02d}".rstrip("0").rstrip(",")
        forms.append(decimal)
    for form in forms:
        assert parse_hours(form) == expected, form


@given(st.text(max_size=12))
def test_any_text_is_either_minutes_or_a_validation_error(text: str) -> None:
    try:
        minutes = parse_hours(text)
    except ValidationError as error:
        assert error.messages[0]
    else:
        assert 0 <= minutes <= MONTH_MAX_MINUTES
