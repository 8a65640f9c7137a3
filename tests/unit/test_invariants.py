"""The checks run on every decision (creditrules.evaluate.invariants): each contradiction
is found, named by its pointer, and evaluate raises ContradictionError rather than return it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.errors import ContradictionError, CreditRulesError
from creditrules.evaluate import invariants, run
from creditrules.loader import Ruleset
from creditrules.model.decision import Decision, MatterOut, MeasureOut, TraceEntry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nantong-2026.json"


@pytest.fixture(scope="module")
def evaluated() -> tuple[Ruleset, Decision]:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    loaded = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    rs = run.on_law_of(loaded, date.fromisoformat(case["as_of"]))
    return rs, creditrules.evaluate(loaded, case, backend="reference")


def _copy(d: Decision) -> Decision:
    return d.model_copy(deep=True)


def _paths(rs: Ruleset, d: Decision) -> list[str]:
    return [p for p, _ in invariants.contradictions(d, rs)]


def test_the_example_decision_contradicts_nothing(evaluated: tuple[Ruleset, Decision]) -> None:
    rs, d = evaluated
    assert d.records, "the example has records to check"
    assert invariants.contradictions(d, rs) == []


def test_not_publishable_with_a_running_window(evaluated: tuple[Ruleset, Decision]) -> None:
    rs, d = evaluated
    bad = _copy(d)
    r = bad.records[0]
    r.publishable = False
    r.publication.from_ = bad.as_of
    r.publication.max_until = None
    assert _paths(rs, bad) == ["/records/0/publication"]
    # A window that ended before the evaluation date does not run.
    r.publication.from_, r.publication.max_until = "2016-01-01", "2016-12-31"
    assert _paths(rs, bad) == []
    assert not invariants.publication_running(r, date.fromisoformat(bad.as_of))


def test_repair_conditions_stated_once_and_eligibility(
    evaluated: tuple[Ruleset, Decision],
) -> None:
    rs, d = evaluated
    bad = _copy(d)
    rep = bad.records[0].repair
    rep.unmet = ["not_corrected", "not_corrected"]
    rep.eligible = True
    assert _paths(rs, bad) == ["/records/0/repair/unmet", "/records/0/repair/eligible"]
    rep.unmet, rep.never = [], True
    assert _paths(rs, bad) == ["/records/0/repair/eligible"]


def _barring(rs: Ruleset) -> tuple[str, str]:
    return next((m.id, m.bars[0]) for m in rs.all_measures().values() if m.bars)


def _measure(mid: str, because: list[str], rs: Ruleset) -> MeasureOut:
    m = rs.all_measures()[mid]
    return MeasureOut(
        id=mid, title=m.title, kind=m.kind, target="subject", until=None, because=because, basis=[]
    )


def test_a_barred_matter_not_denied(evaluated: tuple[Ruleset, Decision]) -> None:
    rs, d = evaluated
    mid, matter = _barring(rs)
    bad = _copy(d)
    bad.measures = [_measure(mid, [], rs)]
    bad.matters = [MatterOut(matter=matter, outcome="allow", measures=[], basis=[])]
    assert _paths(rs, bad) == ["/matters/0/outcome"]
    bad.matters[0].outcome = "deny"
    assert _paths(rs, bad) == []


def _trace(rule: str, fact: str, effect: str) -> TraceEntry:
    return TraceEntry(rule=rule, fact=fact, fired=True, stratum=0, effect=effect, basis=[])


def _ranked_pair(rs: Ruleset) -> tuple[str, str]:
    """A rule id and one of a lower rank it prevails over."""
    ranking = rs.ranking()
    rules = [r.id for r in rs.all_rules()]
    lo = next(r for r in rules if r.startswith("nt2021."))
    hi = next(r for r in rules if ranking.prevails(r, lo))
    return hi, lo


def test_a_sanction_measure_on_a_record_found_unusable(
    evaluated: tuple[Ruleset, Decision],
) -> None:
    rs, d = evaluated
    mid = next(m.id for m in rs.all_measures().values() if m.kind == "sanction" and not m.bars)
    hi, lo = _ranked_pair(rs)
    bad = _copy(d)
    rec = bad.records[0]
    rec.usable_for_sanction = False
    fact = "record:" + rec.id
    bad.measures = [_measure(mid, [rec.id], rs)]
    # No rule found it unusable: false for want of a finding, the check does not apply.
    assert _paths(rs, bad) == []
    bad.trace = [
        _trace(lo, fact, "usable_for_sanction = False"),
        _trace(lo, fact, f"measure {mid}"),
    ]
    assert _paths(rs, bad) == ["/measures/0"]
    # A measure applied by a rule of higher rank stands (higher law wins).
    bad.trace[1] = _trace(hi, fact, f"measure {mid}")
    assert _paths(rs, bad) == []
    # A reward is no sanction.
    bad.trace[1] = _trace(lo, fact, f"measure {mid}")
    reward = next(
        (m for m in rs.all_measures().values() if m.kind != "sanction" and not m.bars), None
    )
    if reward is not None:
        bad.measures = [_measure(reward.id, [rec.id], rs)]
        assert _paths(rs, bad) == []


def test_evaluate_raises_rather_than_return_a_contradiction(
    evaluated: tuple[Ruleset, Decision], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, d = evaluated
    case: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    real = run.assemble

    def contradicting(*args: Any, **kwargs: Any) -> Decision:
        out = real(*args, **kwargs)
        out.records[0].repair.eligible, out.records[0].repair.never = True, True
        return out

    monkeypatch.setattr(run, "assemble", contradicting)
    with pytest.raises(ContradictionError) as exc:
        creditrules.evaluate("cn.js.nantong", case, backend="reference")
    assert isinstance(exc.value, CreditRulesError)
    assert exc.value.problems[0][0] == "/records/0/repair/eligible"
    assert "contradict" in str(exc.value)
