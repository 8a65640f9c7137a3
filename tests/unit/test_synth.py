"""The seeded case generator: deterministic, valid input, and the mix it promises."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import chinese_calendar
import pytest

import creditrules
from creditrules import synth
from creditrules.errors import InputError, RuleConflictError
from creditrules.evaluate.case_input import check_case, parse_case


def test_the_same_seed_gives_the_same_cases() -> None:
    a = [json.dumps(c, sort_keys=True) for c in synth.subjects(seed=11, n=30)]
    b = [json.dumps(c, sort_keys=True) for c in synth.subjects(seed=11, n=30)]
    c = [json.dumps(c, sort_keys=True) for c in synth.subjects(seed=12, n=30)]
    assert a == b
    assert a != c


@pytest.mark.parametrize(
    "ruleset", ["cn.js.nantong", "cn.gx.wuzhou", "cn.hb.huangshi", "cn.national"]
)
def test_every_case_is_valid_input_for_its_ruleset(ruleset: str) -> None:
    """Shape and the law's input checks pass for every case; a case may still meet a
    conflict between two rules of a ruleset (that is the ruleset's problem, and counted)."""
    decided = 0
    for case in synth.subjects(seed=5, n=25, ruleset=ruleset):
        rs = creditrules.load_ruleset(ruleset, as_of=case["as_of"])
        parsed = parse_case(case)
        check_case(parsed, rs)
        try:
            creditrules.evaluate(rs, case, backend="reference")
            decided += 1
        except RuleConflictError:
            pass
        except InputError as exc:  # pragma: no cover - the failure this test is for
            pytest.fail(f"generated case refused: {exc}")
    assert decided >= 20


def test_record_mix_and_dates() -> None:
    cases = list(synth.subjects(seed=3, n=400))
    counts = [len(c["records"]) for c in cases]
    assert min(counts) >= 1 and max(counts) <= 30
    assert max(counts) >= 15  # the tail is there
    lists = Counter(r["list"]["id"] for c in cases for r in c["records"] if r.get("list"))
    assert set(lists) >= {
        "court.dishonest_debtor",
        "tax.major_violation",
        "samr.serious_violation",
        "procurement.ban",
        "wages.arrears",
        "safety.serious",
        "blacklist",
        "key_attention",
        "redlist",
    }
    types = Counter(c["subject"]["type"] for c in cases)
    assert types["legal_person"] > 100 and types["natural_person"] > 50
    recs = [r for c in cases for r in c["records"]]
    assert any(r.get("corrected_on") for r in recs)
    assert any(r.get("obligations_performed_on") for r in recs)
    procedures = Counter(r["basis"].get("procedure") for r in recs if r.get("basis"))
    assert procedures["simple"] and procedures["ordinary"]
    assert {"minor", "general", "serious", None} <= {r.get("severity") for r in recs}
    events = Counter(e["type"] for c in cases for e in c["events"])
    assert {"objection_filed", "repair_applied", "repair_accepted", "repair_granted"} <= set(events)
    days = [
        date.fromisoformat(d)
        for c in cases
        for d in [c["as_of"]]
        + [e["on"] for e in c["events"]]
        + [r["determined_on"] for r in c["records"]]
    ]
    assert any(d in chinese_calendar.holidays for d in days)
    assert any(d in chinese_calendar.workdays for d in days)  # 调休 make-up days
    assert any((d.month, d.day) == (2, 29) for d in days)
    assert sum(1 for d in days if (d + timedelta(days=1)).day == 1) > 20  # month ends
    as_of = [date.fromisoformat(c["as_of"]) for c in cases]
    assert min(as_of) >= synth.DEFAULT_WINDOW[0] and max(as_of) <= synth.DEFAULT_WINDOW[1]
    assert max(as_of).year - min(as_of).year >= 9


def test_a_ruleset_narrows_dates_and_areas() -> None:
    prof = synth.profile("cn.js.nantong@2015")
    assert prof.window == (date(2016, 12, 1), date(2018, 6, 25))
    for case in synth.subjects(seed=1, n=40, ruleset="cn.js.nantong@2015"):
        assert prof.window[0] <= date.fromisoformat(case["as_of"]) <= prof.window[1]
        assert case["subject"]["id"][2:6] == "3206" or case["subject"]["id"][:4] == "3206"
    # cn.national starts 2003-01-01 (version 2003, the sector lists), before the ten-year window.
    assert synth.profile("cn.national").window[0] == synth.DEFAULT_WINDOW[0]


def test_fixed_record_count() -> None:
    assert {len(c["records"]) for c in synth.subjects(seed=2, n=20, n_records=10)} == {10}


@pytest.mark.parametrize("bad", ["cn.nowhere", "cn.js.nantong@1999"])
def test_unknown_ruleset_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="no"):
        synth.profile(bad)
