"""Replay a stored decision against the exact ruleset version that made it.

The decision names its ruleset by content hash; replay finds that version among the
bundled rulesets (or the folders given), re-evaluates the stored input and reports
identical or the differences. A folder holding the same id and version with a
different hash (an edited copy) is replayed too, and the hash change is reported as
the first difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from creditrules.errors import CreditRulesError
from creditrules.evaluate.case_input import canonical, legacy_sha256_of, parse_case, sha256_of
from creditrules.evaluate.privacy import READ_BY_RULES, mask_input
from creditrules.evaluate.run import evaluate
from creditrules.loader import bundled_root, discover, load
from creditrules.model.decision import Decision

Status = Literal["identical", "differs", "cannot_replay"]

#: Fields that say how a decision was made, not what it decided.
_IGNORED = {"engine"}


@dataclass
class ReplayReport:
    """What replaying a decision found."""

    status: Status
    ruleset: str | None = None
    differences: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def exit_code(self) -> int:
        """The exit code of ``creditrules replay``: 0 identical, 1 differs, 2 cannot replay."""
        return {"identical": 0, "differs": 1, "cannot_replay": 2}[self.status]

    def render(self) -> str:
        """The text form, as shown by ``creditrules replay``."""
        if self.status == "identical":
            return f"identical: replayed against {self.ruleset}"
        if self.status == "cannot_replay":
            return f"cannot replay: {self.message}"
        lines = [f"differs: replayed against {self.ruleset}; {len(self.differences)} difference(s)"]
        lines += [f"  {d}" for d in self.differences]
        return "\n".join(lines)


def diff(old: Any, new: Any, path: str = "") -> list[str]:
    """Paths where two JSON values differ, as ``path: old → new``."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for k in sorted(set(old) | set(new), key=str):
            if not path and k in _IGNORED:
                continue
            sub = f"{path}.{k}" if path else str(k)
            if k not in old:
                out.append(f"{sub}: (absent) → {_short(new[k])}")
            elif k not in new:
                out.append(f"{sub}: {_short(old[k])} → (absent)")
            else:
                out += diff(old[k], new[k], sub)
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i in range(max(len(old), len(new))):
            sub = f"{path}[{i}]"
            if i >= len(old):
                out.append(f"{sub}: (absent) → {_short(new[i])}")
            elif i >= len(new):
                out.append(f"{sub}: {_short(old[i])} → (absent)")
            else:
                out += diff(old[i], new[i], sub)
        return out
    return [] if old == new else [f"{path}: {_short(old)} → {_short(new)}"]


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 120 else text[:117] + "..."


def _has_layers(decision: dict[str, Any] | Decision) -> bool:
    if isinstance(decision, Decision):
        return True
    ref = decision.get("ruleset")
    return isinstance(ref, dict) and "layers" in ref


