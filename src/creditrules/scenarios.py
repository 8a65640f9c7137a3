"""Scenario files: cases written by policy staff together with the answer the law gives.

A scenario file names a ruleset and lists scenarios; each scenario is a case (the
Input of CONTRACT.md) and what the decision must say about it::

    ruleset: cn.js.nantong@2018      # id, id@version, or a folder path relative to this file
    defaults:                        # deep-merged under every case (dicts merge, lists replace)
      subject: {id: 91320600MA1MXXXX9Y, type: legal_person}
    scenarios:
      - name: 严重失信信息三年后不再公开
        case: {as_of: 2027-02-11, records: [...]}
        expect:
          fired: [nt2018.status.expired]
          records: {r1: {status: expired, publishable: false}}

The same runner serves pytest (``tests/scenarios``) and ``creditrules test PATH...``.
Every case is evaluated with ``backend="both"`` by default, so each scenario also
proves that durable_rules and the reference interpreter agree.

How expectations match:

- ``records``, ``lists``, ``measures``, ``deadlines``: the expected mapping is a
  *subset* of the decision's (keys not written are not checked). Inside it, a list of
  plain values must hold exactly those values (in any order: ``unmet: [not_corrected]``
  means no other unmet condition); a list of mappings needs each expected item to match
  some actual item. ``lists``, ``measures`` and ``deadlines`` items must each match some
  entry of the decision.
- ``matters``: the outcome per matter (``null`` where the ruleset has no rule for it).
- ``error``: the case must be refused with an ``InputError`` naming ``field``
  (``message``, if given, must occur in that problem's text). It cannot be combined with
  other expectations: a refused case has no decision.

A malformed scenario file is a failure reported at ``file:line``, never a traceback.

Python API::

    report = run_paths([Path("tests/scenarios")])          # backend="both" by default
    print(report.render())                                 # failures, then "N passed, M failed"
    report.coverage["cn.js.nantong@2018"]["nt2018.validity.serious"]   # (fired, not_fired)

``load_scenario_file`` parses one file (raising ``ScenarioFileError`` with
``(line, problem)`` pairs); ``run_scenario`` runs one scenario of it (pytest uses this
to give every scenario its own test).
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from creditrules.compile.ir import stratify
from creditrules.errors import (
    CreditRulesError,
    EngineError,
    InputError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
    ScenarioError,
)
from creditrules.evaluate import evaluate
from creditrules.evaluate.case_input import parse_case
from creditrules.evaluate.run import Backend
from creditrules.loader import MANIFEST, Ruleset, load, model_diagnostics
from creditrules.model.decision import DeadlineOut, Decision, ListOut, MeasureOut, RecordOut
from creditrules.model.vocab import ListId, Matter, Outcome
from creditrules.source import PathKey, SourceMap, load_yaml_file
from creditrules.validate import check_ruleset

__all__ = [
    "Coverage",
    "Expect",
    "ExpectError",
    "Failure",
    "RulesetCache",
    "RunReport",
    "Scenario",
    "ScenarioFile",
    "ScenarioFileError",
    "ScenarioResult",
    "deep_merge",
    "find_scenario_files",
    "load_scenario_file",
    "run_paths",
    "run_scenario",
]

#: Per ruleset ref (``id@version``), per rule id: (fired on some fact, evaluated and did
#: not fire on some fact).
Coverage = dict[str, dict[str, tuple[bool, bool]]]


# ---------------------------------------------------------------- the file format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectError(_Strict):
    """The case must be refused with an InputError naming this field path."""

    field: str = Field(min_length=1, description="e.g. records[0].fields.blood_type")
    message: str | None = Field(default=None, description="text the problem's message must contain")


class Expect(_Strict):
    """What the decision must say. Every key is optional; at least one must be given."""

    fired: list[str] = Field(default_factory=list)
    not_fired: list[str] = Field(default_factory=list)
    records: dict[str, dict[str, Any]] = Field(default_factory=dict)
    lists: list[dict[str, Any]] = Field(default_factory=list)
    measures: list[dict[str, Any]] = Field(default_factory=list)
    no_measures: list[str] = Field(default_factory=list)
    no_lists: list[ListId] = Field(default_factory=list)
    matters: dict[Matter, Outcome | None] = Field(default_factory=dict)
    deadlines: list[dict[str, Any]] = Field(default_factory=list)
    error: ExpectError | None = None

    @model_validator(mode="after")
    def _something(self) -> Expect:
        given = [k for k in type(self).model_fields if k != "error" and getattr(self, k)]
        if self.error is not None and given:
            raise ValueError(
                f"`error` cannot be combined with {', '.join(given)}: a refused case has no decision"
            )
        if self.error is None and not given:
            raise ValueError(
                "the scenario expects nothing: give fired, not_fired, records, lists, "
                "measures, no_measures, no_lists, matters, deadlines or error"
            )
        return self


class _ScenarioModel(_Strict):
    name: str = Field(min_length=1)
    note: str | None = None
    case: dict[str, Any]
    expect: Expect


class _FileModel(_Strict):
    ruleset: str = Field(min_length=1)
    defaults: dict[str, Any] = Field(default_factory=dict)
    scenarios: list[_ScenarioModel] = Field(min_length=1)

    @field_validator("scenarios")
    @classmethod
    def _unique_names(cls, v: list[_ScenarioModel]) -> list[_ScenarioModel]:
        seen: set[str] = set()
        for s in v:
            if s.name in seen:
                raise ValueError(f"scenario name '{s.name}' is used twice")
            seen.add(s.name)
        return v


@dataclass(frozen=True)
class Scenario:
    """One scenario, its case already merged with the file's defaults."""

    name: str
    note: str | None
    case: dict[str, Any]
    expect: Expect
    index: int
    line: int


