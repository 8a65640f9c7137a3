"""Conflicts found before any caller meets them (CR316).

At evaluation, two fired rules that claim different values for one value of one fact,
with nothing declared to settle it, raise ``RuleConflictError``. This check finds every
such pair in advance. For each pair of rules that claim the same value with answers
``conclude.decide`` cannot settle between them, it asks whether one fact can make both
fire and both stand, whatever else fires on it: it explores which of the other rules
claiming that value fire too (each combination that one fact allows, found with the
exhaustive search of ``compile/overlap.py``) and asks ``conclude.decide`` itself — the
function evaluation uses — whether the two still disagree. So whatever settles claims at
evaluation (the rank of the instruments, defaults, ``overrides``, a ruleset's
``precedence``, and anything added to ``decide`` later) settles them here in the same way, and a pair reported comes with an
example fact on which evaluation raises.

One assumption ties the two: whether a claim sets another aside depends on those two
rules only, never on a third (true of rank, ``default``, ``overrides`` and ``precedence``).
Then any conflict has a pair of its winners that ``decide`` cannot settle alone, so pairs
it settles alone need no search. ``tests/property/test_conflict_check_props.py`` checks the whole
check against evaluation on generated rulesets and facts.

Values that rules derive (``negative``, ``status`` …) are not free: a rule reading one can
only see a value that some rule writing it could have written on the same fact, so each
derived field read is tied to the conditions of its writers. What the built-in derivations
compute across facts (counts, objections, list activity) is left free, which can only make
the check report more, never less.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from creditrules.compile.ir import (
    And,
    Cmp,
    Cond,
    Neg,
    Or,
    claims_of,
    fields_read,
    lower,
)
from creditrules.compile.overlap import example_fact, satisfy
from creditrules.diagnostics import Diagnostic
from creditrules.errors import RuleConflictError
from creditrules.evaluate.conclude import Claim, decide
from creditrules.loader import Ruleset
from creditrules.model.facts import FieldInfo
from creditrules.model.ruleset import Rule

__all__ = ["LAYERED", "Conflict", "conflict_diagnostics", "find_conflicts"]

#: The note that names the layering a conflict was found in.
LAYERED = "rules as layered: "


@dataclass(frozen=True)
class Conflict:
    """Two rules that can both win one value of one fact with different answers."""

    kind: str
    attribute: str
    first: Rule
    second: Rule
    first_value: Any
    second_value: Any
    example: dict[str, Any]


@dataclass(frozen=True)
class _Claimant:
    rule: Rule
    cond: Cond
    value: Any


def _key(value: Any) -> str:
    # The same identity of values as conclude.resolve.
    return repr(value)


#: Per derived field: each value written (by its repr) with the value and the conditions
#: of the rules that write it.
_ByValue = dict[str, dict[str, tuple[Any, list[Cond]]]]


def _writers(rules: list[tuple[Rule, Cond]], kind: str) -> tuple[_ByValue, dict[str, list[Cond]]]:
    """For each field rules derive on facts of ``kind``: the conditions under which each
    value can be written, and the conditions under which the field is set at all."""
    by_value: _ByValue = {}
    set_when: dict[str, list[Cond]] = {}
    for rule, cond in rules:
        if rule.applies_to != kind:
            continue
        t = rule.then
        for mapping in (t.set, t.classify):
            for attr, value in (mapping or {}).items():
                slot = by_value.setdefault(attr, {}).setdefault(_key(value), (value, []))
                slot[1].append(cond)
                set_when.setdefault(attr, []).append(cond)
        if t.period:
            started = And((cond, Neg(Cmp(t.period.from_, "is_null", True))))
            for suffix in (".until", ".elapsed"):
                set_when.setdefault(t.period.name + suffix, []).append(started)
    return by_value, set_when


def _derived_constraints(
    cond: Cond,
    fields: Mapping[str, FieldInfo],
    by_value: _ByValue,
    set_when: dict[str, list[Cond]],
) -> list[Cond]:
    """Constraints every real fact meets on the derived fields the formula reads (and,
    transitively, on those their writers read): a derived field holds a value only where
    a rule writing that value fires, or (severity) where the input gave it."""
    out: list[Cond] = []
    seen: set[str] = set()
    todo = sorted(fields_read(cond))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        info = fields.get(name)
        if info is None or info.origin != "derived":
            continue
        escape: list[Cond] = [Cmp("severity_marked", "eq", True)] if name == "severity" else []
        writers = set_when.get(name, [])
        out.append(Or((Cmp(name, "is_null", True), *escape, *writers)))
        values = by_value.get(name, {})
        if values:
            written = tuple(v for v, _ in values.values())
            out.append(Or((Cmp(name, "is_null", True), *escape, Cmp(name, "in", written))))
            for v, conds in values.values():
                out.append(Or((Neg(Cmp(name, "eq", v)), *escape, *conds)))
        for w in writers:
            todo.extend(sorted(fields_read(w)))
    return out


def _settled(rs: Ruleset, attr: str, claimants: list[_Claimant]) -> list[str] | None:
    """None if ``decide`` settles these claims; else the ids of the rules left disagreeing."""
    claims = [Claim(c.rule, c.value) for c in claimants]
    try:
        decide(rs, attr, claims, fact="conflict-check")
    except RuleConflictError as exc:
        return list(exc.rules)
    return None


def _on_one_cycle(a: _Claimant, b: _Claimant, claimants: list[_Claimant]) -> bool:
    """Whether ``a`` and ``b`` lie on one cycle of ``overrides`` among ``claimants``: each
    pair of such a cycle is settled alone (one overrides the other), yet when the whole
    cycle fires no rule stands above the rest, so the pair must be searched with the others."""
    ids = {c.rule.id for c in claimants}
    edges = {c.rule.id: [o for o in c.rule.overrides if o in ids] for c in claimants}

    def reaches(src: str, dst: str) -> bool:
        seen, todo = {src}, [src]
        while todo:
            for nxt in edges.get(todo.pop(), []):
                if nxt == dst:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    x, y = a.rule.id, b.rule.id
    return reaches(x, y) and reaches(y, x)


def _sat(
    parts: list[Cond],
    *,
    fields: Mapping[str, FieldInfo],
    by_value: _ByValue,
    set_when: dict[str, list[Cond]],
) -> dict[Any, Any] | None:
    """An assignment meeting all ``parts`` (and what real facts meet), or None."""
    formula = And(tuple(parts))
    derived = _derived_constraints(formula, fields, by_value, set_when)
    return satisfy(And((formula, *derived)), fields)


def find_conflicts(
    rs: Ruleset,
    fields: Mapping[str, Mapping[str, FieldInfo]],
    *,
    only: set[str] | None = None,
) -> list[Conflict]:
    """Every pair of rules of ``rs`` (with everything it extends and includes) that can both
    stand with different answers for one value of one fact. With ``only``, pairs of which
    neither rule is named there are skipped (they are checked with the ruleset that holds
    them)."""
    rules = rs.all_rules()
    lowered = [(r, lower(r.when)) for r in rules]
    groups: dict[tuple[str, str], list[_Claimant]] = {}
    for rule, cond in lowered:
        for key, value in claims_of(rule):
            groups.setdefault((rule.applies_to, key), []).append(_Claimant(rule, cond, value))
    writers = {k: _writers(lowered, k) for k in ("record", "subject", "event")}
    found: list[Conflict] = []
    for (kind, attr), claimants in groups.items():
        kind_fields = fields.get(kind, {})
        by_value, set_when = writers[kind]

        sat = partial(_sat, fields=kind_fields, by_value=by_value, set_when=set_when)
        for i, a in enumerate(claimants):
            for b in claimants[i + 1 :]:
                if only is not None and a.rule.id not in only and b.rule.id not in only:
                    continue
                if _settled(rs, attr, [a, b]) is None and not _on_one_cycle(a, b, claimants):
                    continue
                if sat([a.cond, b.cond]) is None:
                    continue
                others = [
                    o
                    for o in claimants
                    if o is not a and o is not b and sat([a.cond, b.cond, o.cond]) is not None
                ]
                hit = _search(rs, attr, a, b, others, sat)
                if hit is not None:
                    found.append(
                        Conflict(
                            kind,
                            attr,
                            a.rule,
                            b.rule,
                            a.value,
                            b.value,
                            example_fact(hit, kind_fields),
                        )
                    )
    return found


def _search(
    rs: Ruleset,
    attr: str,
    a: _Claimant,
    b: _Claimant,
    others: list[_Claimant],
    sat: Callable[[list[Cond]], dict[Any, Any] | None],
) -> dict[Any, Any] | None:
    """A fact on which ``a`` and ``b`` both fire and still disagree after ``decide``,
    whichever of ``others`` fire with them; None if there is none. Each combination of
    others that one fact allows is tried, those that do not fire first."""

    def go(i: int, fired: list[_Claimant], parts: list[Cond]) -> dict[Any, Any] | None:
        hit = sat(parts)
        if hit is None:
            return None
        if i == len(others):
            left = _settled(rs, attr, [a, b, *fired])
            return hit if left and a.rule.id in left and b.rule.id in left else None
        o = others[i]
        return go(i + 1, fired, [*parts, Neg(o.cond)]) or go(i + 1, [*fired, o], [*parts, o.cond])

    return go(0, [], [a.cond, b.cond])


# ------------------------------------------------------------------ diagnostics


def _show_value(rs: Ruleset, value: Any) -> str:
    def dur(text: str) -> str:
        if not text.startswith("param:"):
            return text
        try:
            return f"{rs.duration(text)} ({text})"
        except KeyError:
            return text

    name = type(value).__name__
    if name == "PeriodSpec":
        return f"{dur(value.duration)} from {value.from_}"
    if name == "ListSpec":
        term = dur(value.term) if value.term else "no fixed term"
        return f"{value.id} from {value.since}, {term}" + (
            " (or the input's term)" if value.term_from_input else ""
        )
    if name == "MeasureRef":
        return f"{value.id} until {value.until}"
    if name == "GradeSpec":
        return f"grade {value.code} ({value.supervision})"
    return repr(value)


def _show_one(name: str, value: Any) -> str:
    if value is None:
        return f"{name} = null"
    if isinstance(value, bool):
        return f"{name} = {'true' if value else 'false'}"
    if isinstance(value, list):
        return f"{name} = [{', '.join(map(str, value))}]"
    return f"{name} = {value}"


def _is_input(name: str, fields: Mapping[str, FieldInfo]) -> bool:
    return fields.get(name) is None or fields[name].origin == "input"


def _show_example(kind: str, example: dict[str, Any], fields: Mapping[str, FieldInfo]) -> str:
    """The example fact: what the input gives, then what rules and derivations make of it."""
    example = dict(example)
    if example.get("severity_marked") is True and example.get("severity") is not None:
        # severity is an input value here (the input marked it): show it as given.
        del example["severity_marked"]
        given = [n for n in example if n == "severity" or _is_input(n, fields)]
    else:
        given = [n for n in example if _is_input(n, fields)]
    made = [n for n in example if n not in given]
    text = f"a {kind} with " + (", ".join(_show_one(n, example[n]) for n in given) or "any input")
    if made:
        text += "; as derived: " + ", ".join(_show_one(n, example[n]) for n in made)
    return text


def _what(attr: str) -> str:
    head, _, name = attr.partition(":")
    if head == "period":
        return f"the {name} period"
    if head == "classify":
        return f"{name} (where the input leaves it empty)"
    if head == "list":
        return f"the {name} list entry"
    if head == "measure":
        return f"measure {name}"
    if head == "grade":
        return "the grade"
    if head == "deadline":
        return f"the {name} deadline"
    if head == "matter":
        return f"the {name} matter"
    return attr


def _conclusion_path(attr: str) -> tuple[str, ...]:
    if attr.startswith("classify:"):
        return ("then", "classify", attr.split(":", 1)[1])
    head = attr.split(":", 1)[0]
    if ":" in attr:
        return ("then", head)
    return ("then", "set", attr)


def conflict_diagnostics(
    rs: Ruleset,
    conflicts: list[Conflict],
    fields: Mapping[str, Mapping[str, FieldInfo]],
    *,
    own: set[str],
    layering: str,
) -> list[Diagnostic]:
    """One CR316 per conflict, at the conclusion of the rule the ruleset itself declares
    (the later one where it declares both), naming the other rule and the example."""
    diags: list[Diagnostic] = []
    for c in conflicts:
        here, there = (c.second, c.first) if c.second.id in own else (c.first, c.second)
        here_v, there_v = (
            (c.second_value, c.first_value) if here is c.second else (c.first_value, c.second_value)
        )
        loc = rs.locate("rule", here.id)
        other = rs.locate("rule", there.id)
        notes = [
            f"both apply to {_show_example(c.kind, c.example, fields.get(c.kind, {}))}",
            f"'{there.id}' is at {other.span()}" if other else f"'{there.id}' is in a parent",
        ]
        if " on " in layering:
            notes.append(LAYERED + layering)
        if _key(here_v) == _key(there_v):
            message = (
                f"'{here.id}' and '{there.id}' can both decide {_what(c.attribute)} of one "
                f"{c.kind}, and each overrides the other, so neither stands"
            )
        else:
            message = (
                f"'{here.id}' and '{there.id}' can both decide {_what(c.attribute)} of one "
                f"{c.kind} differently ({_show_value(rs, here_v)} against "
                f"{_show_value(rs, there_v)}), and nothing declares which prevails"
            )
        diags.append(
            Diagnostic(
                "CR316",
                message,
                loc.span(*_conclusion_path(c.attribute)) if loc else None,
                rule=here.id,
                notes=tuple(notes),
            )
        )
    return diags
