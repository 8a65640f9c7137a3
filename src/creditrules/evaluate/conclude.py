"""Turn fired rules into values: defaults, overrides and conflicts.

Law is written as defaults with exceptions. A rule marked ``default`` gives way to
any other rule deciding the same value; a rule that ``overrides`` another wins over
it; two remaining rules that disagree are a conflict, raised — never a silent winner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creditrules.errors import RuleConflictError
from creditrules.model.ruleset import Rule


@dataclass
class Claim:
    """One fired rule's answer for one value of one fact."""

    rule: Rule
    value: Any


@dataclass
class Resolution:
    """The value decided, who decided it, and who was overridden."""

    value: Any
    deciders: list[Rule]
    overridden: dict[str, list[str]] = field(default_factory=dict)
    several: bool = False


def resolve(
    claims: list[Claim],
    *,
    fact: str,
    attribute: str,
    precedence: list[str] | None = None,
    several: bool = False,
) -> Resolution:
    """Pick the value among the claims of fired rules, or raise a conflict.

    ``precedence`` is the ruleset's declared order of values for the attribute (first
    wins), the declared precedence between rules that disagree. With ``several``, rules
    that still disagree all stand (each deadline of each authority is reported).
    """
    live = claims
    overridden: dict[str, list[str]] = {}
    if any(not c.rule.default for c in live):
        for c in live:
            if c.rule.default:
                overridden.setdefault(c.rule.id, []).extend(
                    o.rule.id for o in live if not o.rule.default
                )
        live = [c for c in live if not c.rule.default]
    winners = []
    for c in live:
        beaten_by = [o.rule.id for o in live if c.rule.id in o.rule.overrides]
        if beaten_by:
            overridden.setdefault(c.rule.id, []).extend(beaten_by)
        else:
            winners.append(c)
    values = {_key(c.value) for c in winners}
    if len(values) > 1 and precedence:
        ranked = [c for c in winners if str(c.value).lower() in precedence]
        if len(ranked) == len(winners):
            best = min(precedence.index(str(c.value).lower()) for c in winners)
            top = [c for c in winners if precedence.index(str(c.value).lower()) == best]
            for c in winners:
                if c not in top:
                    overridden.setdefault(c.rule.id, []).extend(t.rule.id for t in top)
            winners = top
            values = {_key(c.value) for c in winners}
    if len(values) > 1 and several:
        return Resolution(
            [c.value for c in winners], [c.rule for c in winners], overridden, several=True
        )
    if len(values) > 1:
        ids = [c.rule.id for c in winners]
        shown = ", ".join(f"{c.rule.id} says {c.value!r}" for c in winners)
        raise RuleConflictError(
            f"conflict on {attribute} of {fact}: {shown}; declare which rule overrides the other",
            rules=ids,
            attribute=attribute,
            fact=fact,
        )
    return Resolution(winners[0].value, [c.rule for c in winners], overridden)


def _key(v: Any) -> Any:
    return repr(v)