@dataclass(frozen=True)
class ScenarioFile:
    """A parsed scenario file; ``display`` is how messages name it."""

    path: Path
    display: str
    ruleset: str
    scenarios: list[Scenario]
    smap: SourceMap

    def line_of(self, path: PathKey) -> int:
        """The line of a node of the file (the closest known one)."""
        return self.smap.span(path).line

    def ruleset_ref(self) -> str:
        """``ruleset`` as the loader wants it: a folder relative to this file, or an id."""
        folder = self.path.parent / self.ruleset
        if "/" in self.ruleset or self.ruleset.startswith("."):
            return str(folder)
        if (folder / MANIFEST).is_file():
            return str(folder)
        return self.ruleset


class ScenarioFileError(ScenarioError):
    """A scenario file is malformed; ``problems`` holds ``(line, message)`` pairs."""

    def __init__(self, file: str, problems: list[tuple[int, str]]) -> None:
        self.file = file
        self.problems = sorted(problems)
        super().__init__("\n".join(f"{file}:{line}: {msg}" for line, msg in self.problems))


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def load_scenario_file(path: Path | str) -> ScenarioFile:
    """Read and check one scenario file.

    Raises ``ScenarioFileError`` (a ``ScenarioError``) with one ``(line, problem)`` per
    problem: bad YAML, unknown or missing keys, expectation keys the decision lacks.
    """
    p = Path(path)
    display = _display(p)
    if not p.is_file():
        raise ScenarioFileError(display, [(1, "no such scenario file")])
    loaded, diags = load_yaml_file(p, display=display)
    problems = [(d.span.line if d.span else 1, d.message) for d in diags]
    if loaded is None or problems:
        raise ScenarioFileError(display, problems or [(1, "cannot read the file")])
    smap = loaded.smap
    if not isinstance(loaded.data, dict):
        raise ScenarioFileError(
            display,
            [
                (
                    smap.span(()).line,
                    "a scenario file is a mapping with ruleset, defaults and scenarios",
                )
            ],
        )
    try:
        model = _FileModel.model_validate(loaded.data)
    except ValidationError as exc:
        found = [(d.span.line if d.span else 1, d.message) for d in model_diagnostics(exc, smap)]
        raise ScenarioFileError(display, list(dict.fromkeys(found))) from None
    for i, s in enumerate(model.scenarios):
        base: PathKey = ("scenarios", i, "expect")
        for rid, exp in s.expect.records.items():
            problems += _check_keys(exp, RecordOut, base + ("records", rid), smap)
        for name, cls in (("lists", ListOut), ("measures", MeasureOut), ("deadlines", DeadlineOut)):
            for j, item in enumerate(getattr(s.expect, name)):
                problems += _check_keys(item, cls, base + (name, j), smap)
    if problems:
        raise ScenarioFileError(display, problems)
    scenarios = [
        Scenario(
            name=s.name,
            note=s.note,
            case=deep_merge(model.defaults, s.case),
            expect=s.expect,
            index=i,
            line=smap.span(("scenarios", i)).line,
        )
        for i, s in enumerate(model.scenarios)
    ]
    return ScenarioFile(p, display, model.ruleset, scenarios, smap)


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The decision model a field holds (and whether it is a list of them)."""
    origin = typing.get_origin(annotation)
    if origin in (list, Sequence):
        inner, _ = _model_of(typing.get_args(annotation)[0])
        return inner, True
    if origin in (typing.Union, types.UnionType):
        for a in typing.get_args(annotation):
            m, is_list = _model_of(a)
            if m is not None:
                return m, is_list
        return None, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _check_keys(
    expected: Any, cls: type[BaseModel], path: PathKey, smap: SourceMap
) -> list[tuple[int, str]]:
    """Expectation keys must be fields of the decision (a typo would never match)."""
    where = ".".join(str(p) for p in path[2:])
    if not isinstance(expected, dict):
        return [(smap.span(path).line, f"{where}: expected a mapping of {cls.__name__} fields")]
    names = {(f.alias or n): f for n, f in cls.model_fields.items()}
    out: list[tuple[int, str]] = []
    for key, value in expected.items():
        info = names.get(key)
        if info is None:
            close = difflib.get_close_matches(key, list(names), n=1)
            hint = (
                f" (did you mean '{close[0]}'?)"
                if close
                else f" (fields: {', '.join(sorted(names))})"
            )
            out.append(
                (smap.key_span(path + (key,)).line, f"unknown field '{key}' in {where}{hint}")
            )
            continue
        inner, is_list = _model_of(info.annotation)
        if inner is None:
            continue
        if is_list and isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, dict):
                    out += _check_keys(item, inner, path + (key, j), smap)
        elif not is_list:
            out += _check_keys(value, inner, path + (key,), smap)
    return out


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
    them (shape, semantic checks, stratification); an unpinned id is resolved by as_of."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, date | None], Ruleset] = {}

    def get(self, ref: str, on: date) -> Ruleset:
        """The ruleset ``ref`` names (the version in force ``on``, for a bare id)."""
        pinned = "@" in ref or Path(ref).is_dir()
        key = (ref, None if pinned else on)
        rs = self._by_key.get(key)
        if rs is None:
            rs = _load_checked(ref, on)
            self._by_key[key] = rs
        return rs


def _load_checked(ref: str, on: date) -> Ruleset:
    rs, diags = load(ref, on=on)
    errors = [d for d in diags if d.severity == "error"]
    if rs is not None and not errors:
        errors = [d for d in check_ruleset(rs) if d.severity == "error"]
        errors += stratify(rs)[1]
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
    """The ``*.yaml`` files named, or found under the folders named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.yaml") if x.is_file())
        else:
            out.append(p)
    return out


def run_paths(paths: list[Path], *, backend: Backend = "both") -> RunReport:
    """Run every scenario file under ``paths``; malformed files count as failures."""
    report = RunReport()
    rulesets = RulesetCache()
    for path in find_scenario_files(paths):
        try:
            sf = load_scenario_file(path)
        except ScenarioFileError as exc:
            fails = [Failure(line, msg) for line, msg in exc.problems]
            report.results.append(ScenarioResult(exc.file, None, fails[0].line, fails))
            continue
        for scenario in sf.scenarios:
            report.results.append(
                run_scenario(
                    sf, scenario, backend=backend, rulesets=rulesets, coverage=report.coverage
                )
            )
    return report
