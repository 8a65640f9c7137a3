"""Every scenario's decision, stored as JSON and replayed, comes back identical.

This is the auditor's path: the decision names its ruleset by content hash, keeps its
input (natural persons' identifiers masked) and replay re-evaluates it against exactly
that ruleset version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.errors import InputError
from creditrules.evaluate.case_input import parse_case
from creditrules.scenarios import (
    RulesetCache,
    ScenarioFileError,
    find_scenario_files,
    load_scenario_file,
)

HERE = Path(__file__).parent
_CACHE = RulesetCache()


def _cases() -> list[Any]:
    params = []
    for path in find_scenario_files([HERE]):
        try:
            sf = load_scenario_file(path)
        except ScenarioFileError:
            continue  # reported as a failure by test_scenarios.py
        for s in sf.scenarios:
            if s.expect.error is None:
                params.append(
                    pytest.param(sf, s.index, id=f"{path.parent.name}/{path.stem}::{s.name}")
                )
    return params


@pytest.mark.parametrize(("sf", "index"), _cases())
def test_decision_replays_identically(sf: Any, index: int) -> None:
    scenario = sf.scenarios[index]
    try:
        case = parse_case(scenario.case)
    except InputError:
        pytest.fail("a scenario without an error expectation must be a valid case")
    rs = _CACHE.get(sf.ruleset_ref(), case.as_of)
    decision = creditrules.evaluate(rs, case)
    stored = json.loads(
        json.dumps(decision.model_dump(mode="json", by_alias=True), ensure_ascii=False)
    )
    report = creditrules.replay(stored)
    assert report.status == "identical", report.render()
