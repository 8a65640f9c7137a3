"""Every scenario file under tests/scenarios, one pytest test per scenario.

Scenario files are written by policy staff (see ``creditrules.scenarios``); the same
runner serves ``creditrules test``. A malformed file is one failing test that names
``file:line``. ``test_every_rule_fires_and_not_fires`` checks that the scenarios
exercise every rule of every bundled ruleset version both ways.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.scenarios import (
    RulesetCache,
    ScenarioFile,
    ScenarioFileError,
    find_scenario_files,
    load_scenario_file,
    run_paths,
    run_scenario,
)

HERE = Path(__file__).parent
_CACHE = RulesetCache()


def _collect() -> list[Any]:
    params = []
    for path in find_scenario_files([HERE]):
        label = f"{path.parent.name}/{path.stem}"
        try:
            sf = load_scenario_file(path)
        except ScenarioFileError as exc:
            params.append(pytest.param(None, 0, str(exc), id=f"{label}::<malformed>"))
            continue
        for s in sf.scenarios:
            params.append(pytest.param(sf, s.index, None, id=f"{label}::{s.name}"))
    return params


@pytest.mark.parametrize(("sf", "index", "problem"), _collect())
def test_scenario(sf: ScenarioFile | None, index: int, problem: str | None) -> None:
    if sf is None:
        pytest.fail(problem or "malformed scenario file", pytrace=False)
    result = run_scenario(sf, sf.scenarios[index], backend="both", rulesets=_CACHE)
    if not result.passed:
        pytest.fail("\n".join(result.lines()), pytrace=False)


def test_every_rule_fires_and_not_fires() -> None:
    """Each rule of each bundled ruleset version fires in some scenario and, where it has a
    condition, fails to fire in some scenario. A rule with no ``when`` holds for every fact
    of its kind (there is always one subject fact), so only its firing can be shown.

    Rule ids are global and never reused, so a rule counts as covered wherever it was
    exercised: a parent's rules by the parent's scenarios, an included version's rules by
    that version's scenarios.
    """
    report = run_paths([HERE])
    fired: set[str] = set()
    not_fired: set[str] = set()
    for per_rule in report.coverage.values():
        for rid, (f, n) in per_rule.items():
            if f:
                fired.add(rid)
            if n:
                not_fired.add(rid)
    problems = []
    for entry in creditrules.list_rulesets():
        rs = creditrules.load_ruleset(entry.folder)
        never_fired = [r.id for r in rs.rules if r.id not in fired]
        never_not = [r.id for r in rs.rules if r.when is not None and r.id not in not_fired]
        if never_fired:
            problems.append(
                f"{rs.ref}: no scenario where these rules fire: {', '.join(never_fired)}"
            )
        if never_not:
            problems.append(
                f"{rs.ref}: no scenario where these rules do not fire: {', '.join(never_not)}"
            )
    assert not problems, "\n".join(problems)
