"""Statutory working days, rule durations and the dates they lead to.

Deadlines in credit-repair and disclosure rules are written as periods ("10 working
days", "1 year", "by the end of the following month"). This module turns a start
date plus such a period into the last day of the period, counting the way the
regulations say to count. It never reads the clock: every date comes from the caller.

Working days follow the State Council's annual holiday notices. For 2004-2026 the
``chinesecalendar`` package carries them; for later years a ruleset supplies a
:class:`HolidaySchedule`. A year known to neither is an error, never a guess,
because a guessed deadline is a wrong conclusion that looks right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]

from creditrules.errors import CalendarError

__all__ = [
    "DEFAULT_COUNTING",
    "Counting",
    "Duration",
    "DurationKind",
    "HolidaySchedule",
    "WorkCalendar",
    "add_duration",
    "next_day",
    "parse_duration",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend.


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class HolidaySchedule:
    """One year's statutory holiday notice, as a ruleset can supply it.

    ``holidays`` are the days off (weekend days inside a holiday block may be listed
    or not; it makes no difference). ``workdays`` are the 调休 make-up working days:
    weekend days on which people work. ``source`` names the notice the dates were
    copied from, so a computed deadline can be traced back to it.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        # Rulesets are hand-written YAML: catch typos here rather than compute a
        # deadline from a schedule that silently contradicts itself.
        for kind, days in (("holiday", self.holidays), ("make-up working day", self.workdays)):
            stray = sorted(d for d in days if d.year != self.year)
            if stray:
                raise ValueError(
                    f"holiday schedule for {self.year} lists a {kind} in another year: "
                    f"{stray[0].isoformat()}"
                )
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(
                f"holiday schedule for {self.year} lists {both[0].isoformat()} "
                "as both a holiday and a make-up working day"
            )
        weekdays = sorted(d for d in self.workdays if d.weekday() < _SATURDAY)
        if weekdays:
            raise ValueError(
                f"holiday schedule for {self.year}: make-up working day "
                f"{weekdays[0].isoformat()} is a Monday-Friday; make-up days fall on weekends"
            )
        if not self.source.strip():
            raise ValueError(f"holiday schedule for {self.year} needs a source")

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` (a date in this schedule's year) is a working day under it."""
        if d.year != self.year:
            raise ValueError(f"{d.isoformat()} is not in the {self.year} schedule")
        return (d.weekday() < _SATURDAY and d not in self.holidays) or d in self.workdays


def _package_years() -> range:
    # Ask the package rather than hard-code 2004-2026, so upgrading chinesecalendar
    # extends the covered years without touching this module.
    known: list[date] = list(chinese_calendar.holidays.keys())
    return range(min(known).year, max(known).year + 1)


_PACKAGE_YEARS = _package_years()


class WorkCalendar:
    """Answers "is this a statutory working day in mainland China?".

    A schedule in ``extra`` decides its whole year, even a year chinesecalendar also
    knows: a ruleset that pins a schedule means that schedule (e.g. a corrected notice).
    """

    def __init__(self, extra: Iterable[HolidaySchedule] = ()) -> None:
        self._extra: dict[int, HolidaySchedule] = {}
        for schedule in extra:
            if schedule.year in self._extra:
                # Two schedules for one year would make the answer depend on order.
                raise ValueError(f"two holiday schedules given for {schedule.year}")
            self._extra[schedule.year] = schedule
        # Answers already given (a calendar is kept per ruleset and asked about the same
        # days again and again); errors are not kept, they are raised each time.
        self._memo: dict[date, bool] = {}

    def known_years(self) -> list[int]:
        """Every year this calendar can answer for, ascending."""
        return sorted(set(_PACKAGE_YEARS) | set(self._extra))

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day; :class:`CalendarError` for an unknown year."""
        got = self._memo.get(d)
        if got is None:
            got = self._memo[d] = self._is_working_day(d)
        return got

    def _is_working_day(self, d: date) -> bool:
        _require_plain_date(d)
        schedule = self._extra.get(d.year)
        if schedule is not None:
            return schedule.is_working_day(d)
        if d.year not in _PACKAGE_YEARS:
            raise _unknown_year(d.year)
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError as exc:  # the package's own "year not covered"
            raise _unknown_year(d.year) from exc


def _require_plain_date(d: date) -> None:
    # A datetime is a date subclass but never equals the date keys of a schedule, so it
    # would silently be judged by weekday alone; rules deal in whole days.
    if isinstance(d, datetime):
        raise TypeError(f"expected a date, got a datetime: {d.isoformat()}")


def _unknown_year(year: int) -> CalendarError:
    return CalendarError(
        f"no statutory holiday schedule for {year}: add one to the ruleset's calendar",
        year=year,
    )


def next_day(d: date) -> date:
    """The day after ``d``."""
    return d + _ONE_DAY


def working_days_between(a: date, b: date, cal: WorkCalendar) -> int:
    """Number of working days in the half-open interval (a, b]; 0 when ``b <= a``."""
    count = 0
    d = next_day(a)
    while d <= b:
        if cal.is_working_day(d):
            count += 1
        d = next_day(d)
    return count


# --------------------------------------------------------------------------- durations

DurationKind = Literal["calendar", "working_days", "month_end", "quarter_day"]


# Which fields each kind uses; the others must stay 0.
_RELEVANT: dict[str, frozenset[str]] = {
    "calendar": frozenset({"years", "months", "weeks", "days"}),
    "working_days": frozenset({"working_days"}),
    "month_end": frozenset({"months_ahead"}),
    "quarter_day": frozenset({"day_of_month"}),
}


@dataclass(frozen=True)
class Duration:
    """A period as rules write it; build it with :func:`parse_duration`.

    ``kind`` says which fields matter:

    - ``"calendar"``: ISO-8601 ``years``/``months``/``days`` (``P1Y6M``, ``P15D``) or
      ``weeks`` alone (``P2W``);
    - ``"working_days"``: ``working_days`` statutory working days (``5WD``);
    - ``"month_end"``: the last day of the month ``months_ahead`` months after the
      start's month (``EOM+1``);
    - ``"quarter_day"``: day ``day_of_month`` of the last month of the start's
      quarter (``Q-LAST-25``).

    Components are kept as written (``P12M`` is not ``P1Y``) so that ``str()`` gives
    back the rule's own text.
    """

    kind: DurationKind
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    working_days: int = 0
    months_ahead: int = 0
    day_of_month: int = 0

    def __post_init__(self) -> None:
        # Direct construction must not produce a Duration that parse_duration would
        # reject, otherwise str() and add_duration() could disagree about it.
        values = {
            "years": self.years,
            "months": self.months,
            "weeks": self.weeks,
            "days": self.days,
            "working_days": self.working_days,
            "months_ahead": self.months_ahead,
            "day_of_month": self.day_of_month,
        }
        if self.kind not in _RELEVANT:
            raise ValueError(f"unknown duration kind {self.kind!r}")
        stray = [name for name, v in values.items() if v and name not in _RELEVANT[self.kind]]
        if stray or any(v < 0 for v in values.values()):
            raise ValueError(f"inconsistent fields for a {self.kind!r} duration: {self!r}")
        if self.kind == "calendar":
            ymd = self.years or self.months or self.days
            if bool(self.weeks) == bool(ymd):
                raise ValueError("a calendar duration has weeks alone or some of years/months/days")
        elif self.kind == "working_days" and self.working_days < 1:
            raise ValueError("a working-day duration needs at least 1 working day")
        elif self.kind == "quarter_day" and not 1 <= self.day_of_month <= 31:
            raise ValueError(f"day_of_month must be 1-31, not {self.day_of_month}")

    def __str__(self) -> str:
        if self.kind == "working_days":
            return f"{self.working_days}WD"
        if self.kind == "month_end":
            return f"EOM+{self.months_ahead}"
        if self.kind == "quarter_day":
            return f"Q-LAST-{self.day_of_month}"
        if self.weeks:
            return f"P{self.weeks}W"
        parts = [(self.years, "Y"), (self.months, "M"), (self.days, "D")]
        return "P" + "".join(f"{n}{unit}" for n, unit in parts if n)


# Numbers are ASCII digits without leading zeros and (except EOM+0) positive, so every
# accepted text is already canonical: str(parse_duration(s)) == s.
_POS = r"[1-9][0-9]*"
_ISO_YMD = re.compile(rf"P(?:({_POS})Y)?(?:({_POS})M)?(?:({_POS})D)?")
_ISO_WEEKS = re.compile(rf"P({_POS})W")
_WORKING_DAYS = re.compile(rf"({_POS})WD")
_MONTH_END = re.compile(r"EOM\+(0|[1-9][0-9]*)")
_QUARTER_DAY = re.compile(r"Q-LAST-([1-9]|[12][0-9]|3[01])")

_EXPECTED = (
    "expected an ISO-8601 date duration (P1Y, P6M, P1Y6M, P15D, P2W), "
    "working days (5WD), EOM+n or Q-LAST-d"
)


#: The longest period a text may name: a hundred years (no credit rule comes near it; the
#: longest bundled period is five years). Without a bound a period such as P99999Y ends in
#: a year no date can hold, and a date computation fails far from the text that caused it.
MAX_YEARS = 100
_MAX_DIGITS = 6


def _too_long(text: str) -> ValueError:
    return ValueError(
        f"duration {text!r} is longer than {MAX_YEARS} years, the longest period accepted"
    )


def parse_duration(text: str) -> Duration:
    """Parse a rule's period text; :class:`ValueError` says what is wrong with bad text."""
    if any(len(n) > _MAX_DIGITS for n in re.findall(r"[0-9]+", text)):
        raise _too_long(text[:40])
    if (m := _ISO_YMD.fullmatch(text)) and any(m.groups()):
        y, mo, d = (int(g) if g else 0 for g in m.groups())
        if y * 12 + mo > MAX_YEARS * 12 or d > MAX_YEARS * 366:
            raise _too_long(text)
        return Duration("calendar", years=y, months=mo, days=d)
    if m := _ISO_WEEKS.fullmatch(text):
        if int(m[1]) > MAX_YEARS * 53:
            raise _too_long(text)
        return Duration("calendar", weeks=int(m[1]))
    if m := _WORKING_DAYS.fullmatch(text):
        if int(m[1]) > MAX_YEARS * 366:
            raise _too_long(text)
        return Duration("working_days", working_days=int(m[1]))
    if m := _MONTH_END.fullmatch(text):
        if int(m[1]) > MAX_YEARS * 12:
            raise _too_long(text)
        return Duration("month_end", months_ahead=int(m[1]))
    if m := _QUARTER_DAY.fullmatch(text):
        return Duration("quarter_day", day_of_month=int(m[1]))
    raise ValueError(f"unrecognised duration {text!r}{_hint(text)}: {_EXPECTED}")


def _hint(text: str) -> str:
    # The most likely authoring slips get a specific pointer; the generic list of
    # accepted forms follows in every case.
    if not text:
        return " (empty)"
    if text != text.strip():
        return " (remove the surrounding whitespace)"
    if text != text.upper():
        return " (units are upper-case, e.g. 5WD, P1Y)"
    if text.startswith("P") and "T" in text:
        return " (time parts such as PT1H are not allowed: periods are whole days)"
    if text.startswith("P") and re.search(r"[0-9]H|[0-9]S", text):
        return " (hours and seconds are not allowed: periods are whole days)"
    if re.search(r"(?<![0-9])0", text):
        return " (counts must be positive, without leading zeros)"
    if text.startswith("P") and "W" in text:
        return " (weeks cannot be combined with other units)"
    return ""


# --------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class Counting:
    """How a period is counted from its start date.

    ``start_day="excluded"`` is the statutory default (the starting day is not part of
    the period). ``month_end="fallback"``: a year/month period whose final month lacks
    the start's day number ends on that month's last day. ``roll_to_working_day``
    moves the last day of a calendar period off a weekend or holiday to the next
    working day.
    """

    start_day: Literal["excluded", "included"] = "excluded"
    month_end: Literal["fallback"] = "fallback"
    roll_to_working_day: bool = False

    def __post_init__(self) -> None:
        # Values may come from YAML, where the Literal types are not enforced.
        if self.start_day not in ("excluded", "included"):
            raise ValueError(f"start_day must be 'excluded' or 'included', not {self.start_day!r}")
        if self.month_end != "fallback":
            raise ValueError(f"month_end must be 'fallback', not {self.month_end!r}")


DEFAULT_COUNTING = Counting()


def add_duration(
    start: date,
    duration: Duration,
    cal: WorkCalendar,
    *,
    convention: Counting = DEFAULT_COUNTING,
) -> date:
    """The last day (the due date) of ``duration`` counted from ``start``.

    Counting follows 国家税务总局令第54号 第二十五条 by default: periods in days are
    working days, not counting statutory holidays; the starting day is not counted; a
    period in years or months ends on the same-numbered day of its final month, or on
    that month's last day when the month has no such day.

    - calendar periods (``P1Y6M``, ``P15D``, ``P2W``): years and months first, then
      days; with the start day included the period ends one day earlier; with
      ``roll_to_working_day`` a last day that is not a working day moves to the next
      working day;
    - working days (``5WD``): the n-th working day after ``start`` (make-up weekend
      days count, holidays and ordinary weekends do not); with the start day
      included, ``start`` is day 1 if it is itself a working day;
    - ``EOM+n`` and ``Q-LAST-d`` are fixed calendar dates, so the convention does
      not apply to them. ``Q-LAST-d`` is the d-th day of the last month of the start's
      quarter, or of the next quarter when the start is already past it.

    Raises :class:`CalendarError` naming the year when a working-day question reaches a
    year the calendar does not know.
    """
    _require_plain_date(start)
    if duration.kind == "working_days":
        return _add_working_days(start, duration.working_days, cal, convention)
    if duration.kind == "month_end":
        return _month_end(_add_months_clamped(start.replace(day=1), duration.months_ahead))
    if duration.kind == "quarter_day":
        # The first such day on or after the start: an event after the quarter's report
        # day goes into the next quarter's report.
        last_month = (start.month - 1) // 3 * 3 + 3
        first = date(start.year, last_month, 1)
        due = first.replace(day=min(duration.day_of_month, _month_end(first).day))
        if due < start:
            first = _add_months_clamped(first, 3)
            due = first.replace(day=min(duration.day_of_month, _month_end(first).day))
        return due

    end = _add_months_clamped(start, duration.years * 12 + duration.months)
    end += timedelta(days=duration.weeks * 7 + duration.days)
    if convention.start_day == "included":
        # Counting the start as day 1 shortens the period by exactly that day.
        end -= _ONE_DAY
    if convention.roll_to_working_day:
        while not cal.is_working_day(end):
            end = next_day(end)
    return end


def _add_working_days(start: date, n: int, cal: WorkCalendar, convention: Counting) -> date:
    counted = 0
    d = start
    if convention.start_day == "included" and cal.is_working_day(start):
        counted = 1
    # Walk day by day: holiday blocks and make-up days make any closed-form jump
    # wrong, and periods are short (tens of days), so this is cheap.
    while counted < n:
        d = next_day(d)
        if cal.is_working_day(d):
            counted += 1
    return d


def _month_end(d: date) -> date:
    first_of_next = _add_months_clamped(d.replace(day=1), 1)
    return first_of_next - _ONE_DAY


def _add_months_clamped(d: date, months: int) -> date:
    # Same-numbered day `months` months on; if the target month is shorter, its last
    # day (2024-01-31 + 1 month = 2024-02-29), as 第二十五条 prescribes.
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    first = date(year, month0 + 1, 1)
    if d.day <= 28:
        return first.replace(day=d.day)
    next_first = date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (next_first - _ONE_DAY).day
    return first.replace(day=min(d.day, last_day))
