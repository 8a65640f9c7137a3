"""Run scenarios: evaluate each case, check its expectations, and record coverage."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from creditrules.api import check_loaded
from creditrules.errors import (
    CreditRulesError,
    EngineError,
    InputError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
)
from creditrules.evaluate import evaluate
from creditrules.evaluate.basis_check import basis_problems
from creditrules.evaluate.case_input import parse_case
from creditrules.evaluate.run import Backend
from creditrules.loader import MANIFEST, Ruleset, load, resolve
from creditrules.model.decision import Decision
from creditrules.scenarios.fileformat import (
    Expect,
    Scenario,
    ScenarioFile,
    ScenarioFileError,
    is_scenario_file,
    load_scenario_file,
)
from creditrules.source import PathKey, load_yaml_file

#: Per ruleset ref (``id@version``), per rule id: (fired on some fact, evaluated and did
#: not fire on some fact).
Coverage = dict[str, dict[str, tuple[bool, bool]]]


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    """One unmet expectation (or one problem with a file), at a line of the file."""

    line: int
    message: str


@dataclass
class ScenarioResult:
    """The outcome of one scenario (``name`` is None for a file that could not be read)."""

    file: str
    name: str | None
    line: int
    failures: list[Failure] = field(default_factory=list)
    ruleset: str | None = None
    decision: Decision | None = None

    @property
    def passed(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        """``file:line: scenario 'name': why`` for each failure."""
        who = f"scenario '{self.name}': " if self.name is not None else ""
        return [f"{self.file}:{f.line}: {who}{f.message}" for f in self.failures]


@dataclass
class RunReport:
    """Every scenario's result and which rules the scenarios exercised."""

    results: list[ScenarioResult] = field(default_factory=list)
    coverage: Coverage = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.passed)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def uncovered(self, ref: str) -> tuple[list[str], list[str]]:
        """Rule ids of ``ref`` that never fired, and those that never failed to fire."""
        cov = self.coverage.get(ref, {})
        return sorted(r for r, (f, _) in cov.items() if not f), sorted(
            r for r, (_, n) in cov.items() if not n
        )

    def render(self) -> str:
        """One line per failure, then ``N passed, M failed``."""
        out = [line for r in self.results for line in r.lines()]
        out.append(f"{self.passed} passed, {self.failed} failed")
        return "\n".join(out)


# ---------------------------------------------------------------- running


