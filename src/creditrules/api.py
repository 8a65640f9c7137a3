"""The public façade: load, validate, evaluate, explain, replay (mirrors the CLI)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from creditrules.compile import durable
from creditrules.compile.ir import check_budget, stratify
from creditrules.diagnostics import Diagnostic, Span, finalize
from creditrules.errors import RulesetError
from creditrules.evaluate import evaluate as _evaluate
from creditrules.evaluate.run import Backend
from creditrules.explain import explain
from creditrules.loader import (
    MANIFEST,
    Entry,
    Ruleset,
    _display,
    _manifest_span,
    bundled_root,
    discover,
    load,
    parent_versions,
)
from creditrules.model.decision import Decision
from creditrules.replay import ReplayReport
from creditrules.replay import replay as _replay
from creditrules.validate import check_ruleset, field_dictionary

__all__ = [
    "Decision",
    "Diagnostic",
    "ReplayReport",
    "Ruleset",
    "evaluate",
    "explain",
    "list_rulesets",
    "load_ruleset",
    "replay",
    "validate",
]


def _date(v: str | date | None) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(v)


def check_loaded(rs: Ruleset) -> list[Diagnostic]:
    """Semantic, dependency and budget checks of a loaded ruleset."""
    diags = check_ruleset(rs)
    plan, pdiags = stratify(rs)
    diags += pdiags
    if plan is not None:
        counts = {
            k: len(v) + sum(len(f.values) for f in v.values() if f.type == "list") + 2
            for k, v in field_dictionary(rs).items()
        }
        diags += check_budget(rs, plan, counts, durable.budget_problem)
    return diags


def load_ruleset(
    ref: str | Path, *, as_of: str | date | None = None, roots: list[Path] | None = None
) -> Ruleset:
    """Load a bundled ruleset by id (the version in force on ``as_of``), ``id@version``, or a folder.

    Raises ``RulesetError`` (with ``diagnostics``) if the ruleset has errors.
    """
    rs, diags = load(ref, on=_date(as_of), roots=roots)
    errors = [d for d in diags if d.severity == "error"]
    if rs is not None and not errors:
        errors = [d for d in check_loaded(rs) if d.severity == "error"]
    if rs is None or errors:
        raise RulesetError(
            f"ruleset {ref} has {len(errors)} error(s); run `creditrules validate`", errors
        )
    return rs


def evaluate(
    rs: Ruleset | str,
    case: Any,
    *,
    as_of: str | date | None = None,
    backend: Backend = "durable_rules",
) -> Decision:
    """Evaluate a case (dict or ``creditrules.model.case.Case``) and return the Decision."""
    when = _date(as_of)
    if isinstance(rs, str):
        case_date = when or _date(
            case.get("as_of") if isinstance(case, dict) else getattr(case, "as_of", None)
        )
        rs = load_ruleset(rs, as_of=case_date)
    return _evaluate(rs, case, as_of=when, backend=backend)


def validate(*paths: str | Path) -> list[Diagnostic]:
    """Every diagnostic for the ruleset folders under the given paths (sorted, capped)."""
    diags: list[Diagnostic] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            diags.append(
                Diagnostic(
                    "CR104", f"no such file or folder: {_display(path)}", Span(_display(path), 1, 1)
                )
            )
            continue
        folders = (
            [path]
            if (path / MANIFEST).is_file()
            else sorted({m.parent for m in path.rglob(MANIFEST) if "scenarios" not in m.parts})
        )
        if not folders:
            diags.append(
                Diagnostic(
                    "CR104", f"no {MANIFEST} under {_display(path)}", Span(_display(path), 1, 1)
                )
            )
        for folder in folders:
            rs, ds = load(folder, roots=[path])
            diags += ds
            if rs is not None and not [d for d in ds if d.severity == "error"]:
                diags += check_loaded(rs)
                diags += _check_layerings(rs, folder, [path])
        diags += check_versions(discover([path]))
    return finalize(diags)


def _check_layerings(rs: Ruleset, folder: Path, roots: list[Path]) -> list[Diagnostic]:
    """The version on every other version of its parent: whichever version is selected, it
    is evaluated on the parent in force on the evaluation date, so each pairing must hold."""
    diags: list[Diagnostic] = []
    seen = {str(p.folder.resolve()) for p in rs.layers()[:1]}
    for entry in parent_versions(rs):
        if str(entry.folder.resolve()) in seen:
            continue
        seen.add(str(entry.folder.resolve()))
        other, ds = load(folder, on=entry.manifest.effective_from, roots=roots)
        diags += ds
        if other is not None and not [d for d in ds if d.severity == "error"]:
            diags += check_loaded(other)
    return diags


def check_versions(entries: list[Entry]) -> list[Diagnostic]:
    """Versions of one id must follow each other: each ends where the next begins (CR313)."""
    diags: list[Diagnostic] = []
    by_id: dict[str, list[Entry]] = {}
    for e in entries:
        by_id.setdefault(e.id, []).append(e)
    for rid, versions in by_id.items():
        versions.sort(key=lambda e: e.manifest.effective_from)
        for older, newer in zip(versions, versions[1:], strict=False):
            end = older.manifest.effective_to
            span = _manifest_span(older.folder, "effective_to")
            if end is None or end != newer.manifest.effective_from:
                diags.append(
                    Diagnostic(
                        "CR313",
                        f"{rid}@{older.version} is in force until {end or 'open-ended'}, but {rid}@{newer.version} starts on {newer.manifest.effective_from}",
                        span,
                        help=f"set effective_to: {newer.manifest.effective_from} in {rid}@{older.version}",
                    )
                )
            elif older.manifest.replaced_by not in (
                None,
                newer.version,
            ) or newer.manifest.replaces not in (None, older.version):
                diags.append(
                    Diagnostic(
                        "CR313",
                        f"{rid}@{older.version} and {rid}@{newer.version} disagree about what replaced what",
                        span,
                    )
                )
    return diags


def list_rulesets(roots: list[Path] | None = None) -> list[Entry]:
    """The bundled (or given) ruleset versions, oldest first per id."""
    return discover(roots or [bundled_root()])


def replay(
    decision: dict[str, Any] | Decision,
    *,
    roots: list[Path] | None = None,
    original: dict[str, Any] | None = None,
) -> ReplayReport:
    """Replay a stored decision against the ruleset version (by content hash) that made it."""
    return _replay(decision, roots=roots, original=original)
