"""The working state of one evaluation, shared by the loop and the assembly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from creditrules.calendar import Counting, WorkCalendar
from creditrules.evaluate.conclude import Claim, Resolution
from creditrules.evaluate.derive import Context
from creditrules.evaluate.facts import Fact
from creditrules.loader import Ruleset
from creditrules.model.case import Case
from creditrules.model.ruleset import Rule


@dataclass
class EvalState:
    rs: Ruleset
    case: Case
    facts: list[Fact]
    ctx: Context
    cal: WorkCalendar
    counting: Counting
    by_key: dict[str, Fact] = field(default_factory=dict)
    claims: dict[tuple[str, str], list[Claim]] = field(default_factory=dict)
    #: Values that gained a claim since they were last resolved.
    dirty: set[tuple[str, str]] = field(default_factory=set)
    decided: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    fired: dict[str, set[str]] = field(default_factory=dict)
    effects: dict[tuple[str, str], str] = field(default_factory=dict)
    why_not: dict[tuple[str, str], str | None] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    repair: dict[str, dict[str, list[Rule]]] = field(default_factory=dict)
    #: A claimed attribute's value before any rule decided it (what a rule reading it at its
    #: own rank sees where no rule of that rank decides it; evaluate/views.py).
    base: dict[tuple[str, str], object] = field(default_factory=dict)


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None
