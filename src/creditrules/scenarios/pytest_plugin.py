"""pytest collects scenario files: ``pytest path/to/scenarios/`` runs each scenario as a test.

Installed with creditrules (entry point ``pytest11``), so it works in any checkout, the
way OpenFisca's YAML tests do. A ``.yaml``/``.yml`` file whose top level has a
``scenarios:`` key is a scenario file; each of its scenarios is one test item named
``file.yaml::scenario name``, so ``-k``, ``-x``, ``--lf`` and pytest-xdist's ``-n`` work
as for any test. A failing item prints the scenario's own failure lines
(``file:line: scenario 'name': why``), never a Python traceback; a malformed file is one
failing item, ``file.yaml::<malformed>``, naming ``file:line`` of each problem. The
runner is the one behind ``creditrules test`` (``run_scenario``).

Settings (``[tool.pytest.ini_options]`` or the command line)::

    creditrules_backend = both        # --scenario-backend: durable_rules | reference | both
    creditrules_replay = true         # also store each decision as JSON, replay it, require identical
    creditrules_coverage = bundled    # --scenario-coverage: run | bundled | off (the default)

Coverage: once every collected scenario has run (no ``-k``/``-m`` deselection, no ``-x``
stop), ``run`` requires every rule of every ruleset the scenarios
used to fire in some scenario and, if it has a condition, not to fire in another;
``bundled`` requires it of every rule of every bundled ruleset version. Rule ids are
global, so a rule counts wherever it was exercised. A gap fails the run with a
"creditrules scenario coverage" section. With xdist the workers send their coverage to
the controller, which checks it. The ini setting applies to a run without path
arguments (the whole suite, ``testpaths``); ``--scenario-coverage`` applies to any run.

To leave scenario files out of a run: ``pytest -p no:creditrules``, or a conftest's
``collect_ignore``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from creditrules.api import list_rulesets, load_ruleset, replay
from creditrules.evaluate.privacy import READ_BY_RULES
from creditrules.evaluate.run import Backend
from creditrules.scenarios.fileformat import (
    Scenario,
    ScenarioFile,
    ScenarioFileError,
    is_scenario_file,
    load_scenario_file,
)
from creditrules.scenarios.runner import Coverage, RulesetCache, file_failure, run_scenario

_BACKENDS = ("durable_rules", "reference", "both")
_COVERAGE_MODES = ("off", "run", "bundled")
#: The key of this plugin's state in ``config.stash``, and in xdist's ``workeroutput``.
_STATE = pytest.StashKey["_State"]()
_WORKER_KEY = "creditrules_scenarios"
#: The coverage gaps found after the run, for the terminal summary.
_GAPS = pytest.StashKey[list[str]]()


# ---------------------------------------------------------------- settings and state


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("creditrules", "creditrules scenario files")
    group.addoption(
        "--scenario-backend",
        choices=_BACKENDS,
        default=None,
        help="engine for scenario files (default: the creditrules_backend ini, else both)",
    )
    group.addoption(
        "--scenario-coverage",
        choices=_COVERAGE_MODES,
        default=None,
        help="after a full run, require every rule to fire and not fire "
        "(default: the creditrules_coverage ini when pytest is run without paths, else off)",
    )
    parser.addini("creditrules_backend", "engine for scenario files", default="both")
    parser.addini(
        "creditrules_replay",
        "also replay every scenario's decision from its JSON and require it identical",
        type="bool",
        default=False,
    )
    parser.addini(
        "creditrules_coverage",
        "after a full run, require every rule to fire and not fire: off, run or bundled",
        default="off",
    )


@dataclass
class _State:
    """One process's view of the run (a worker's, or the only process's)."""

    backend: Backend
    replay: bool
    coverage_mode: str
    rulesets: RulesetCache = field(default_factory=RulesetCache)
    coverage: Coverage = field(default_factory=dict)
    selected: int = 0
    deselected: int = 0
    ran: int = 0
    #: What xdist workers sent to the controller.
    from_workers: list[dict[str, Any]] = field(default_factory=list)


def pytest_configure(config: pytest.Config) -> None:
    backend = config.getoption("--scenario-backend") or config.getini("creditrules_backend")
    mode = config.getoption("--scenario-coverage")
    if mode is None:
        # The ini setting describes the whole suite: a run of some paths is not checked
        # against it (a policy officer testing one folder would always fail).
        by_ini = config.args_source != pytest.Config.ArgsSource.ARGS
        mode = (str(config.getini("creditrules_coverage")).strip() or "off") if by_ini else "off"
    if backend not in _BACKENDS:
        raise pytest.UsageError(f"creditrules_backend: {backend!r} is not one of {_BACKENDS}")
    if mode not in _COVERAGE_MODES:
        raise pytest.UsageError(f"creditrules_coverage: {mode!r} is not one of {_COVERAGE_MODES}")
    config.stash[_STATE] = _State(backend, bool(config.getini("creditrules_replay")), mode)


# ---------------------------------------------------------------- collection


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path):
        return ScenarioYamlFile.from_parent(parent, path=file_path)
    return None


