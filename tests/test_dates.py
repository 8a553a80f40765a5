"""The date parser, by properties over every form editors can write."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from timeline.dates import parse_date
from timeline.model import PartialDate, human_range

years = st.integers(1, 9998)  # 9999 is refused: the day after a span's end must still be a date


@st.composite
def partial_dates(draw) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9998, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day", "minute"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    offset = draw(st.none() | st.integers(-14 * 60, 14 * 60))
    return PartialDate(day.year, day.month, day.day, draw(st.integers(0, 23)), draw(st.integers(0, 59)),
                       None, offset)


@given(partial_dates())
def test_round_trip_through_text(value):
    assert parse_date(value.iso()) == value


@given(partial_dates())
def test_period_bounds(value):
    assert value.first_day <= value.last_day
    assert value.precision != "year" or (value.first_day.month, value.last_day.month) == (1, 12)
    assert value.first_day.year == value.last_day.year == value.year


@given(st.text(max_size=40))
def test_never_raises_on_any_text(text):
    result = parse_date(text)
    assert isinstance(result, (PartialDate, str))
    if isinstance(result, str):
        assert result  # a message, never an empty one


@given(years, st.integers(-5, 20), st.integers(-5, 40))
def test_day_accepted_exactly_when_the_calendar_has_it(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}" if month >= 0 and day >= 0 else f"{year}-{month}-{day}"
    try:
        dt.date(year, month, day)
        exists = year <= 9998
    except ValueError:
        exists = False
    assert isinstance(parse_date(text), PartialDate) == exists


@given(st.integers(0, 30), st.integers(0, 70), st.sampled_from(["+", "-"]), st.integers(0, 16), st.integers(0, 70))
def test_times_and_offsets_in_range(hour, minute, sign, oh, om):
    result = parse_date(f"2020-02-03T{hour:02d}:{minute:02d}{sign}{oh:02d}:{om:02d}")
    valid = hour <= 23 and minute <= 59 and om <= 59 and oh * 60 + om <= 14 * 60
    assert isinstance(result, PartialDate) == valid


@given(partial_dates(), partial_dates())
def test_sort_key_follows_first_day(a, b):
    if a.first_day < b.first_day:
        assert a.sort_key < b.sort_key


def test_examples():
    assert parse_date("2017").human() == "2017"
    assert parse_date("2019-12").human() == "December 2019"
    assert parse_date("2020-02-03").human() == "3 February 2020"
    assert parse_date("2020-02-03T06:30+03:00").human() == "3 February 2020, 06:30 UTC+03:00"
    assert parse_date("0000") == "'0000': there is no year 0"
    assert parse_date("2020-02-03T25:00") == "'2020-02-03T25:00': 25:00 is not a time of day (00:00 to 23:59)"
    assert parse_date("2020-02-03T10:00+15:00") == \
        "'2020-02-03T10:00+15:00': UTC offset +15:00 is out of range (-14:00 to +14:00)"
    assert human_range(parse_date("2019-12"), parse_date("2020-03-05")) == "December 2019 – 5 March 2020"
    assert human_range(parse_date("2020-02-03"), parse_date("2020-02-05")) == "3–5 February 2020"
    assert human_range(parse_date("2020-02-03"), parse_date("2020-03-05")) == "3 February – 5 March 2020"
    # coarser first among events starting on the same day
    assert parse_date("2020").sort_key < parse_date("2020-01").sort_key < parse_date("2020-01-01").sort_key


@given(partial_dates())
def test_what_iso_writes_is_what_the_exports_schema_allows(value):
    import re

    from timeline.dates import CANONICAL_PATTERN, SCHEMA_PATTERN
    assert re.fullmatch(CANONICAL_PATTERN, value.iso()) and re.fullmatch(SCHEMA_PATTERN, value.iso())


@given(st.integers(0, 99_999))
def test_number_pattern_takes_exactly_its_range(number):
    import re

    from timeline.dates import number_pattern
    for low, high, widths in ((1, 9998, (4,)), (1, 12, (1, 2)), (0, 59, (2,)), (1, 31, (1, 2))):
        for width in widths:
            text = f"{number:0{width}d}"
            assert bool(re.fullmatch(number_pattern(low, high, widths), text)) == \
                (len(text) in widths and low <= number <= high), (low, high, widths, text)
