"""What a decision log refuses to store: information the law forbids collecting.

A decision made by ``creditrules.evaluate`` never holds such information (its input was
refused), but ``append`` also takes a Decision document from anywhere. Before storing
one, the ``records[].fields`` of its input are checked against the forbidden data items
of the ruleset version it names (通政发〔2018〕25号 第十四条 for Nantong), when that version
is one of the bundled rulesets; a log entry can never be removed, so nothing forbidden
may reach one.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from creditrules.errors import CreditRulesError, InputError
from creditrules.evaluate.case_input import forbidden_in
from creditrules.loader import Ruleset, bundled_root, discover, load

__all__ = ["refuse_forbidden"]


@functools.lru_cache(maxsize=64)
def _ruleset(ruleset_id: str, version: str, on: str) -> Ruleset | None:
    root = bundled_root()
    for e in discover([root]):
        if e.id == ruleset_id and e.version == version:
            try:
                rs, _ = load(e.folder, on=date.fromisoformat(on), roots=[root])
            except (CreditRulesError, ValueError):
                return None
            return rs
    return None


def refuse_forbidden(decision: dict[str, Any]) -> None:
    """Raise ``InputError`` naming each forbidden data item the decision's input holds."""
    ref = decision.get("ruleset") or {}
    rs = _ruleset(str(ref.get("id")), str(ref.get("version")), str(decision.get("as_of")))
    if rs is None:
        return
    problems = forbidden_in(decision.get("input") or {}, rs)
    if problems:
        raise InputError([(f"decision.input.{path}", msg) for path, msg in problems])
