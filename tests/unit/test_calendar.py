"""Unit tests for creditrules.calendar, pinned to dates worked out by hand.

Schedules used below (State Council notices, as carried by chinesecalendar):

2025 off: 1 Jan; 28 Jan-4 Feb; 4-6 Apr; 1-5 May; 31 May-2 Jun; 1-8 Oct.
     make-up working weekend days: Sun 26 Jan, Sat 8 Feb, Sun 27 Apr, Sun 28 Sep, Sat 11 Oct.
2026 off: 1-3 Jan; 15-23 Feb; 4-6 Apr; 1-5 May; 19-21 Jun; 25-27 Sep; 1-7 Oct.
     make-up working weekend days: Sun 4 Jan, Sat 14 Feb, Sat 28 Feb, Sat 9 May, Sun 20 Sep,
     Sat 10 Oct.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from creditrules.calendar import (
    DEFAULT_COUNTING,
    Counting,
    Duration,
    HolidaySchedule,
    WorkCalendar,
    add_duration,
    next_day,
    parse_duration,
    working_days_between,
)
from creditrules.errors import CalendarError, CreditRulesError

D = date.fromisoformat
INCLUDED = Counting(start_day="included")
ROLL = Counting(roll_to_working_day=True)


def _span(first: str, last: str) -> list[date]:
    a, b = D(first), D(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def add(start: str, text: str, cal: WorkCalendar, convention: Counting = DEFAULT_COUNTING) -> date:
    return add_duration(D(start), parse_duration(text), cal, convention=convention)


# A made-up 2027 schedule (not an official notice): 1 Jan (Fri) off, Sat 9 Jan worked.
SCHEDULE_2027 = HolidaySchedule(
    year=2027,
    holidays=frozenset({D("2027-01-01")}),
    workdays=frozenset({D("2027-01-09")}),
    source="test fixture, not a State Council notice",
)


# --------------------------------------------------------------------------- schedules


OFF_2025 = [
    *_span("2025-01-01", "2025-01-01"),
    *_span("2025-01-28", "2025-02-04"),
    *_span("2025-04-04", "2025-04-06"),
    *_span("2025-05-01", "2025-05-05"),
    *_span("2025-05-31", "2025-06-02"),
    *_span("2025-10-01", "2025-10-08"),
]
MAKEUP_2025 = [D(s) for s in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")]
OFF_2026 = [
    *_span("2026-01-01", "2026-01-03"),
    *_span("2026-02-15", "2026-02-23"),
    *_span("2026-04-04", "2026-04-06"),
    *_span("2026-05-01", "2026-05-05"),
    *_span("2026-06-19", "2026-06-21"),
    *_span("2026-09-25", "2026-09-27"),
    *_span("2026-10-01", "2026-10-07"),
]
MAKEUP_2026 = [
    D(s)
    for s in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
]


@pytest.mark.parametrize("day", OFF_2025 + OFF_2026, ids=str)
def test_statutory_days_off_are_not_working_days(cal: WorkCalendar, day: date) -> None:
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", MAKEUP_2025 + MAKEUP_2026, ids=str)
def test_makeup_weekend_days_are_working_days(cal: WorkCalendar, day: date) -> None:
    assert day.weekday() >= 5  # really a weekend day
    assert cal.is_working_day(day)


def test_ordinary_days(cal: WorkCalendar) -> None:
    assert cal.is_working_day(D("2025-03-03"))  # plain Monday
    assert not cal.is_working_day(D("2025-03-08"))  # plain Saturday
    assert not cal.is_working_day(D("2025-03-09"))  # plain Sunday


def test_datetimes_are_rejected(cal: WorkCalendar) -> None:
    # 2025-10-01 00:00 is a holiday; a datetime must not slip through as a plain weekday.
    with pytest.raises(TypeError, match="datetime"):
        cal.is_working_day(datetime(2025, 10, 1))  # noqa: DTZ001
    with pytest.raises(TypeError, match="datetime"):
        add_duration(datetime(2025, 10, 1), parse_duration("P1D"), cal)  # noqa: DTZ001


def test_known_years_cover_the_package_range(cal: WorkCalendar) -> None:
    years = cal.known_years()
    assert years[0] == 2004
    assert years[-1] == 2026
    assert years == list(range(2004, 2027))


def test_unknown_year_raises_calendar_error_naming_it(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="2027") as info:
        cal.is_working_day(D("2027-03-01"))
    assert info.value.year == 2027
    assert "no statutory holiday schedule for 2027" in str(info.value)
    assert isinstance(info.value, CreditRulesError)


def test_year_before_package_range_raises(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError) as info:
        cal.is_working_day(D("2003-12-31"))
    assert info.value.year == 2003


def test_extra_schedule_makes_a_new_year_work() -> None:
    cal = WorkCalendar([SCHEDULE_2027])
    assert 2027 in cal.known_years()
    assert not cal.is_working_day(D("2027-01-01"))  # Fri, listed holiday
    assert not cal.is_working_day(D("2027-01-02"))  # Sat
    assert cal.is_working_day(D("2027-01-04"))  # Mon
    assert cal.is_working_day(D("2027-01-09"))  # Sat, listed make-up day
    assert not cal.is_working_day(D("2027-01-10"))  # Sun
    with pytest.raises(CalendarError, match="2028"):
        cal.is_working_day(D("2028-01-03"))


def test_extra_schedule_overrides_the_package_for_its_whole_year() -> None:
    # A 2025 schedule listing only 9 Oct: 1 Oct (Wed) becomes a working day because the
    # ruleset's schedule decides the year, and 11 Oct (Sat) is no longer worked.
    override = HolidaySchedule(2025, frozenset({D("2025-10-09")}), frozenset(), "override")
    cal = WorkCalendar([override])
    assert cal.is_working_day(D("2025-10-01"))
    assert not cal.is_working_day(D("2025-10-09"))
    assert not cal.is_working_day(D("2025-10-11"))
    # Other years still come from the package.
    assert not cal.is_working_day(D("2026-10-01"))


def test_two_schedules_for_one_year_are_rejected() -> None:
    with pytest.raises(ValueError, match="2027"):
        WorkCalendar([SCHEDULE_2027, SCHEDULE_2027])


@pytest.mark.parametrize(
    ("holidays", "workdays", "source", "message"),
    [
        ({D("2026-12-31")}, set(), "x", "another year"),
        (set(), {D("2028-01-01")}, "x", "another year"),
        ({D("2027-01-09")}, {D("2027-01-09")}, "x", "both"),
        (set(), {D("2027-01-08")}, "x", "weekends"),  # 2027-01-08 is a Friday
        (set(), set(), "  ", "source"),
    ],
)
def test_holiday_schedule_validation(
    holidays: set[date], workdays: set[date], source: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        HolidaySchedule(2027, frozenset(holidays), frozenset(workdays), source)


def test_holiday_schedule_is_hashable_and_frozen() -> None:
    assert hash(SCHEDULE_2027) == hash(
        HolidaySchedule(
            2027,
            frozenset({D("2027-01-01")}),
            frozenset({D("2027-01-09")}),
            "test fixture, not a State Council notice",
        )
    )
    with pytest.raises(AttributeError):
        SCHEDULE_2027.year = 2028  # type: ignore[misc]


# --------------------------------------------------------------------------- helpers


def test_next_day() -> None:
    assert next_day(D("2024-02-28")) == D("2024-02-29")
    assert next_day(D("2024-02-29")) == D("2024-03-01")
    assert next_day(D("2025-12-31")) == D("2026-01-01")


def test_working_days_between(cal: WorkCalendar) -> None:
    # Oct 2026: 22 Mon-Fri days, minus Oct 1, 2, 5, 6, 7 off, plus Sat Oct 10 = 18.
    assert working_days_between(D("2026-09-30"), D("2026-10-31"), cal) == 18
    # Oct 2025: 23 Mon-Fri days, minus Oct 1, 2, 3, 6, 7, 8 off, plus Sat Oct 11 = 18.
    assert working_days_between(D("2025-09-30"), D("2025-10-31"), cal) == 18
    # Feb 2026: 20 Mon-Fri days, minus Feb 16-20 and 23 off, plus Sat 14 and Sat 28 = 16.
    assert working_days_between(D("2026-01-31"), D("2026-02-28"), cal) == 16
    # (a, b]: a itself is never counted, b is.
    assert working_days_between(D("2025-03-03"), D("2025-03-03"), cal) == 0
    assert working_days_between(D("2025-03-02"), D("2025-03-03"), cal) == 1
    assert working_days_between(D("2025-03-10"), D("2025-03-03"), cal) == 0  # empty interval


def test_working_days_between_unknown_year(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError, match="2027"):
        working_days_between(D("2026-12-30"), D("2027-01-05"), cal)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1Y", Duration("calendar", years=1)),
        ("P3M", Duration("calendar", months=3)),
        ("P6M", Duration("calendar", months=6)),
        ("P1Y6M", Duration("calendar", years=1, months=6)),
        ("P15D", Duration("calendar", days=15)),
        ("P1M15D", Duration("calendar", months=1, days=15)),
        ("P2W", Duration("calendar", weeks=2)),
        ("5WD", Duration("working_days", working_days=5)),
        ("10WD", Duration("working_days", working_days=10)),
        ("EOM+0", Duration("month_end", months_ahead=0)),
        ("EOM+1", Duration("month_end", months_ahead=1)),
        ("Q-LAST-25", Duration("quarter_day", day_of_month=25)),
    ],
)
def test_parse_duration_and_round_trip(text: str, expected: Duration) -> None:
    parsed = parse_duration(text)
    assert parsed == expected
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text",
    [
        "P1H",
        "5wd ",
        "5wd",
        "WD",
        "",
        "P",
        "PT1H",
        "P1DT2H",
        "P0D",
        "0WD",
        "-5WD",
        "P01Y",
        "P1W2D",
        "P1D1Y",  # ISO order is Y, M, D
        "1.5WD",
        "EOM-1",
        "EOM",
        "Q-LAST-0",
        "Q-LAST-32",
        "P１Y",  # full-width digit
        " P1Y",
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="unrecognised duration"):
        parse_duration(text)


def test_parse_duration_messages_point_at_the_slip() -> None:
    with pytest.raises(ValueError, match="whitespace"):
        parse_duration("5wd ")
    with pytest.raises(ValueError, match="upper-case"):
        parse_duration("5wd")
    with pytest.raises(ValueError, match="hours"):
        parse_duration("P1H")
    with pytest.raises(ValueError, match="time parts"):
        parse_duration("PT1H")
    with pytest.raises(ValueError, match="empty"):
        parse_duration("")
    with pytest.raises(ValueError, match="5WD"):  # every message lists the accepted forms
        parse_duration("P")


def test_durations_are_hashable_and_compare_by_value() -> None:
    assert parse_duration("P1Y") == parse_duration("P1Y")
    assert parse_duration("P1Y") != parse_duration("P12M")  # kept as written
    assert len({parse_duration("5WD"), parse_duration("5WD"), parse_duration("P5D")}) == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "calendar"},  # nothing at all
        {"kind": "calendar", "weeks": 1, "days": 2},
        {"kind": "calendar", "years": -1},
        {"kind": "working_days", "working_days": 0},
        {"kind": "working_days", "working_days": 5, "days": 1},
        {"kind": "quarter_day", "day_of_month": 32},
        {"kind": "month_end", "months_ahead": -1},
        {"kind": "fortnight", "days": 14},
    ],
)
def test_inconsistent_durations_cannot_be_built(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Duration(**kwargs)  # type: ignore[arg-type]


def test_counting_validates_runtime_values() -> None:
    with pytest.raises(ValueError, match="start_day"):
        Counting(start_day="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="month_end"):
        Counting(month_end="clip")  # type: ignore[arg-type]
    assert DEFAULT_COUNTING == Counting("excluded", "fallback", False)


# --------------------------------------------------------------------------- working days


def test_objection_filed_before_national_day_2026(cal: WorkCalendar) -> None:
    # Start Wed 30 Sep 2026, not counted. Oct 1-7 off. Thu 8 = 1, Fri 9 = 2,
    # Sat 10 (make-up) = 3, Sun 11 off, Mon 12-Fri 16 = 4..8, Mon 19 = 9, Tue 20 = 10.
    assert add("2026-09-30", "10WD", cal) == D("2026-10-20")


def test_five_working_days_from_30_sep_2025(cal: WorkCalendar) -> None:
    # Start Tue 30 Sep 2025. Oct 1-8 off. Thu 9 = 1, Fri 10 = 2, Sat 11 (make-up) = 3,
    # Sun 12 off, Mon 13 = 4, Tue 14 = 5.
    assert add("2025-09-30", "5WD", cal) == D("2025-10-14")


def test_spring_festival_2026_with_makeup_saturday(cal: WorkCalendar) -> None:
    # Start Fri 13 Feb 2026. Sat 14 (make-up) = 1, Feb 15-23 off, Tue 24 = 2, Wed 25 = 3.
    assert add("2026-02-13", "3WD", cal) == D("2026-02-25")


def test_working_days_with_start_included(cal: WorkCalendar) -> None:
    # Fri 13 Feb 2026 is a working day, so it is day 1; Sat 14 = 2, Tue 24 = 3.
    assert add("2026-02-13", "3WD", cal, INCLUDED) == D("2026-02-24")
    assert add("2026-02-13", "1WD", cal, INCLUDED) == D("2026-02-13")
    # Thu 1 Oct 2026 is a holiday, so it is not counted: Thu 8 = 1, Fri 9 = 2.
    assert add("2026-10-01", "1WD", cal, INCLUDED) == D("2026-10-08")
    assert add("2026-10-01", "2WD", cal, INCLUDED) == D("2026-10-09")


def test_start_on_a_holiday_excluded(cal: WorkCalendar) -> None:
    # Start Sun 1 Feb 2026 (weekend). Mon 2 = 1 ... Fri 6 = 5.
    assert add("2026-02-01", "5WD", cal) == D("2026-02-06")


def test_working_days_into_an_unknown_year(cal: WorkCalendar) -> None:
    # Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31 = 1..3, then 2027 has no schedule.
    with pytest.raises(CalendarError, match="2027") as info:
        add("2026-12-28", "5WD", cal)
    assert info.value.year == 2027
    with pytest.raises(CalendarError, match="2027"):
        add("2027-03-01", "1WD", cal)
    with pytest.raises(CalendarError, match="2027"):
        add("2027-03-01", "1WD", cal, INCLUDED)


def test_working_days_across_into_a_custom_schedule() -> None:
    cal = WorkCalendar([SCHEDULE_2027])
    # Start Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31 = 1..3; Fri 1 Jan 2027 off;
    # Sat 2, Sun 3 off; Mon 4 = 4; Tue 5 = 5.
    assert add("2026-12-28", "5WD", cal) == D("2027-01-05")
    # Start Thu 7 Jan 2027: Fri 8 = 1, Sat 9 (make-up) = 2, Sun 10 off, Mon 11 = 3.
    assert add("2027-01-07", "3WD", cal) == D("2027-01-11")


# --------------------------------------------------------------------------- years and months


@pytest.mark.parametrize(
    ("start", "text", "expected"),
    [
        ("2024-02-29", "P1Y", "2025-02-28"),  # no 29 Feb in 2025: month end
        ("2024-02-29", "P4Y", "2028-02-29"),  # leap to leap; needs no holiday schedule
        ("2024-01-31", "P1M", "2024-02-29"),  # leap February
        ("2023-01-31", "P1M", "2023-02-28"),  # common February
        ("2024-03-31", "P6M", "2024-09-30"),  # September has 30 days
        ("2023-08-31", "P6M", "2024-02-29"),
        ("2024-08-31", "P1Y6M", "2026-02-28"),
        ("2025-06-15", "P3M", "2025-09-15"),
        ("2025-11-30", "P3M", "2026-02-28"),  # across a year end
        ("2024-01-31", "P1M1D", "2024-03-01"),  # months first (Feb 29), then one day
        ("2025-01-20", "P15D", "2025-02-04"),
        ("2025-01-20", "P2W", "2025-02-03"),
        ("2024-02-28", "P1D", "2024-02-29"),
    ],
)
def test_calendar_periods_start_excluded(
    cal: WorkCalendar, start: str, text: str, expected: str
) -> None:
    assert add(start, text, cal) == D(expected)


@pytest.mark.parametrize(
    ("start", "text", "expected"),
    [
        ("2024-02-10", "P1Y", "2025-02-09"),
        ("2024-01-31", "P1M", "2024-02-28"),  # fallback day 29 Feb, one day earlier
        ("2024-03-01", "P1Y", "2025-02-28"),
        ("2025-01-20", "P15D", "2025-02-03"),  # day 1 is 20 Jan, day 15 is 3 Feb
        ("2025-01-20", "P1D", "2025-01-20"),  # a one-day period is the start day itself
        ("2025-01-20", "P2W", "2025-02-02"),
    ],
)
def test_calendar_periods_start_included(
    cal: WorkCalendar, start: str, text: str, expected: str
) -> None:
    assert add(start, text, cal, INCLUDED) == D(expected)


def test_calendar_periods_need_no_schedule_unless_rolled(cal: WorkCalendar) -> None:
    # 1 Jan 2027 is computed without asking the calendar ...
    assert add("2026-12-01", "P1M", cal) == D("2027-01-01")
    # ... but rolling it to a working day must, and 2027 is unknown.
    with pytest.raises(CalendarError, match="2027"):
        add("2026-12-01", "P1M", cal, ROLL)


@pytest.mark.parametrize(
    ("start", "text", "convention", "expected"),
    [
        # 4 Feb 2025 is the last Spring Festival day off: roll to Wed 5 Feb.
        ("2025-01-20", "P15D", ROLL, "2025-02-05"),
        # 1 Oct 2025 is National Day; Oct 1-8 off; Thu 9 Oct is the next working day.
        ("2024-10-01", "P1Y", ROLL, "2025-10-09"),
        # Sun 26 Jan 2025 is a make-up working day, so it stays.
        ("2025-01-11", "P15D", ROLL, "2025-01-26"),
        # Sat 8 Mar 2025, plain weekend: Mon 10 Mar.
        ("2025-03-01", "P7D", ROLL, "2025-03-10"),
        # Already a working day: unchanged (Mon 3 Mar 2025).
        ("2025-02-24", "P7D", ROLL, "2025-03-03"),
        # Included then rolled: 21 Jan + 15 days counting 21 Jan = 4 Feb (off) -> 5 Feb.
        (
            "2025-01-21",
            "P15D",
            Counting(start_day="included", roll_to_working_day=True),
            "2025-02-05",
        ),
    ],
)
def test_roll_to_working_day(
    cal: WorkCalendar, start: str, text: str, convention: Counting, expected: str
) -> None:
    assert add(start, text, cal, convention) == D(expected)


# --------------------------------------------------------------------------- fixed dates


@pytest.mark.parametrize(
    ("start", "text", "expected"),
    [
        ("2024-01-15", "EOM+1", "2024-02-29"),  # 于下月内报送: by the end of next month
        ("2024-01-15", "EOM+0", "2024-01-31"),
        ("2024-12-10", "EOM+1", "2025-01-31"),  # across a year end
        ("2023-12-31", "EOM+2", "2024-02-29"),
        ("2025-04-02", "Q-LAST-25", "2025-06-25"),
        ("2025-01-01", "Q-LAST-25", "2025-03-25"),
        ("2025-09-30", "Q-LAST-25", "2025-12-25"),  # past this quarter's day: the next quarter's
        ("2025-09-25", "Q-LAST-25", "2025-09-25"),  # on the day itself: that day
        ("2025-12-01", "Q-LAST-25", "2025-12-25"),
        ("2025-05-05", "Q-LAST-31", "2025-06-30"),  # June has 30 days: month end
    ],
)
def test_fixed_date_durations(cal: WorkCalendar, start: str, text: str, expected: str) -> None:
    assert add(start, text, cal) == D(expected)


def test_fixed_date_durations_ignore_the_convention(cal: WorkCalendar) -> None:
    # 31 May 2025 is a Saturday and a holiday, yet EOM+0 stays on it: no working-day logic.
    both = Counting(start_day="included", roll_to_working_day=True)
    assert add("2025-05-15", "EOM+0", cal, both) == D("2025-05-31")
    # Fixed dates never consult the calendar, so an unknown year is fine.
    assert add("2030-11-02", "EOM+1", cal, both) == D("2030-12-31")
    assert add("2030-11-02", "Q-LAST-25", cal, both) == D("2030-12-25")
