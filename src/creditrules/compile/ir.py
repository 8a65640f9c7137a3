"""The engine-neutral rule plan: conditions as small trees, rules in strata.

Both backends (durable_rules and the pure-Python reference) read only this. A rule
sits in the stratum after every producer of a value it reads, so each backend run
sees finished values and no rule ever needs a join or a negation across facts:
cross-fact questions are answered by named built-in derivations between strata.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from creditrules.diagnostics import Diagnostic
from creditrules.loader import Ruleset
from creditrules.model.facts import PERIOD_NAMES
from creditrules.model.rank import hierarchy
from creditrules.model.ruleset import All, AnyOf, Comparison, Condition, Not, Rule

#: Tests (comparison leaves, one per value of an `in`) one durable_rules ruleset may hold;
#: also the most rules it may hold. Far inside the 64 simultaneous matches (error 303) and
#: the 512 conditions per node (a silent hang) that durable_rules 2.0.28 survives.
BUDGET_TESTS = 48
#: Keys one fact may carry (durable_rules fails at 254, counting its own).
BUDGET_KEYS = 200
#: all/any groups one rule may nest: durable_rules keeps two of 32 sequence slots per group
#: (MAX_SEQUENCE_EXPRESSIONS, error 113 at 16 groups).
BUDGET_GROUPS = 12

Op = Literal["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "is_null"]


@dataclass(frozen=True)
class Cmp:
    """A test on one field. Absent (null) fields fail every test but ``is_null: true``."""

    field: str
    op: Op
    value: Any


@dataclass(frozen=True)
class And:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class Neg:
    item: Cond


@dataclass(frozen=True)
class TrueCond:
    """The empty condition: every fact of the rule's kind."""


Cond = Union[Cmp, And, Or, Neg, TrueCond]  # noqa: UP007 - a runtime alias of forward refs


def lower(cond: Condition | None) -> Cond:
    """Authoring condition → IR condition."""
    if cond is None:
        return TrueCond()
    if isinstance(cond, All):
        return And(tuple(lower(c) for c in cond.all))
    if isinstance(cond, AnyOf):
        return Or(tuple(lower(c) for c in cond.any))
    if isinstance(cond, Not):
        return Neg(lower(cond.not_))
    assert isinstance(cond, Comparison)
    op = "in" if cond.op == "in_" else cond.op
    value = cond.value
    if isinstance(value, list):
        value = tuple(value)
    return Cmp(cond.field, op, value)  # type: ignore[arg-type]


def fields_read(cond: Cond) -> set[str]:
    """Every field a condition reads."""
    if isinstance(cond, Cmp):
        return {cond.field}
    if isinstance(cond, And | Or):
        return set().union(*(fields_read(c) for c in cond.items)) if cond.items else set()
    if isinstance(cond, Neg):
        return fields_read(cond.item)
    return set()


def leaves(cond: Cond) -> int:
    """How many tests a condition makes (the engine budget counts these)."""
    if isinstance(cond, Cmp):
        return (
            len(cond.value)
            if cond.op in ("in", "not_in", "contains") and isinstance(cond.value, tuple)
            else 1
        )
    if isinstance(cond, And | Or):
        return sum(leaves(c) for c in cond.items)
    if isinstance(cond, Neg):
        return leaves(cond.item)
    return 0


def to_data(cond: Cond) -> Any:
    """A canonical JSON-able form (for hashing and for showing the plan)."""
    if isinstance(cond, Cmp):
        return {
            "field": cond.field,
            "op": cond.op,
            "value": list(cond.value) if isinstance(cond.value, tuple) else cond.value,
        }
    if isinstance(cond, And):
        return {"all": [to_data(c) for c in cond.items]}
    if isinstance(cond, Or):
        return {"any": [to_data(c) for c in cond.items]}
    if isinstance(cond, Neg):
        return {"not": to_data(cond.item)}
    return {"true": True}


