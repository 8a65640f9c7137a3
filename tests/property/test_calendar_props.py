"""Property tests for creditrules.calendar over the years chinesecalendar knows (2004-2026)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from creditrules.calendar import (
    Counting,
    Duration,
    WorkCalendar,
    add_duration,
    parse_duration,
    working_days_between,
)

CAL = WorkCalendar()
INCLUDED = Counting(start_day="included")
P1Y = parse_duration("P1Y")
P1M = parse_duration("P1M")
P12M = parse_duration("P12M")

# Working-day walks from a start up to 2026-11-30 with n <= 20 stay inside 2026 (20
# working days never take more than about five weeks, even across National Day).
wd_starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30))
wd_counts = st.integers(min_value=1, max_value=20)
any_day = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
early_day = st.dates(min_value=date(2004, 1, 1), max_value=date(2023, 12, 31))

# Sizes keep every result from a start up to 2023-12-31 inside 2026: calendar periods
# are at most 1 year + 11 months + 200 days, 300 working days take about 14 months.
calendar_durations = st.one_of(
    st.tuples(st.integers(0, 1), st.integers(0, 11), st.integers(0, 200))
    .filter(any)
    .map(lambda t: Duration("calendar", years=t[0], months=t[1], days=t[2])),
    st.integers(1, 28).map(lambda w: Duration("calendar", weeks=w)),
)
durations = st.one_of(
    calendar_durations,
    st.integers(1, 300).map(lambda n: Duration("working_days", working_days=n)),
    st.integers(0, 36).map(lambda n: Duration("month_end", months_ahead=n)),
    st.integers(1, 31).map(lambda n: Duration("quarter_day", day_of_month=n)),
)


@given(wd_starts, wd_counts)
def test_working_day_result_is_the_nth_working_day_after_start(start: date, n: int) -> None:
    end = add_duration(start, Duration("working_days", working_days=n), CAL)
    assert end > start
    assert CAL.is_working_day(end)
    assert working_days_between(start, end, CAL) == n


@given(wd_starts, wd_counts)
def test_working_days_with_start_included(start: date, n: int) -> None:
    end = add_duration(start, Duration("working_days", working_days=n), CAL, convention=INCLUDED)
    assert end >= start
    assert CAL.is_working_day(end)
    # [start, end] holds exactly n working days.
    assert working_days_between(start - timedelta(days=1), end, CAL) == n


@given(any_day)
def test_one_year_is_365_or_366_days(start: date) -> None:
    end = add_duration(start, P1Y, CAL)
    assert timedelta(days=365) <= end - start <= timedelta(days=366)


@given(
    st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 28)).filter(lambda d: d.day <= 28)
)
def test_twelve_single_months_make_a_year(start: date) -> None:
    d = start
    for _ in range(12):
        d = add_duration(d, P1M, CAL)
    assert d == add_duration(start, P1Y, CAL)


@given(any_day)
def test_twelve_months_equal_one_year_on_any_day(start: date) -> None:
    assert add_duration(start, P12M, CAL) == add_duration(start, P1Y, CAL)


@given(early_day, durations)
def test_results_are_deterministic(start: date, duration: Duration) -> None:
    first = add_duration(start, duration, CAL)
    assert add_duration(start, duration, CAL) == first
    assert add_duration(start, duration, WorkCalendar()) == first


@given(durations)
def test_canonical_text_round_trips(duration: Duration) -> None:
    text = str(duration)
    assert parse_duration(text) == duration
    assert str(parse_duration(text)) == text


@given(early_day, calendar_durations)
def test_start_included_ends_one_day_earlier(start: date, duration: Duration) -> None:
    excluded = add_duration(start, duration, CAL)
    included = add_duration(start, duration, CAL, convention=INCLUDED)
    assert included == excluded - timedelta(days=1)


@given(early_day, calendar_durations)
def test_roll_moves_to_the_first_working_day_on_or_after(start: date, duration: Duration) -> None:
    plain = add_duration(start, duration, CAL)
    rolled = add_duration(start, duration, CAL, convention=Counting(roll_to_working_day=True))
    assert rolled >= plain
    assert CAL.is_working_day(rolled)
    # Nothing between the plain and the rolled date was a working day.
    assert working_days_between(plain - timedelta(days=1), rolled, CAL) == 1


@given(any_day, st.integers(0, 36))
def test_month_end_is_the_last_day_of_a_month_not_before_start(start: date, n: int) -> None:
    end = add_duration(start, Duration("month_end", months_ahead=n), CAL)
    assert end >= start
    assert (end + timedelta(days=1)).day == 1
    assert (end.year - start.year) * 12 + end.month - start.month == n
