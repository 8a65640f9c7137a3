"""Can conditions hold together on one fact? An exact, exhaustive search.

A condition of the rule plan tests one field against constants (``eq``, ``in``, ``gt``,
``contains`` …); no test relates two fields. So, for a given formula, each field's domain
splits into finitely many classes that no test can tell apart: for a text field with a
vocabulary its values (and null); for free text the constants named plus one other text;
for whole numbers and dates each constant and its two neighbours; for a true/false field
true, false and null; for a list field null or present, and for each item named whether
the list holds it. Trying one value of every class is trying every fact. The search
assigns fields one at a time and evaluates the formula in three-valued logic after each
step, so a branch is dropped as soon as the formula is false whatever the fields not yet
assigned hold; it stops at the first satisfying assignment, which is the example.

Evaluation of each test is the reference backend's own (``reference.holds``), so the
answer is about the same semantics both backends are held to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from creditrules.compile.ir import And, Cmp, Cond, Neg, Or, TrueCond
from creditrules.compile.reference import holds
from creditrules.model.facts import FieldInfo

#: A partial assignment: scalar fields by name; a list field by name (None for null,
#: ``PRESENT`` otherwise) and each of its named items as ``(name, item)`` → bool.
Assignment = dict[Any, Any]

PRESENT = "<present>"
#: Free text that no condition names (made distinct from every constant where needed).
OTHER_TEXT = "其他"

__all__ = ["OTHER_TEXT", "example_fact", "satisfy"]


def _cmps(cond: Cond) -> Iterator[Cmp]:
    if isinstance(cond, Cmp):
        yield cond
    elif isinstance(cond, And | Or):
        for c in cond.items:
            yield from _cmps(c)
    elif isinstance(cond, Neg):
        yield from _cmps(cond.item)


def _values(c: Cmp) -> tuple[Any, ...]:
    return tuple(c.value) if isinstance(c.value, tuple | list) else (c.value,)


def _info(name: str, fields: Mapping[str, FieldInfo]) -> FieldInfo:
    return fields.get(name) or FieldInfo(name, "str", "input")


def _neighbours_int(consts: set[Any]) -> list[Any]:
    ints = sorted({v for v in consts if isinstance(v, int) and not isinstance(v, bool)})
    out = sorted({n for v in ints for n in (v - 1, v, v + 1)}) if ints else [0]
    return out


def _neighbours_date(consts: set[Any]) -> list[Any]:
    days: set[date] = set()
    for v in consts:
        try:
            d = date.fromisoformat(v) if isinstance(v, str) else None
        except ValueError:
            d = None
        if d is None:
            continue
        days.add(d)
        if d > date.min:
            days.add(d - timedelta(days=1))
        if d < date.max:
            days.add(d + timedelta(days=1))
    return [d.isoformat() for d in sorted(days)] or ["2020-01-01"]


def _scalar_candidates(info: FieldInfo, consts: set[Any]) -> list[Any]:
    """One value of each class the constants split the field's domain into, null last."""
    if info.type == "bool":
        vals: list[Any] = [True, False]
    elif info.type == "int":
        vals = _neighbours_int(consts)
    elif info.type == "date":
        vals = _neighbours_date(consts)
    elif info.values:
        vals = list(info.values)
    else:
        texts = sorted({v for v in consts if isinstance(v, str)})
        other = OTHER_TEXT
        while other in texts:
            other += "_"
        vals = texts + [other]
    return vals + [None]


def _variables(cond: Cond, fields: Mapping[str, FieldInfo]) -> list[tuple[Any, list[Any]]]:
    """The variables of the search in order of first appearance, with their candidates."""
    consts: dict[str, set[Any]] = {}
    order: list[str] = []
    for c in _cmps(cond):
        if c.field not in consts:
            consts[c.field] = set()
            order.append(c.field)
        if c.op != "is_null":
            consts[c.field].update(_values(c))
    out: list[tuple[Any, list[Any]]] = []
    for name in order:
        info = _info(name, fields)
        if info.type == "list":
            out.append((name, [PRESENT, None]))
            for item in sorted(consts[name], key=repr):
                out.append(((name, item), [False, True]))
        else:
            out.append((name, _scalar_candidates(info, consts[name])))
    return out


def _eval(cond: Cond, a: Assignment, fields: Mapping[str, FieldInfo]) -> tuple[bool | None, Any]:
    """True or False if the assignment decides the condition; while it does not, None and
    an unassigned variable that an undecided test reads (the next one to branch on)."""
    if isinstance(cond, TrueCond):
        return True, None
    if isinstance(cond, Cmp):
        if cond.field not in a:
            return None, cond.field
        if _info(cond.field, fields).type != "list":
            return holds(cond, {cond.field: a[cond.field]}), None
        if a[cond.field] is None or cond.op == "is_null":
            return holds(cond, {cond.field: None if a[cond.field] is None else []}), None
        # contains: any named item held decides it; all known absent decides it too.
        pending = None
        for x in _values(cond):
            held = a.get((cond.field, x))
            if held is True:
                return True, None
            if held is None and pending is None:
                pending = (cond.field, x)
        return (False, None) if pending is None else (None, pending)
    if isinstance(cond, And | Or):
        decisive = isinstance(cond, Or)  # the value that decides the group at once
        pick = None
        for c in cond.items:
            got, var = _eval(c, a, fields)
            if got is decisive:
                return decisive, None
            if got is None and pick is None:
                pick = var
        return (None, pick) if pick is not None else (not decisive, None)
    assert isinstance(cond, Neg)
    got, var = _eval(cond.item, a, fields)
    return (None, var) if got is None else (not got, None)


def satisfy(cond: Cond, fields: Mapping[str, FieldInfo]) -> Assignment | None:
    """An assignment under which ``cond`` holds whatever the unassigned fields hold, or
    None if no fact satisfies it. ``fields`` gives each field's type and vocabulary (a
    field it does not name is taken as free text)."""
    candidates = dict(_variables(cond, fields))
    a: Assignment = {}

    def go() -> bool:
        got, var = _eval(cond, a, fields)
        if got is not None:
            return got
        for value in candidates[var]:
            a[var] = value
            if go():
                return True
        del a[var]
        return False

    return dict(a) if go() else None


def example_fact(a: Assignment, fields: Mapping[str, FieldInfo]) -> dict[str, Any]:
    """The assignment as a flat fact: list fields as lists of the items held."""
    out: dict[str, Any] = {}
    for var, value in a.items():
        if isinstance(var, tuple):
            continue
        if _info(var, fields).type == "list" and value is not None:
            out[var] = [item for (name, item), held in _items(a) if name == var and held]
        else:
            out[var] = value
    return out


def _items(a: Assignment) -> Iterator[tuple[tuple[str, Any], bool]]:
    for var, value in a.items():
        if isinstance(var, tuple):
            yield var, bool(value)
