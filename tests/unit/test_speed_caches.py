"""What the evaluation keeps between calls, and why it never changes an answer."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

import creditrules
from creditrules.calendar import WorkCalendar
from creditrules.errors import CalendarError
from creditrules.evaluate.run import plan_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nantong-2026.json"


def test_an_unknown_year_raises_every_time() -> None:
    """The calendar remembers answers, never errors."""
    cal = WorkCalendar()
    for _ in range(2):
        with pytest.raises(CalendarError):
            cal.is_working_day(date(2099, 3, 2))
    assert cal.is_working_day(date(2026, 10, 1)) is False  # 国庆节
    assert cal.is_working_day(date(2026, 10, 1)) is False


def test_the_plan_digest_and_strata_are_computed_once() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong", as_of="2026-11-21")
    plan = plan_for(rs)
    assert plan.digest is plan.digest
    assert plan.at(0) is plan.at(0)
    assert sum(len(plan.at(lv)) for lv in range(plan.levels)) == len(plan.rules)
    assert all(r.level == lv for lv in range(plan.levels) for r in plan.at(lv))


def test_decisions_share_frozen_citations_and_stay_equal() -> None:
    """Citations are built once per ruleset version and shared between decisions, so they
    are frozen: changing one in place would change every decision that cites the article."""
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    first = creditrules.evaluate(rs, case)
    second = creditrules.evaluate(rs, case)
    assert first.model_dump(mode="json") == second.model_dump(mode="json")
    cite = first.trace[0].basis[0]
    with pytest.raises(ValidationError):
        cite.text = "changed"  # type: ignore[misc]
    # A fresh load of the same version gives the same citations.
    again = creditrules.evaluate(
        creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"]), case
    )
    assert again.model_dump(mode="json") == first.model_dump(mode="json")


def test_a_decision_list_of_citations_is_its_own() -> None:
    """Lists of citations are never shared, only the citations in them."""
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    a = creditrules.evaluate(rs, case)
    b = creditrules.evaluate(rs, case)
    assert a.trace[0].basis is not b.trace[0].basis
    a.trace[0].basis.clear()
    assert b.trace[0].basis
