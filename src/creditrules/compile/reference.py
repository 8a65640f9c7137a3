"""The reference backend: a small pure-Python interpreter of the rule plan.

It is the second, independent implementation auditors can read in one sitting, and
the yardstick the durable_rules backend is checked against. It also explains why a
rule did not fire (the first failing test), which the C engine cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from creditrules.compile.ir import And, Cmp, CompiledRule, Cond, Neg, Or, TrueCond

Fact = dict[str, Any]

NAME = "reference"


def _cmp(c: Cmp, fact: Fact) -> bool:
    v = fact.get(c.field)
    if c.op == "is_null":
        return (v is None) == bool(c.value)
    if v is None:
        return False
    if c.op == "eq":
        return bool(v == c.value and type(v) is type(c.value))
    if c.op == "ne":
        return not (v == c.value and type(v) is type(c.value))
    if c.op == "in":
        return any(v == x and type(v) is type(x) for x in c.value)
    if c.op == "not_in":
        return not any(v == x and type(v) is type(x) for x in c.value)
    if c.op == "contains":
        return isinstance(v, list | tuple) and any(x in v for x in c.value)
    if type(v) is not type(c.value) or isinstance(v, bool):
        return False
    if c.op == "gt":
        return bool(v > c.value)
    if c.op == "gte":
        return bool(v >= c.value)
    if c.op == "lt":
        return bool(v < c.value)
    return bool(v <= c.value)


def holds(cond: Cond, fact: Fact) -> bool:
    """Does the condition hold for the fact?"""
    if isinstance(cond, TrueCond):
        return True
    if isinstance(cond, Cmp):
        return _cmp(cond, fact)
    if isinstance(cond, And):
        return all(holds(c, fact) for c in cond.items)
    if isinstance(cond, Or):
        return any(holds(c, fact) for c in cond.items)
    assert isinstance(cond, Neg)
    return not holds(cond.item, fact)


def _show(v: Any) -> str:
    return "null" if v is None else repr(v)


def why_not(cond: Cond, fact: Fact, negated: bool = False) -> str | None:
    """A short reason why the condition does not hold (None if it holds)."""
    return _explain(cond, fact, negated)[1]


def _explain(cond: Cond, fact: Fact, negated: bool) -> tuple[bool, str | None]:
    """(whether the condition, negated or not, holds; the reason it does not), visiting each
    node once. The first failing test of an ``all``, every failing test of an ``any``."""
    if isinstance(cond, TrueCond):
        return not negated, None
    if isinstance(cond, Cmp):
        if _cmp(cond, fact) != negated:
            return True, None
        want = (
            f"{cond.op} {_show(list(cond.value) if isinstance(cond.value, tuple) else cond.value)}"
        )
        pre = "not " if negated else ""
        return False, f"{cond.field} = {_show(fact.get(cond.field))}, needs {pre}{want}"
    if isinstance(cond, Neg):
        return _explain(cond.item, fact, not negated)
    assert isinstance(cond, And | Or)
    all_like = isinstance(cond, And) != negated
    parts = [_explain(c, fact, negated) for c in cond.items]
    ok = all(p[0] for p in parts) if all_like else any(p[0] for p in parts)
    if ok:
        return True, None
    failing = [r for _, r in parts if r]
    if all_like:
        return False, failing[0] if failing else None
    return False, " and ".join(failing) if failing else None


def run(rules: Iterable[CompiledRule], facts: list[Fact]) -> set[tuple[str, str]]:
    """Fire every rule on every fact of its kind; return (rule id, fact key) pairs."""
    fired: set[tuple[str, str]] = set()
    for rule in rules:
        for fact in facts:
            if fact["_kind"] == rule.kind and holds(rule.cond, fact):
                fired.add((rule.id, fact["_key"]))
    return fired
