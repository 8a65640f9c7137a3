"""Agreement, proven: generated cases of every bundled ruleset (``agreement.py``) on both
backends, each checked for every property ``agreement.check`` names.

The slow run (``pytest -m slow``, CI) tries ``CREDITRULES_AGREEMENT_EXAMPLES`` cases (2,000
by default); the default run 15. ``tools/soak.py`` runs the same check on 200,000 and more.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import agreement
import chinese_calendar
import pytest
from agreement import check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

AGREEMENT_EXAMPLES = int(os.environ.get("CREDITRULES_AGREEMENT_EXAMPLES", "2000"))
QUICK_EXAMPLES = 15
SETTINGS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _holds(arg: tuple[str, dict[str, Any]], *, deep: bool) -> None:
    rid, case = arg
    problems = check(rid, case, deep=deep)
    assert not problems, f"{rid}: {problems} on {case}"


@pytest.mark.slow
@settings(max_examples=AGREEMENT_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(agreement.cases(), st.integers(0, 9))
def test_every_property_holds(arg: tuple[str, dict[str, Any]], k: int) -> None:
    # The three comparisons with a case made from this one cost three more evaluations:
    # they are made on about one case in ten.
    _holds(arg, deep=k == 1)


@settings(max_examples=QUICK_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(agreement.cases())
def test_every_property_holds_quick(arg: tuple[str, dict[str, Any]]) -> None:
    _holds(arg, deep=True)


def test_the_dates_reach_every_kind_of_special_day() -> None:
    days = set(agreement.SPECIAL_DAYS)
    assert date(2020, 2, 29) in days and date(2024, 2, 29) in days
    assert {date(2018, 6, 26), date(2020, 12, 7), date(2026, 4, 1)} <= days
    assert any(d in chinese_calendar.workdays for d in days)  # 调休
    assert any(d in chinese_calendar.holidays for d in days)
    assert date(2023, 4, 30) in days  # a month end
    assert set(agreement.RULESET_IDS) >= {"cn.js.nantong", "cn.gx.wuzhou", "cn.hb.huangshi"}


@settings(max_examples=50, deadline=None)
@given(agreement.cases())
def test_generated_dates_never_pass_the_evaluation_date(arg: tuple[str, dict[str, Any]]) -> None:
    _, case = arg
    dates = [e["on"] for e in case["events"]] + [
        v for r in case["records"] for k, v in r.items() if k.endswith("_on") and v
    ]
    assert all(d <= case["as_of"] for d in dates)
