"""Bad cases through the Python API: ``InputError.problems`` names every field.

The CLI prints these pairs one a line (tests/cli); here the pairs themselves are checked,
since callers such as government systems read them without parsing text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import creditrules

REPO = Path(__file__).resolve().parents[2]
BASE: dict[str, Any] = json.loads(
    (REPO / "examples" / "nantong-2026.json").read_text(encoding="utf-8")
)


def _edit(fn: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    case = copy.deepcopy(BASE)
    fn(case)
    return case


def _rename_severity(c: dict[str, Any]) -> None:
    c["records"][0]["severty"] = c["records"][0].pop("severity")


CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "unknown field": (_edit(_rename_severity), ["records[0].severty"]),
    "impossible date": (
        _edit(lambda c: c["records"][0].update(determined_on="2024-02-30")),
        ["records[0].determined_on"],
    ),
    "invalid USCC": (_edit(lambda c: c["subject"].update(id="91320600MA1MXXXX9X")), ["subject.id"]),
    "invalid ID card of a representative": (
        _edit(lambda c: c["subject"]["representatives"][0].update(id="320602198001011234")),
        ["subject.representatives[0].id"],
    ),
    "forbidden data, name and Chinese alias": (
        _edit(lambda c: c["records"][0].update(fields={"blood_type": "A", "宗教信仰": "无"})),
        ["records[0].fields.blood_type", "records[0].fields.宗教信仰"],
    ),
    "event naming no record": (
        _edit(lambda c: c["events"][0].update(record="r9")),
        ["events[0].record"],
    ),
    "unknown vocabulary value": (
        _edit(lambda c: c["subject"].update(type="company")),
        ["subject.type"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_problems_name_the_field(name: str) -> None:
    case, paths = CASES[name]
    with pytest.raises(creditrules.InputError) as info:
        creditrules.evaluate("cn.js.nantong@2018", case)
    assert [p for p, _ in info.value.problems] == paths
    for _, message in info.value.problems:
        assert message.strip()
        assert "Traceback" not in message


def test_every_problem_is_reported_at_once() -> None:
    """Problems of one stage are collected, not thrown one at a time."""

    def two(c: dict[str, Any]) -> None:
        c["subject"]["id"] = "91320600MA1MXXXX9X"
        c["records"][0]["fields"] = {"blood_type": "A"}

    with pytest.raises(creditrules.InputError) as info:
        creditrules.evaluate("cn.js.nantong@2018", _edit(two))
    assert [p for p, _ in info.value.problems] == ["subject.id", "records[0].fields.blood_type"]


def test_forbidden_data_cites_the_article() -> None:
    case, _ = CASES["forbidden data, name and Chinese alias"]
    with pytest.raises(creditrules.InputError) as info:
        creditrules.evaluate("cn.js.nantong@2018", case)
    assert all("第十四条" in msg for _, msg in info.value.problems)