def replay(
    decision: dict[str, Any] | Decision,
    *,
    roots: list[Path] | None = None,
    original: dict[str, Any] | None = None,
) -> ReplayReport:
    """Re-evaluate a stored decision; see the module docstring.

    A stored decision keeps its input with natural persons' identifiers and names masked
    (its ``masked`` lists them), and the hash of the full input. Replay re-evaluates the
    masked input where no rule reads a masked value (identifiers, names and ``fields`` play
    no part in the law's conclusions) and carries the stored input hash over. Where one
    does (a birth date), it does not guess: it cannot replay, names the masked values and
    asks for the original input. Given the ``original`` input, it first checks that input
    against the stored hash. A decision made with ``reveal_personal`` (``masked`` empty)
    is replayed with it.
    """
    if isinstance(decision, Decision):
        stored = decision.model_dump(mode="json", by_alias=True)
    else:
        try:
            stored = Decision.model_validate(decision).model_dump(mode="json", by_alias=True)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return ReplayReport(
                "cannot_replay", message=f"not a decision document: {where}: {first['msg']}"
            )
    ref = stored["ruleset"]
    search = list(roots or []) + [bundled_root()]
    # The parents are chosen by the decision's date, as they were when it was made.
    on = date.fromisoformat(stored["as_of"])
    rs = None
    # Folders the caller names come first: an edited copy of the version is replayed (and its
    # differences shown) rather than the bundled original it was copied from.
    for tier in ([list(roots)] if roots else []) + [[bundled_root()]]:
        chosen = same_version = None
        for e in (e for e in discover(tier) if e.id == ref["id"]):
            loaded, diags = load(e.folder, on=on, roots=search)
            if loaded is None or any(d.severity == "error" for d in diags):
                continue
            if loaded.sha256 == ref["sha256"]:
                chosen = loaded
                break
            if e.version == ref["version"] and same_version is None:
                same_version = loaded
        rs = chosen or same_version
        if rs is not None:
            break
    if rs is None:
        return ReplayReport(
            "cannot_replay",
            message=f"no ruleset {ref['id']}@{ref['version']} with sha256 {ref['sha256'][:12]}… was found",
        )
    backend = stored.get("engine", {}).get("backend", "durable_rules")
    legacy = not isinstance(decision, Decision) and "masked" not in decision
    masked = [] if legacy else list(stored.get("masked") or [])
    # Made before decisions listed what they masked (no ``masked``): masked as by default.
    reveal = not legacy and not masked
    needed = [m for m in masked if m in READ_BY_RULES]
    if original is None and needed:
        return ReplayReport(
            "cannot_replay",
            ruleset=rs.ref,
            message=(
                f"the stored input is masked at {', '.join(needed)}, which the rules read "
                f"(all masked: {', '.join(masked)}); give the original input with --input FILE "
                "(checked against the decision's input_sha256)"
            ),
        )
    if original is not None:
        try:
            data = canonical(parse_case(original))
            supplied = {sha256_of(data), legacy_sha256_of(data)}
        except CreditRulesError as exc:
            return ReplayReport(
                "cannot_replay", message=f"the original input is not a valid case: {exc}"
            )
        if stored["input_sha256"] not in supplied:
            return ReplayReport(
                "cannot_replay",
                message="the original input does not match the decision's input_sha256",
            )
    try:
        source = original if original is not None else stored["input"]
        again = evaluate(
            rs, source, backend=backend, replaying=original is None, reveal_personal=reveal
        ).model_dump(mode="json", by_alias=True)
    except CreditRulesError as exc:
        return ReplayReport("cannot_replay", ruleset=rs.ref, message=f"re-evaluation failed: {exc}")
    if not isinstance(decision, Decision) and "warnings" not in decision:
        # Made before decisions carried warnings: there is nothing stored to compare.
        stored.pop("warnings", None)
        again.pop("warnings", None)
    if legacy:
        # Made before decisions listed what they masked: nothing stored to compare, and
        # the stored input is compared as masked now (it held birth dates and ``fields``).
        stored.pop("masked", None)
        again.pop("masked", None)
        stored["input"] = mask_input(stored["input"])[0]
    again["input_sha256"] = stored["input_sha256"]
    if not _has_layers(decision):
        # Made before decisions named their layers: what they decided is still compared, and
        # the layers are those of the same date (the content hash covers them).
        again["ruleset"].pop("layers", None)
        stored["ruleset"].pop("layers", None)
    again["decision_id"] = sha256_of({"input": stored["input_sha256"], "ruleset": rs.sha256})
    differences = diff(stored, again)
    # What changed in the law comes first, then what it changed in the answer.
    differences.sort(key=lambda d: not d.startswith("ruleset."))
    if not differences:
        return ReplayReport("identical", ruleset=f"{rs.ref} ({rs.sha256[:12]})")
    return ReplayReport("differs", ruleset=f"{rs.ref} ({rs.sha256[:12]})", differences=differences)