class ScenarioYamlFile(pytest.File):
    """A scenario file: one item per scenario, or one failing item if it is malformed."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            sf = load_scenario_file(self.path)
        except ScenarioFileError as exc:
            yield MalformedScenarioFile.from_parent(self, name="<malformed>", error=exc)
            return
        for scenario in sf.scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, sf=sf, scenario=scenario)


class ScenarioFailed(Exception):
    """A scenario's expectations were not met; ``lines`` are its failure lines."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _ScenarioFileItem(pytest.Item):
    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailed):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)


class ScenarioItem(_ScenarioFileItem):
    """One scenario of a file, run as ``creditrules test`` runs it."""

    def __init__(self, *, sf: ScenarioFile, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sf = sf
        self.scenario = scenario

    def runtest(self) -> None:
        state = self.config.stash[_STATE]
        state.ran += 1
        coverage = state.coverage if state.coverage_mode != "off" else None
        result = run_scenario(
            self.sf,
            self.scenario,
            backend=state.backend,
            rulesets=state.rulesets,
            coverage=coverage,
        )
        lines = result.lines()
        if not lines and state.replay and result.decision is not None:
            lines = self._replay(result.decision.model_dump(mode="json", by_alias=True))
        if lines:
            raise ScenarioFailed(lines)

    def _replay(self, decision: dict[str, Any]) -> list[str]:
        """The auditor's path: the decision as stored JSON, replayed from the rulesets. Where
        it masks a value the rules read (a birth date), the auditor brings the original input,
        as replay asks."""
        stored = json.loads(json.dumps(decision, ensure_ascii=False))
        needed = [m for m in stored.get("masked") or [] if m in READ_BY_RULES]
        report = replay(stored, original=dict(self.scenario.case) if needed else None)
        if report.status == "identical":
            return []
        where = f"{self.sf.display}:{self.scenario.line}: scenario '{self.scenario.name}'"
        return [
            f"{where}: replay of the stored decision: {line}"
            for line in report.render().splitlines()
        ]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"


class MalformedScenarioFile(_ScenarioFileItem):
    """A scenario file that could not be read: one failing item naming each problem's line."""

    def __init__(self, *, error: ScenarioFileError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        self.config.stash[_STATE].ran += 1
        raise ScenarioFailed(file_failure(self.error).lines())

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.error.problems[0][0] - 1, "malformed scenario file"


# ---------------------------------------------------------------- coverage after the run


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, _ScenarioFileItem):
            item.config.stash[_STATE].deselected += 1


def pytest_collection_finish(session: pytest.Session) -> None:
    state = session.config.stash[_STATE]
    state.selected = sum(1 for i in session.items if isinstance(i, _ScenarioFileItem))


def _worker_summary(state: _State) -> dict[str, Any]:
    conditional = {
        r.id for rs in state.rulesets.loaded() for r in rs.all_rules() if r.when is not None
    }
    return {
        "coverage": {
            ref: {k: list(v) for k, v in rules.items()} for ref, rules in state.coverage.items()
        },
        "conditional": sorted(conditional),
        "selected": state.selected,
        "deselected": state.deselected,
        "ran": state.ran,
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist: a worker finished; keep what it sent."""
    sent = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if sent is not None:
        node.config.stash[_STATE].from_workers.append(sent)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    state = config.stash[_STATE]
    if state.coverage_mode == "off":
        return
    summary = _worker_summary(state)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller checks
        workeroutput[_WORKER_KEY] = summary
        return
    parts = state.from_workers or [summary]
    selected = max(p["selected"] for p in parts)
    if selected == 0 or any(p["deselected"] for p in parts):
        return
    if sum(p["ran"] for p in parts) < selected or session.shouldfail or session.shouldstop:
        return
    problems = coverage_gaps(parts, state.coverage_mode)
    config.stash[_GAPS] = problems
    if problems and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def coverage_gaps(parts: list[dict[str, Any]], mode: str) -> list[str]:
    """Rules no scenario fired, and conditional rules no scenario left unfired."""
    fired: set[str] = set()
    not_fired: set[str] = set()
    seen: set[str] = set()
    conditional: set[str] = set()
    for p in parts:
        conditional.update(p["conditional"])
        for rules in p["coverage"].values():
            for rid, (f, n) in rules.items():
                seen.add(rid)
                if f:
                    fired.add(rid)
                if n:
                    not_fired.add(rid)
    groups: list[tuple[str, list[str], list[str]]] = []
    if mode == "bundled":
        for entry in list_rulesets():
            rs = load_ruleset(entry.folder)
            own = [r.id for r in rs.rules]
            groups.append((rs.ref, own, [r.id for r in rs.rules if r.when is not None]))
    else:
        groups.append(("the rulesets the scenarios used", sorted(seen), sorted(seen & conditional)))
    out = []
    for name, rules, cond in groups:
        never_fired = [r for r in rules if r not in fired]
        never_not = [r for r in cond if r not in not_fired]
        if never_fired:
            out.append(f"{name}: no scenario where these rules fire: {', '.join(never_fired)}")
        if never_not:
            out.append(f"{name}: no scenario where these rules do not fire: {', '.join(never_not)}")
    return out


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    problems = config.stash.get(_GAPS, [])
    if problems:
        terminalreporter.section("creditrules scenario coverage", sep="=", red=True)
        for line in problems:
            terminalreporter.line(line)
