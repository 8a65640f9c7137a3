"""Every class of bad input in docs/bad-input.md (and docs/zh/bad-input.md) gets what the
table says: refused (exit 2 / ``InputError`` naming the field), warned (the warning code on
the field), or accepted with the conclusion named.

The tables are the test's data: each row's first cell is a case id in
``tests/bad_input/cases.yaml``, its last cell the expected result, written as
``exit 2 · FIELD``, ``WNNN · FIELD`` or ``accepted · LIST``.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import creditrules
from creditrules.errors import InputError
from creditrules.evaluate.input_use import WARNING_CODES

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "docs" / "zh" / "bad-input.md", REPO / "docs" / "bad-input.md"]
CASES = REPO / "tests" / "bad_input" / "cases.yaml"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*\|\s*`([^`]+)`\s*\|\s*$")


def table(path: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            assert m[1] not in rows, f"{path.name}: row {m[1]} twice"
            rows[m[1]] = m[2]
    return rows


@cache
def cases() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return data


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def apply(case: dict[str, Any], path: str, value: Any) -> None:
    steps: list[str | int] = [int(i) if i else name for name, i in _STEP.findall(path)]
    node: Any = case
    for step in steps[:-1]:
        node = node.setdefault(step, {}) if isinstance(step, str) else node[step]
    node[steps[-1]] = copy.deepcopy(value)


def build(case_id: str) -> tuple[str, dict[str, Any]]:
    spec = cases()["cases"][case_id]
    case = copy.deepcopy(cases()["base"])
    for path, value in (spec.get("set") or {}).items():
        apply(case, path, value)
    return spec["ruleset"], case


ROWS = table(DOCS[0])


def test_both_languages_list_the_same_rows() -> None:
    assert table(DOCS[1]) == ROWS


def test_every_case_has_a_row_and_every_row_a_case() -> None:
    assert set(ROWS) == set(cases()["cases"])


def test_every_warning_code_is_tried() -> None:
    tried = {r.split(" · ")[0] for r in ROWS.values()}
    assert set(WARNING_CODES) <= tried


@pytest.mark.parametrize("case_id", sorted(ROWS))
def test_row(case_id: str) -> None:
    expected = ROWS[case_id]
    kind, _, target = expected.partition(" · ")
    ref, case = build(case_id)
    rs = creditrules.load_ruleset(ref)
    if kind == "exit 2":
        with pytest.raises(InputError) as info:
            creditrules.evaluate(rs, case, backend="reference")
        fields = [path for path, _ in info.value.problems]
        assert target in fields, f"{case_id}: refused naming {fields}, not {target}"
        return
    decision = creditrules.evaluate(rs, case, backend="reference")
    got = [(w.code, w.field) for w in decision.warnings]
    if kind == "accepted":
        assert any(e.list == target and e.active for e in decision.lists), decision.lists
        assert not [w for w in got if w[1].endswith(".list.id")], got
        return
    assert kind in WARNING_CODES, expected
    assert (kind, target) in got, f"{case_id}: warnings {got}"
