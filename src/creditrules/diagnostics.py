"""Diagnostics: what is wrong with a ruleset, where, and what to do about it.

Every diagnostic is data with a stable code from ``CATALOGUE`` (``diagnostics.yaml``); the
CLI renders it as ``file:line:col: error[CR302 unknown-fact]: ...`` followed by ``= 说明:``
and ``= 帮助:`` (the code's title and help in Chinese), ``= help:`` and ``= see:`` lines, or
as JSON with the same fields. Diagnostics are collected,
sorted and capped rather than raised one at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

import yaml

Severity = Literal["error", "warning"]

#: How many diagnostics one run reports before it stops listing them.
MAX_DIAGNOSTICS = 200


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based position in a source file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class CodeInfo:
    """One entry of the diagnostic catalogue, in Chinese and English."""

    code: str
    slug: str
    title: str
    help: str
    title_zh: str
    help_zh: str


def _load_catalogue() -> dict[str, CodeInfo]:
    """The catalogue in ``diagnostics.yaml`` beside this module.

    It is data, not code, so the Chinese wording policy staff read can be corrected without
    touching Python; a malformed entry fails at import, where every test meets it.
    """
    text = (resources.files("creditrules") / "diagnostics.yaml").read_text(encoding="utf-8")
    out: dict[str, CodeInfo] = {}
    for entry in yaml.safe_load(text)["codes"]:
        info = CodeInfo(**{k: str(entry[k]) for k in _CODE_FIELDS})
        if info.code in out:
            raise ValueError(f"diagnostics.yaml: {info.code} appears twice")
        out[info.code] = info
    return out


_CODE_FIELDS = ("code", "slug", "title", "help", "title_zh", "help_zh")

#: The stable catalogue. Codes are never reused; docs/diagnostics.md is generated from it.
CATALOGUE: dict[str, CodeInfo] = _load_catalogue()


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a ruleset (or scenario file)."""

    code: str
    message: str
    span: Span | None = None
    rule: str | None = None
    help: str | None = None
    severity: Severity = "error"
    notes: tuple[str, ...] = field(default=())

    @property
    def slug(self) -> str:
        return CATALOGUE[self.code].slug

    @property
    def help_text(self) -> str:
        return self.help or CATALOGUE[self.code].help

    def sort_key(self) -> tuple[str, int, int, str, str]:
        if self.span is None:
            return ("", 0, 0, self.code, self.message)
        return (self.span.file, self.span.line, self.span.col, self.code, self.message)

    def render(self) -> str:
        """The text form, as shown by ``creditrules validate``."""
        where = f"{self.span}: " if self.span else ""
        rule = f"rule '{self.rule}': " if self.rule else ""
        lines = [f"{where}{self.severity}[{self.code} {self.slug}]: {rule}{self.message}"]
        lines += [f"   = note: {n}" for n in self.notes]
        info = CATALOGUE[self.code]
        lines.append(f"   = 说明: {info.title_zh}")
        lines.append(f"   = 帮助: {info.help_zh}")
        lines.append(f"   = help: {self.help_text}")
        lines.append(f"   = see: docs/diagnostics.md#{self.code.lower()}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity,
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "col": self.span.col if self.span else None,
            "rule": self.rule,
            "message": self.message,
            "help": self.help_text,
            "title_zh": CATALOGUE[self.code].title_zh,
            "help_zh": CATALOGUE[self.code].help_zh,
            "see": f"docs/diagnostics.md#{self.code.lower()}",
        }


def finalize(diags: list[Diagnostic], *, cap: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """Deduplicate, sort by position and cap a batch of diagnostics."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.code, d.span, d.rule, d.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out[:cap]


def render_text(diags: list[Diagnostic]) -> str:
    """Render a batch for people, ending with a count line."""
    body = "\n".join(d.render() for d in diags)
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    tail = f"{errors} error(s), {warnings} warning(s)"
    return f"{body}\n{tail}" if body else tail


def render_json(diags: list[Diagnostic]) -> str:
    """Render a batch as a JSON array with the same fields as the text form."""
    return json.dumps([d.to_json() for d in diags], ensure_ascii=False, indent=2)