# ------------------------------------------------------------------ rules and strata


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready for a backend."""

    id: str
    kind: Literal["subject", "record", "event"]
    cond: Cond
    level: int
    rule: Rule = field(compare=False, hash=False)


@dataclass(frozen=True)
class Derivation:
    """A named built-in computation across facts, run between strata."""

    name: str
    reads: frozenset[str]
    writes: frozenset[str]


@dataclass
class Plan:
    """A ruleset compiled for evaluation."""

    ruleset_sha256: str
    rules: list[CompiledRule]
    derivation_levels: dict[str, int]
    levels: int

    def at(self, level: int) -> list[CompiledRule]:
        """The rules of one stratum, in plan order (computed once per plan)."""
        return self._strata.get(level, [])

    @functools.cached_property
    def _strata(self) -> dict[int, list[CompiledRule]]:
        out: dict[int, list[CompiledRule]] = {}
        for r in self.rules:
            out.setdefault(r.level, []).append(r)
        return out

    @functools.cached_property
    def digest(self) -> str:
        """Content address of the compiled plan (names its durable_rules rulesets); computed
        once per plan, which is never changed after ``stratify`` builds it."""
        data = [(r.id, r.kind, r.level, to_data(r.cond)) for r in self.rules]
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


#: The built-in derivations: what each reads and writes ("kind:field"; "pseudo:*" are
#: conclusions that are not fields: deadlines, list entries, measures).
DERIVATIONS: tuple[Derivation, ...] = (
    Derivation("record_history", frozenset(), frozenset({"record:same_type_since_correction"})),
    Derivation("record_payment", frozenset(), frozenset({"record:paid_before_publication"})),
    Derivation(
        "record_events",
        frozenset(),
        frozenset(
            {
                "record:objection.open",
                "record:objection.upheld",
                "record:repair.applied",
                "record:repair.pledged",
                "record:repair.granted",
                "record:volunteer_service",
            }
        ),
    ),
    Derivation(
        "objection_overdue",
        frozenset({"pseudo:deadline"}),
        frozenset({"record:objection.provider_overdue"}),
    ),
    Derivation(
        "key_attention_window",
        frozenset({"record:validity.until", "record:status"}),
        frozenset({"record:during_key_attention"}),
    ),
    Derivation(
        "record_lists",
        frozenset({"pseudo:list:record", "record:status"}),
        frozenset({"record:list.active"}),
    ),
    Derivation(
        "subject_minor",
        frozenset(),
        frozenset(
            {"subject:is_minor", "record:subject.is_minor", "record:subject.minor_on_listing"}
        ),
    ),
    Derivation(
        "subject_counts",
        frozenset(
            {
                "record:status",
                "record:severity",
                "record:negative",
                "record:validity.elapsed",
                "record:list.active",
            }
        ),
        frozenset(
            {
                "subject:negative_active",
                "subject:serious_active",
                "subject:positive_active",
                "subject:key_attention_domains",
                "subject:key_attention_since",
            }
        ),
    ),
    Derivation(
        "subject_lists",
        frozenset({"pseudo:list:record", "pseudo:list:subject", "record:status"}),
        frozenset({"subject:lists"}),
    ),
    Derivation("subject_measures", frozenset({"pseudo:measure"}), frozenset({"subject:measures"})),
)


def rule_writes(rule: Rule) -> set[str]:
    """The values a rule decides, as "kind:field" (or "pseudo:*")."""
    k = rule.applies_to
    t = rule.then
    out: set[str] = set()
    for mapping in (t.set, t.classify):
        out |= {f"{k}:{a}" for a in (mapping or {})}
    if t.period:
        out |= {f"{k}:{t.period.name}.until", f"{k}:{t.period.name}.elapsed"}
    if t.list:
        # Entries on records and on the subject are separate values: a subject-level list
        # (big-data warning) may be decided from counts of record-level entries.
        out.add(f"pseudo:list:{k}")
    if t.measure:
        out.add("pseudo:measure")
    if t.deadline:
        out.add("pseudo:deadline")
    if t.repair_unmet or t.repair_never or t.repair_route or t.repair_after:
        out.add("pseudo:repair")
    if t.matter:
        out.add("pseudo:matter")
    if t.grade:
        out.add("pseudo:grade")
    return out


#: Claims on these values never conflict: a matter's answers combine (the most
#: restrictive stands) and the deadlines of several authorities all stand.
COMBINED_CLAIMS = ("matter:", "deadline:")


def claims_of(rule: Rule) -> list[tuple[str, Any]]:
    """What a rule claims when it fires, as (value key, claimed value), keyed the way the
    evaluation resolves them: ``status``, ``classify:severity``, ``period:validity``,
    ``list:<id>``, ``measure:<id>``, ``deadline:<procedure>``, ``matter:<matter>``, ``grade:``."""
    t = rule.then
    out: list[tuple[str, Any]] = [(a, v) for a, v in (t.set or {}).items()]
    out += [("classify:" + a, v) for a, v in (t.classify or {}).items()]
    if t.period:
        out.append(("period:" + t.period.name, t.period))
    if t.list:
        out.append(("list:" + t.list.id, t.list))
    if t.measure:
        out.append(("measure:" + t.measure.id, t.measure))
    if t.deadline:
        out.append(("deadline:" + t.deadline.procedure, t.deadline))
    if t.matter:
        out.append(("matter:" + t.matter.matter, t.matter))
    if t.grade:
        out.append(("grade:", t.grade))
    return out


def rule_reads(rule: Rule, cond: Cond) -> set[str]:
    k = rule.applies_to
    reads = {f"{k}:{f}" for f in fields_read(cond)}
    # The record fields an event carries are copied before evaluation: inputs only.
    if rule.then.period:
        reads.add(f"{k}:{rule.then.period.from_}")
    if rule.then.list:
        reads.add(f"{k}:{rule.then.list.since}")
    if rule.then.measure and rule.then.measure.until == "validity":
        reads.add("record:validity.until")
    if rule.then.measure and rule.then.measure.until == "list":
        reads.add("pseudo:list:record")
    if rule.then.measure and k == "record":
        # Whether a measure is in force depends on the record's final status. (Whether a list
        # entry is in force is the record_lists derivation's, which reads the status; the
        # entry's rule does not.)
        reads |= {"record:validity.until", "record:status"}
    return reads


def special_over(hi: Rule, lo: Rule, docs: dict[str, Any]) -> bool:
    """``lo`` is made under an instrument of general provisions and ``hi`` under a special one
    of the same rank (立法法 第一百零三条)."""
    if not hi.cites or not lo.cites:
        return False
    dh, dl = docs.get(hi.cites[0].document), docs.get(lo.cites[0].document)
    return bool(
        dh and dl and dl.general_provisions and not dh.general_provisions and dh.rank == dl.rank
    )


def stratify(rs: Ruleset) -> tuple[Plan | None, list[Diagnostic]]:
    """Order rules and derivations so every value is final before it is read."""
    rules = rs.all_rules()
    lowered = {r.id: lower(r.when) for r in rules}
    producers: dict[str, list[str]] = {}
    reads: dict[str, set[str]] = {}
    for r in rules:
        node = f"rule:{r.id}"
        reads[node] = rule_reads(r, lowered[r.id])
        for w in rule_writes(r):
            producers.setdefault(w, []).append(node)
    # A period may be taken by the term of a list entry on the same point (model/ranks.yaml
    # `points`) where the list's rule prevails over the period's: those list rules first.
    ranking = rs.ranking()
    docs = rs.all_documents()
    points = hierarchy().points
    for r in rules:
        if r.then.period and f"period:{r.then.period.name}" in points:
            for other in rules:
                if (
                    other.then.list
                    and other.applies_to == r.applies_to
                    and (ranking.prevails(other.id, r.id) or special_over(other, r, docs))
                ):
                    reads[f"rule:{r.id}"].add(f"pseudo:list_rule:{other.id}")
                    producers.setdefault(f"pseudo:list_rule:{other.id}", [f"rule:{other.id}"])
    for d in DERIVATIONS:
        node = f"derive:{d.name}"
        reads[node] = set(d.reads)
        for w in d.writes:
            producers.setdefault(w, []).append(node)
    # Periods write "x.until" and "x.elapsed" together; a field derived by classify is also input.
    levels: dict[str, int] = {}
    visiting: set[str] = set()
    diags: list[Diagnostic] = []

    def level(node: str, chain: tuple[str, ...]) -> int:
        if node in levels:
            return levels[node]
        if node in visiting:
            cycle = " → ".join(n.split(":", 1)[1] for n in chain[chain.index(node) :] + (node,))
            rid = node.split(":", 1)[1]
            loc = rs.locate("rule", rid)
            diags.append(
                Diagnostic(
                    "CR309",
                    f"rules depend on each other in a cycle: {cycle}",
                    loc.span("when") if loc else None,
                    rule=rid if node.startswith("rule:") else None,
                )
            )
            return 0
        visiting.add(node)
        lv = 0
        for attr in reads[node]:
            for p in producers.get(attr, []):
                if p == node:
                    # A rule reading what it writes itself: a cycle of one.
                    if node.startswith("rule:") and not attr.startswith("pseudo:list"):
                        rid = node.split(":", 1)[1]
                        loc = rs.locate("rule", rid)
                        diags.append(
                            Diagnostic(
                                "CR309",
                                f"rule reads '{attr.split(':', 1)[1]}', which it decides itself",
                                loc.span("when") if loc else None,
                                rule=rid,
                            )
                        )
                    continue
                lv = max(lv, level(p, chain + (node,)) + 1)
        visiting.discard(node)
        levels[node] = lv
        return lv

    for node in reads:
        level(node, ())
    if diags:
        return None, diags
    compiled = [
        CompiledRule(r.id, r.applies_to, lowered[r.id], levels[f"rule:{r.id}"], r) for r in rules
    ]
    dlevels = {d.name: levels[f"derive:{d.name}"] for d in DERIVATIONS}
    top = max([c.level for c in compiled] + list(dlevels.values()) + [0]) + 1
    return Plan(rs.sha256, compiled, dlevels, top), []


def _tests_problem(r: CompiledRule) -> str | None:
    cost = leaves(r.cond) + 1
    if cost > BUDGET_TESTS:
        return f"the condition makes {cost} tests; one rule may make at most {BUDGET_TESTS}"
    return None


def check_budget(
    rs: Ruleset,
    plan: Plan,
    field_count: dict[str, int],
    problem: Callable[[CompiledRule], str | None] = _tests_problem,
) -> list[Diagnostic]:
    """Diagnostics for rules or facts that would not fit the engine budget; ``problem``
    is the backend's own measure of a rule (durable_rules also counts nested groups)."""
    diags = []
    for r in plan.rules:
        why = problem(r)
        if why:
            loc = rs.locate("rule", r.id)
            diags.append(Diagnostic("CR401", why, loc.span("when") if loc else None, rule=r.id))
    for kind, n in field_count.items():
        if n > BUDGET_KEYS:
            # Point at the declared attribute that takes the count past the budget.
            attrs = [a for a in rs.all_attributes() if a.applies_to == kind]
            over = attrs[max(0, len(attrs) - (n - BUDGET_KEYS))] if attrs else None
            loc = rs.locate("attribute", over.name) if over else None
            diags.append(
                Diagnostic(
                    "CR402",
                    f"{kind} facts could carry {n} keys; the budget is {BUDGET_KEYS}",
                    loc.span("name") if loc else None,
                )
            )
    return diags


__all__ = [
    "BUDGET_GROUPS",
    "BUDGET_KEYS",
    "BUDGET_TESTS",
    "COMBINED_CLAIMS",
    "check_budget",
    "claims_of",
    "And",
    "Cmp",
    "CompiledRule",
    "Cond",
    "DERIVATIONS",
    "Derivation",
    "Neg",
    "Or",
    "PERIOD_NAMES",
    "Plan",
    "TrueCond",
    "fields_read",
    "leaves",
    "lower",
    "stratify",
    "to_data",
]
