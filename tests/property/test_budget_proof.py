"""Property: no ruleset the validator accepts compiles to a durable_rules pattern outside the
safe budget, however its conditions are written.

durable_rules 2.0.28 hangs or kills the process past limits it does not check
(docs/engine.md, "The budget"): 512 child conditions under one node hang evaluation and
≥ 513 hang registration, 65 simultaneously true sibling conditions fail (303), 16 and
more ``$and``/``$or`` objects in one rule fail (113), 254 keys in a fact fail (302).
Random rule conditions (any nesting of all/any/not over every operator, lists of up to
80 values) are written into a tiny ruleset; whatever ``creditrules.validate`` accepts is
compiled by the adapter, and the JSON it would hand the engine is measured here, without
the adapter's own counting functions: every chunk's tests, every rule's groups, every
fact's keys stay inside the budget, and the budget inside the engine's limits. The same
ruleset, named by a scenario file, is refused by the scenario runner when it is over the
budget (the runner checks what ``load_ruleset`` checks).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.compile import durable
from creditrules.compile.ir import BUDGET_GROUPS, BUDGET_KEYS, BUDGET_TESTS, stratify
from creditrules.scenarios import run_paths

FIXTURE = Path(__file__).resolve().parents[1] / "authoring_errors" / "CR401-budget-exceeded"
#: durable_rules' own limits (durable-rules notes, "Hard limits").
ENGINE_CHILDREN = 511
ENGINE_SIMULTANEOUS = 64
ENGINE_GROUPS = 15
ENGINE_KEYS = 253

BEHAVIORS = [f"b{i:02d}" for i in range(100)]
CASE = {
    "as_of": "2025-11-20",
    "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
    "records": [
        {
            "id": "r1",
            "category": "negative",
            "behavior": "b01",
            "severity": "general",
            "basis": {
                "type": "admin_penalty",
                "procedure": "ordinary",
                "penalties": ["fine_large"],
            },
            "determined_on": "2025-03-10",
        }
    ],
}
leaves = st.one_of(
    st.builds(lambda v: {"field": "behavior", "eq": v}, st.sampled_from(BEHAVIORS)),
    st.builds(lambda v: {"field": "behavior", "ne": v}, st.sampled_from(BEHAVIORS)),
    st.builds(
        lambda vs: {"field": "behavior", "in": vs},
        st.lists(st.sampled_from(BEHAVIORS), min_size=1, max_size=80, unique=True),
    ),
    st.builds(
        lambda vs: {"field": "behavior", "not_in": vs},
        st.lists(st.sampled_from(BEHAVIORS), min_size=1, max_size=80, unique=True),
    ),
    st.builds(
        lambda v: {"field": "severity", "eq": v}, st.sampled_from(["minor", "general", "serious"])
    ),
    st.builds(
        lambda v: {"field": "category", "in": v},
        st.lists(
            st.sampled_from(["basic", "positive", "negative", "other"]), min_size=1, unique=True
        ),
    ),
    st.builds(
        lambda op, d: {"field": "determined_on", op: d},
        st.sampled_from(["gt", "gte", "lt", "lte"]),
        st.sampled_from(["2018-06-26", "2020-12-07", "2026-04-01"]),
    ),
    st.builds(
        lambda vs: {"field": "basis.penalties", "contains": vs},
        st.lists(
            st.sampled_from(["warning", "fine_small", "fine_large", "confiscation", "detention"]),
            min_size=1,
            unique=True,
        ),
    ),
    st.builds(lambda b: {"field": "intentional", "eq": b}, st.booleans()),
    st.builds(lambda b: {"field": "domain", "is_null": b}, st.booleans()),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=14,
)


def _write(tmp_path: Path, conds: list[dict[str, Any]]) -> Path:
    folder = tmp_path / "rs"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(FIXTURE, folder)
    (folder / "expected.txt").unlink()
    rules = [
        {
            "id": f"t.validity.r{i}",
            "title": "一般失信信息有效期1年",
            "applies_to": "record",
            "when": c,
            "then": {"period": {"name": "validity", "from": "determined_on", "duration": "P1Y"}},
            "cites": [{"document": "t.measures", "article": "第三十条"}],
        }
        for i, c in enumerate(conds)
    ]
    (folder / "rules.yaml").write_text(
        yaml.safe_dump({"rules": rules}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


def _tests(expr: Any) -> int:
    """Comparison objects in a durable_rules expression (every dict that is not a group)."""
    if isinstance(expr, list):
        return sum(_tests(e) for e in expr)
    if not isinstance(expr, dict):
        return 0
    if set(expr) <= {"$and", "$or"}:
        return sum(_tests(v) for v in expr.values())
    return len(expr)  # {"k": v, ...} or {"$op": {...}}: one test per entry


def _groups(expr: Any) -> int:
    if isinstance(expr, list):
        return sum(_groups(e) for e in expr)
    if not isinstance(expr, dict):
        return 0
    return sum(1 for k in expr if k in ("$and", "$or")) + sum(_groups(v) for v in expr.values())


def _keys_of(expr: Any, out: set[str]) -> set[str]:
    if isinstance(expr, list):
        for e in expr:
            _keys_of(e, out)
    elif isinstance(expr, dict):
        for k, v in expr.items():
            if k.startswith("$"):
                _keys_of(v, out)
            else:
                out.add(k)
    return out


def _check(tmp_path: Path, conds: list[dict[str, Any]]) -> None:
    folder = _write(tmp_path, conds)
    errors = [d for d in creditrules.validate(folder) if d.severity == "error"]
    if errors:
        assert {d.code for d in errors} <= {"CR401", "CR402"}, [d.render() for d in errors]
        return
    rs = creditrules.load_ruleset(folder)
    plan, problems = stratify(rs)
    assert plan is not None and not problems
    for level in range(plan.levels + 1):
        rules = plan.at(level)
        if not rules:
            continue
        for part in durable.chunk(rules):
            definition = durable.definition(part, "budget-proof")
            tests = 0
            for rule_id, body in definition.items():
                expr = body["all"][0]["m"]
                tests += _tests(expr)
                assert _groups(expr) <= BUDGET_GROUPS, rule_id
                assert len(_keys_of(expr, set())) <= BUDGET_KEYS
            # The sentinel's own test is the one beyond the budget.
            assert tests <= BUDGET_TESTS + 1, [r.id for r in part]
    # And the engine takes it: registered and evaluated, on both backends, in agreement.
    creditrules.evaluate(rs, CASE, backend="both")
    assert BUDGET_TESTS + 1 <= min(ENGINE_CHILDREN, ENGINE_SIMULTANEOUS)
    assert BUDGET_GROUPS <= ENGINE_GROUPS and BUDGET_KEYS <= ENGINE_KEYS


SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck)}


@settings(max_examples=15, **SETTINGS)  # type: ignore[arg-type]
@given(st.lists(conditions, min_size=1, max_size=5))
def test_accepted_rulesets_stay_inside_the_engine_budget(
    tmp_path: Path, conds: list[dict[str, Any]]
) -> None:
    _check(tmp_path, conds)


@pytest.mark.slow
@settings(max_examples=150, **SETTINGS)  # type: ignore[arg-type]
@given(st.lists(conditions, min_size=1, max_size=12))
def test_accepted_rulesets_stay_inside_the_engine_budget_many(
    tmp_path: Path, conds: list[dict[str, Any]]
) -> None:
    _check(tmp_path, conds)


def test_the_scenario_runner_refuses_a_ruleset_over_the_budget(tmp_path: Path) -> None:
    folder = tmp_path / "rs"
    shutil.copytree(FIXTURE, folder)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "ruleset: ./rs\n"
        "defaults:\n  subject: {id: 91320600MA1MXXXX9Y, type: legal_person}\n"
        "scenarios:\n"
        "  - name: 超出预算\n"
        "    case:\n"
        "      as_of: 2025-11-20\n"
        "      records:\n"
        "        - {id: r1, category: negative, behavior: b01, severity: general,"
        " basis: {type: admin_penalty, procedure: ordinary}, determined_on: 2025-03-10}\n"
        "    expect:\n"
        "      fired: [t.validity.general]\n",
        encoding="utf-8",
    )
    before = durable.live_rulesets()
    text = run_paths([scenario]).render()
    assert "has 1 error(s)" in text and "one rule may make at most 48" in text, text
    assert durable.live_rulesets() == before  # nothing reached the engine