class RulesetCache:
    """Rulesets loaded once per run and checked the way ``creditrules.load_ruleset`` checks
    them (shape, semantic checks, stratification, engine budget); an unpinned id is resolved
    by as_of."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[Path, ...], Ruleset] = {}

    def get(self, ref: str, on: date) -> Ruleset:
        """The ruleset ``ref`` names (the version in force ``on``, for a bare id), with the
        parent versions in force ``on`` — a pinned child still layers on the parent of its date."""
        key = self._chain(ref, on)
        rs = self._by_key.get(key)
        if rs is None:
            rs = _load_checked(ref, on)
            self._by_key[key] = rs
        return rs

    def loaded(self) -> list[Ruleset]:
        """Every ruleset loaded so far."""
        return list(self._by_key.values())

    @staticmethod
    def _chain(ref: str, on: date) -> tuple[Path, ...]:
        folders: list[Path] = []
        current: str | None = ref
        while current:
            try:
                folder = resolve(current, on=on)
            except CreditRulesError:
                break  # reported when the ruleset is loaded
            if folder in folders:
                break
            folders.append(folder)
            loaded, _ = load_yaml_file(folder / MANIFEST)
            data = loaded.data if loaded is not None else None
            current = data.get("extends") if isinstance(data, dict) else None
        return tuple(folders) or (Path(ref),)


def _load_checked(ref: str, on: date) -> Ruleset:
    rs, diags = load(ref, on=on)
    errors = [d for d in diags if d.severity == "error"]
    if rs is not None and not errors:
        # The same checks as load_ruleset, the engine budget among them: a scenario must
        # not be the one way to hand durable_rules a ruleset it cannot survive.
        errors = [d for d in check_loaded(rs) if d.severity == "error"]
    if rs is None or errors:
        shown = "; ".join(
            str(d.message if d.span is None else f"{d.span}: {d.message}") for d in errors[:3]
        )
        raise RulesetError(
            f"ruleset {ref} has {len(errors)} error(s): {shown}", list[object](errors)
        )
    return rs


def run_scenario(
    sf: ScenarioFile,
    scenario: Scenario,
    *,
    backend: Backend = "both",
    rulesets: RulesetCache | None = None,
    coverage: Coverage | None = None,
) -> ScenarioResult:
    """Evaluate one scenario of a file and check its expectations.

    ``coverage``, if given, is updated from the decision's trace.
    """
    res = ScenarioResult(sf.display, scenario.name, scenario.line)
    base: PathKey = ("scenarios", scenario.index)
    exp = scenario.expect
    case_line = sf.line_of(base + ("case",))
    try:
        case = parse_case(scenario.case)
        rs = (rulesets or RulesetCache()).get(sf.ruleset_ref(), case.as_of)
        res.ruleset = rs.ref
        if coverage is not None:
            _cover(coverage, rs, None)
        decision = evaluate(rs, case, backend=backend)
    except InputError as exc:
        res.failures += _check_refusal(sf, base, exp, exc)
        return res
    except RulesetNotFoundError as exc:
        res.failures.append(Failure(sf.line_of(("ruleset",)), str(exc)))
        return res
    except RulesetError as exc:
        res.failures.append(Failure(sf.line_of(("ruleset",)), str(exc)))
        return res
    except EngineError as exc:
        res.failures.append(Failure(case_line, f"engine error: {exc}"))
        return res
    except RuleConflictError as exc:
        res.failures.append(Failure(case_line, f"rule conflict: {exc}"))
        return res
    except CreditRulesError as exc:
        res.failures.append(Failure(case_line, f"{type(exc).__name__}: {exc}"))
        return res
    except Exception as exc:  # one broken case must not stop the run
        res.failures.append(Failure(case_line, f"internal error {type(exc).__name__}: {exc}"))
        return res
    res.decision = decision
    if coverage is not None:
        _cover(coverage, rs, decision)
    if exp.error is not None:
        res.failures.append(
            Failure(
                sf.line_of(base + ("expect", "error")),
                f"expected the case to be refused naming {exp.error.field}; it was accepted",
            )
        )
        return res
    res.failures += _check_decision(sf, base, exp, decision, {r.id for r in rs.all_rules()})
    # Whatever the scenario expects, the decision must cite Chinese law for every conclusion.
    res.failures += [Failure(case_line, f"basis: {p}") for p in basis_problems(decision)]
    return res


def _check_refusal(sf: ScenarioFile, base: PathKey, exp: Expect, exc: InputError) -> list[Failure]:
    got = "; ".join(f"{p}: {m}" for p, m in exc.problems)
    if exp.error is None:
        return [Failure(sf.line_of(base + ("case",)), f"the case was refused: {got}")]
    line = sf.line_of(base + ("expect", "error"))
    named = [m for p, m in exc.problems if p == exp.error.field]
    if not named:
        return [
            Failure(
                line,
                f"expected the case to be refused naming {exp.error.field}; it was refused naming: {got}",
            )
        ]
    if exp.error.message and not any(exp.error.message in m for m in named):
        return [
            Failure(
                line,
                f"{exp.error.field} was refused with {named[0]!r}, which does not contain {exp.error.message!r}",
            )
        ]
    return []


def _show(v: Any) -> str:
    return "null" if v is None else repr(v)


def _match(expected: Any, actual: Any, path: str) -> list[str]:
    """Differences between an expected subset and the actual value (empty if it matches)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a mapping, got {_show(actual)}"]
        out: list[str] = []
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: not in the decision")
            else:
                out += _match(v, actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {_show(actual)}"]
        if all(not isinstance(x, dict | list) for x in expected):
            if sorted(map(repr, expected)) != sorted(map(repr, actual)):
                return [f"{path}: expected {expected!r}, got {actual!r}"]
            return []
        missing = [x for x in expected if not any(not _match(x, a, path) for a in actual)]
        return [f"{path}: no item matches {x!r}" for x in missing]
    if expected != actual or type(expected) is not type(actual) and not _numeric(expected, actual):
        return [f"{path}: expected {_show(expected)}, got {_show(actual)}"]
    return []


def _numeric(a: Any, b: Any) -> bool:
    return (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )


def _trace_by_rule(decision: Decision) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for t in decision.trace:
        out.setdefault(t.rule, []).append(t)
    return out


def _unknown_rule(rid: str, known: Iterable[str], ref: str) -> str:
    close = difflib.get_close_matches(rid, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{ref} has no rule {rid}{hint}"


def _check_decision(
    sf: ScenarioFile, base: PathKey, exp: Expect, d: Decision, rule_ids: set[str]
) -> list[Failure]:
    out: list[Failure] = []
    eb = base + ("expect",)
    ref = f"{d.ruleset.id}@{d.ruleset.version}"
    by_rule = _trace_by_rule(d)
    for j, rid in enumerate(exp.fired):
        line = sf.line_of(eb + ("fired", j))
        entries = by_rule.get(rid, [])
        if rid not in rule_ids:
            out.append(
                Failure(line, f"expected {rid} to fire; " + _unknown_rule(rid, rule_ids, ref))
            )
        elif not any(t.fired for t in entries):
            why = "; ".join(f"{t.fact}: {t.why_not or 'no reason recorded'}" for t in entries)
            out.append(
                Failure(
                    line,
                    f"expected {rid} to fire; it did not: {why or 'no fact of its kind in the case'}",
                )
            )
    for j, rid in enumerate(exp.not_fired):
        line = sf.line_of(eb + ("not_fired", j))
        entries = by_rule.get(rid, [])
        if rid not in rule_ids:
            out.append(
                Failure(line, f"expected {rid} not to fire; " + _unknown_rule(rid, rule_ids, ref))
            )
            continue
        hits = [t for t in entries if t.fired]
        if hits:
            shown = "; ".join(f"{t.fact}: {t.effect}" for t in hits)
            out.append(Failure(line, f"expected {rid} not to fire; it fired on {shown}"))
    data = d.model_dump(mode="json", by_alias=True)
    records = {r["id"]: r for r in data["records"]}
    for rid, want in exp.records.items():
        line = sf.line_of(eb + ("records", rid))
        if rid not in records:
            out.append(
                Failure(
                    line,
                    f"no record '{rid}' in the decision (records: {', '.join(records) or 'none'})",
                )
            )
            continue
        for diff in _match(want, records[rid], f"records.{rid}"):
            out.append(Failure(line, diff + _deciders(d, rid, diff)))
    for name, items in (
        ("lists", exp.lists),
        ("measures", exp.measures),
        ("deadlines", exp.deadlines),
    ):
        actual = data[name]
        for j, want in enumerate(items):
            if not any(not _match(want, a, name) for a in actual):
                out.append(
                    Failure(
                        sf.line_of(eb + (name, j)),
                        f"no entry of {name} matches {want!r}; {name}: {_brief(name, actual)}",
                    )
                )
    for j, lid in enumerate(exp.no_lists):
        hits = [x for x in data["lists"] if x["list"] == lid]
        if hits:
            out.append(
                Failure(
                    sf.line_of(eb + ("no_lists", j)),
                    f"expected no {lid} entry; got {_brief('lists', hits)}",
                )
            )
    for j, mid in enumerate(exp.no_measures):
        hits = [x for x in data["measures"] if x["id"] == mid]
        if hits:
            out.append(
                Failure(
                    sf.line_of(eb + ("no_measures", j)),
                    f"expected no measure {mid}; got {_brief('measures', hits)}",
                )
            )
    if exp.layers is not None:
        got_layers = [f"{x.id}@{x.version}" for x in d.ruleset.layers]
        if got_layers != exp.layers:
            out.append(
                Failure(
                    sf.line_of(eb + ("layers",)),
                    f"layers: expected {exp.layers!r}, got {got_layers!r}",
                )
            )
    if exp.grade is not None:
        line = sf.line_of(eb + ("grade",))
        got_grade = data.get("grade")
        if got_grade is None:
            out.append(Failure(line, "expected a grade; the decision has none"))
        else:
            out += [Failure(line, p) for p in _match(exp.grade, got_grade, "grade")]
    matters = {m["matter"]: m for m in data["matters"]}
    for matter, outcome in exp.matters.items():
        line = sf.line_of(eb + ("matters", matter))
        got = matters.get(matter)
        if got is None:
            out.append(
                Failure(line, f"matter {matter} is not in the decision (list it in case.matters)")
            )
        elif got["outcome"] != outcome:
            why = got.get("reason") or ", ".join(f"{b['article']}" for b in got["basis"])
            out.append(
                Failure(
                    line,
                    f"matters.{matter}: expected {_show(outcome)}, got {_show(got['outcome'])} ({why})",
                )
            )
    return out


def _deciders(d: Decision, rid: str, diff: str) -> str:
    """Which rules set the value that differs (from the trace's effects)."""
    parts = diff.split(":", 1)[0].split(".")
    if len(parts) < 3:
        return ""
    attr = parts[2]
    key = {"validity_until": "validity:", "under_objection": "status ="}.get(attr, f"{attr} =")
    who = [
        t.rule
        for t in d.trace
        if t.fact == f"record:{rid}" and t.fired and t.effect and key in t.effect
    ]
    return f" (set by {', '.join(who)})" if who else ""


def _brief(name: str, items: list[Mapping[str, Any]]) -> str:
    if not items:
        return "none"
    keys = {
        "lists": ("list", "active", "since", "until"),
        "measures": ("id", "target", "person", "until"),
        "deadlines": ("procedure", "from", "due", "error"),
    }[name]
    return "; ".join(", ".join(f"{k}={_show(i.get(k))}" for k in keys) for i in items)


def _cover(cov: Coverage, rs: Ruleset, d: Decision | None) -> None:
    rules = cov.setdefault(rs.ref, {})
    for r in rs.all_rules():
        rules.setdefault(r.id, (False, False))
    if d is None:
        return
    for t in d.trace:
        f, n = rules.get(t.rule, (False, False))
        rules[t.rule] = (f or t.fired, n or not t.fired)


def find_scenario_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files named, and the scenario files found under the folders named (sorted).

    Under a folder only files with a top-level ``scenarios:`` key count, so a ruleset's own
    YAML beside its scenarios is not read as a broken scenario file; a file named directly
    is always read as a scenario file, so a mistyped one is reported, never skipped.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.y*ml") if x.is_file() and is_scenario_file(x))
        else:
            out.append(p)
    return out


def file_failure(exc: ScenarioFileError) -> ScenarioResult:
    """The failing result that stands for a malformed scenario file (one per file)."""
    fails = [Failure(line, msg) for line, msg in exc.problems]
    return ScenarioResult(exc.file, None, fails[0].line, fails)


def run_paths(
    paths: list[Path],
    *,
    backend: Backend = "both",
    on_progress: Callable[[int, int], None] | None = None,
) -> RunReport:
    """Run every scenario file under ``paths``; malformed files count as failures.

    ``on_progress(done, total)`` is called after each scenario (a malformed file counts
    as one), once every file has been read.
    """
    report = RunReport()
    rulesets = RulesetCache()
    loaded: list[ScenarioFile | ScenarioResult] = []
    for path in find_scenario_files(paths):
        try:
            loaded.append(load_scenario_file(path))
        except ScenarioFileError as exc:
            loaded.append(file_failure(exc))
    total = sum(len(x.scenarios) if isinstance(x, ScenarioFile) else 1 for x in loaded)
    for item in loaded:
        results: Iterable[ScenarioResult] = (
            [item]
            if isinstance(item, ScenarioResult)
            else (
                run_scenario(
                    item, scenario, backend=backend, rulesets=rulesets, coverage=report.coverage
                )
                for scenario in item.scenarios
            )
        )
        for result in results:
            report.results.append(result)
            if on_progress is not None:
                on_progress(len(report.results), total)
    return report
