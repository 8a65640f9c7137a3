"""The public façade: load, validate, evaluate, explain, replay (mirrors the CLI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from creditrules import log as decision_log
from creditrules.compile import durable
from creditrules.compile.ir import check_budget, stratify
from creditrules.diagnostics import Diagnostic, Span, finalize
from creditrules.errors import InputError, RulesetError
from creditrules.evaluate import evaluate as _evaluate
from creditrules.evaluate.conflicts import LAYERED, conflict_diagnostics, find_conflicts
from creditrules.evaluate.run import Backend
from creditrules.explain import Lang
from creditrules.explain import explain as _explain
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
from creditrules.log import DecisionLog
from creditrules.log.entry import decided_at_text
from creditrules.model.case import parse_day
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


def _date(v: str | date | None, what: str = "as_of") -> date | None:
    if v is None:
        return None
    try:
        return parse_day(v)
    except ValueError as exc:
        raise InputError([(what, str(exc))]) from None


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

    Args:
        ref: a bundled id (``cn.js.nantong``), an id with a version
            (``cn.js.nantong@2018``), or the path of a ruleset folder.
        as_of: the day whose law is wanted; picks the version of an id in force then.
        roots: folders to look for rulesets in before the bundled ones.

    Returns:
        The ruleset, merged with the rulesets it extends, checked and ready to evaluate.

    Raises:
        RulesetError: the ruleset has errors; ``diagnostics`` lists them.
        RulesetNotFoundError: no ruleset has this id or version, or none is in force on
            ``as_of``.
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
    log: str | Path | DecisionLog | None = None,
    decided_at: datetime | str | None = None,
    entry_id: str | None = None,
    reveal_personal: bool = False,
) -> Decision:
    """Evaluate a case (dict or ``creditrules.model.case.Case``) and return the Decision.

    Args:
        rs: a loaded ruleset, or a reference as for ``load_ruleset`` (then the version in
            force on the case's date is loaded).
        case: the input, as described in the case input reference.
        as_of: overrides the case's ``as_of``.
        backend: ``durable_rules`` (the default) or ``reference``, the pure-Python engine
            that must give the same answer.
        log: also append the decision to this decision log (a path, ``sqlite:///PATH``,
            ``postgresql://…`` or an open ``creditrules.log.DecisionLog``).
        decided_at: required with ``log``: the caller's time of the decision, ISO 8601
            with its UTC offset, or an aware ``datetime`` (the engine reads no clock).
        entry_id: the log entry's id (a random UUID when not given;
            ``creditrules.log.append`` returns the whole entry).
        reveal_personal: keep natural persons' identifiers and names in full in the
            decision (and so in its explanation and log entry). Off by default: they are
            masked and the decision's ``masked`` lists each masked value (docs/zh/privacy.md).

    Returns:
        The Decision; ``model_dump(mode="json", by_alias=True)`` gives its JSON document.

    Raises:
        InputError: the case is not acceptable; ``problems`` names each field.
        RuleConflictError: two applicable rules disagree and neither overrides the other.
        LogError: the log could not be opened or appended to.
    """
    if log is None and (decided_at is not None or entry_id is not None):
        given = "decided_at" if decided_at is not None else "entry_id"
        raise InputError([(given, "applies only with log=: nothing would record it")])
    if log is not None:
        if decided_at is None:
            raise InputError(
                [("decided_at", "required with log=: the caller's time of the decision")]
            )
        decided_at_text(decided_at)
    if not isinstance(rs, Ruleset | str):
        raise InputError(
            [("rs", "a loaded Ruleset (load_ruleset) or a ruleset id, id@version or folder")]
        )
    when = _date(as_of)
    if isinstance(rs, str):
        case_date = when or _date(
            case.get("as_of") if isinstance(case, dict) else getattr(case, "as_of", None)
        )
        rs = load_ruleset(rs, as_of=case_date)
    decision = _evaluate(rs, case, as_of=when, backend=backend, reveal_personal=reveal_personal)
    if log is not None and decided_at is not None:
        decision_log.append(log, decision, decided_at=decided_at, entry_id=entry_id)
    return decision


def explain(
    decision: Decision | dict[str, Any], *, lang: Lang = "zh", all_rules: bool = False
) -> str:
    """A plain-text account of a decision and the law behind each conclusion.

    Args:
        decision: a Decision or its JSON document.
        lang: ``zh`` (the default) or ``en``.
        all_rules: everything: every article in full, every rule that fired and every rule
            that did not (and why). Without it one record's explanation fits a screen.

    Returns:
        The text ``creditrules explain`` prints.

    Raises:
        InputError: ``decision`` is not a decision document (the first field that is not).
    """
    if not isinstance(decision, Decision):
        try:
            decision = Decision.model_validate(decision)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(top level)"
            raise InputError(
                [("decision", f"not a decision document: {where}: {first['msg']}")]
            ) from None
    return _explain(decision, lang=lang, all_rules=all_rules)


def validate(*paths: str | Path) -> list[Diagnostic]:
    """Every diagnostic for the ruleset folders under the given paths (sorted, capped).

    Args:
        *paths: ruleset folders, or folders holding them.

    Returns:
        The diagnostics, sorted by file and position; an empty list means the rulesets
        are clean. ``Diagnostic.render()`` gives the text ``creditrules validate`` prints.
    """
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
                checked = check_loaded(rs)
                diags += checked
                diags += _check_layerings(rs, folder, [path])
                if not [d for d in checked if d.severity == "error"]:
                    # Pairs are checked on a ruleset that is otherwise sound.
                    diags += check_conflicts(rs, folder, path)
        diags += check_versions(discover([path]))
    return finalize(diags)


def _check_layerings(rs: Ruleset, folder: Path, roots: list[Path]) -> list[Diagnostic]:
    """The version on every other version of its parent in force on or after the day it took
    effect: whichever version is selected, it is evaluated on the parent in force on the
    evaluation date (a version named for a later date meets later law), so each such pairing
    must hold. Parent versions that ended before it began are met only when a version is
    evaluated before its own date; evaluation checks those pairings when it meets them."""
    diags: list[Diagnostic] = []
    seen = {str(p.folder.resolve()) for p in rs.layers()[:1]}
    for entry in parent_versions(rs):
        end = entry.manifest.effective_to
        if str(entry.folder.resolve()) in seen or (
            end is not None and end <= rs.manifest.effective_from
        ):
            continue
        seen.add(str(entry.folder.resolve()))
        other, ds = load(folder, on=entry.manifest.effective_from, roots=roots)
        diags += ds
        if other is not None and not [d for d in ds if d.severity == "error"]:
            diags += check_loaded(other)
    return diags


def layerings(rs: Ruleset, folder: Path, root: Path) -> list[Ruleset]:
    """The ruleset as loaded on each parent version it can be layered on: a version that
    extends an id without ``@version`` runs on the parent in force on the evaluation date,
    so each parent version in force during the child's own span is a layering to check."""
    out = [rs]
    ext = rs.manifest.extends
    if not ext or "@" in ext:
        return out
    m = rs.manifest
    seen = {rs.sha256}
    for e in discover([root, bundled_root(), folder.parent.parent]):
        pm = e.manifest
        if e.id != ext or (m.effective_to is not None and pm.effective_from >= m.effective_to):
            continue
        if pm.effective_to is not None and pm.effective_to <= m.effective_from:
            continue
        other, ds = load(folder, on=max(m.effective_from, pm.effective_from), roots=[root])
        if other is None or other.sha256 in seen or [d for d in ds if d.severity == "error"]:
            continue
        seen.add(other.sha256)
        out.append(other)
    return out


def check_conflicts(rs: Ruleset, folder: Path, root: Path) -> list[Diagnostic]:
    """CR316 for every pair of rules that can disagree on one value with nothing to settle
    it, in each layering of the ruleset (pairs of its own rules, or of its own and a parent's)."""
    own = {r.id for r in rs.rules}
    diags: list[Diagnostic] = []
    for layered in layerings(rs, folder, root):
        chain = []
        node: Ruleset | None = layered
        while node is not None:
            chain.append(node.ref)
            node = node.parent
        fields = field_dictionary(layered)
        found = find_conflicts(layered, fields, only=own)
        diags += conflict_diagnostics(layered, found, fields, own=own, layering=" on ".join(chain))
    # One diagnostic per pair, naming every layering it was found in.
    merged: dict[tuple[object, ...], Diagnostic] = {}
    for d in diags:
        key = (d.span, d.rule, d.message)
        if key not in merged:
            merged[key] = d
            continue
        first = merged[key]
        notes = list(first.notes)
        if notes and d.notes and notes[-1].startswith(LAYERED) and d.notes[-1].startswith(LAYERED):
            notes[-1] += "; " + d.notes[-1].removeprefix(LAYERED)
            merged[key] = replace(first, notes=tuple(notes))
    return list(merged.values())


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
    """The bundled (or given) ruleset versions, oldest first per id.

    Args:
        roots: folders to list instead of the bundled rulesets.

    Returns:
        One entry per version, with its ``id``, ``version`` and ``manifest``.
    """
    return discover(roots or [bundled_root()])


def replay(
    decision: dict[str, Any] | Decision,
    *,
    roots: list[Path] | None = None,
    original: dict[str, Any] | None = None,
) -> ReplayReport:
    """Replay a stored decision against the ruleset version (by content hash) that made it.

    Args:
        decision: a Decision or its JSON document.
        roots: folders to look for the ruleset version in before the bundled ones.
        original: the stored JSON document to compare with, where ``decision`` is not it.

    Returns:
        A report: ``identical``, ``differs`` (with the differences) or ``cannot_replay``.
    """
    return _replay(decision, roots=roots, original=original)
