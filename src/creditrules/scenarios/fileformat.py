"""The scenario file format: models, loading with line numbers, and key checks."""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from creditrules.errors import (
    ScenarioError,
)
from creditrules.loader import MANIFEST, model_diagnostics
from creditrules.model.decision import DeadlineOut, ListOut, MeasureOut, RecordOut
from creditrules.model.vocab import Outcome, VocabId
from creditrules.source import PathKey, SourceMap, load_yaml_file

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
    no_lists: list[VocabId] = Field(default_factory=list)
    matters: dict[VocabId, Outcome | None] = Field(default_factory=dict)
    deadlines: list[dict[str, Any]] = Field(default_factory=list)
    grade: dict[str, Any] | None = Field(
        default=None, description="subset of the decision's grade; {} never matches null"
    )
    layers: list[str] | None = Field(
        default=None,
        description=(
            "the versions the ruleset was evaluated on (decision ruleset.layers), as "
            "id@version, nearest first; [] for none"
        ),
    )
    error: ExpectError | None = None

    @model_validator(mode="after")
    def _something(self) -> Expect:
        given = [
            k
            for k in type(self).model_fields
            if k != "error" and (getattr(self, k) or (k == "layers" and self.layers is not None))
        ]
        if self.error is not None and given:
            raise ValueError(
                f"`error` cannot be combined with {', '.join(given)}: a refused case has no decision"
            )
        if self.error is None and not given:
            raise ValueError(
                "the scenario expects nothing: give fired, not_fired, records, lists, "
                "measures, no_measures, no_lists, matters, deadlines, layers or error"
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


#: A scenario file is recognised by its top-level ``scenarios:`` key, so a folder that holds
#: a ruleset next to its scenarios can be named as a whole.
_SCENARIOS_KEY = re.compile(r"^scenarios\s*:", re.MULTILINE)


def is_scenario_file(path: Path) -> bool:
    """A YAML file whose top level has a ``scenarios:`` key."""
    if path.suffix not in (".yaml", ".yml"):
        return False
    try:
        return _SCENARIOS_KEY.search(path.read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False
