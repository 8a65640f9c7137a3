"""The conflict check against evaluation, on generated conditions, rulesets and facts.

a. Conditions: when ``overlap.satisfy`` says two conditions cannot hold together, no
   generated fact makes both fire, on durable_rules and on the reference backend; when it
   gives an example, the example makes both fire on both.
b. Rulesets: on small generated rulesets (random conditions, values, ``default``,
   ``overrides`` and value ``precedence``), every generated fact on which deciding a value
   raises ``RuleConflictError`` has a pair of its disagreeing rules among those
   ``find_conflicts`` reports, and every reported pair's example raises.

Facts are drawn from the constants the conditions name, their neighbours and other values,
so that narrow conditions are met often enough for the properties to be able to fail.
"""

from __future__ import annotations

import itertools
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules.compile import durable, reference
from creditrules.compile.ir import And, Cmp, CompiledRule, Cond, Neg, Or, claims_of, lower
from creditrules.compile.overlap import example_fact, satisfy
from creditrules.errors import RuleConflictError
from creditrules.evaluate.conclude import Claim, decide
from creditrules.evaluate.conflicts import find_conflicts
from creditrules.loader import Ruleset
from creditrules.model.facts import FieldInfo
from creditrules.model.ruleset import Manifest, Rule
from creditrules.validate import field_dictionary

#: Record fields of every type the condition language tests (names from the field dictionary).
FIELDS: dict[str, FieldInfo] = {
    "category": FieldInfo("category", "str", "input", ("basic", "positive", "negative", "other")),
    "domain": FieldInfo("domain", "str", "input"),
    "determined_on": FieldInfo("determined_on", "date", "input"),
    "intentional": FieldInfo("intentional", "bool", "input"),
    "basis.penalties": FieldInfo(
        "basis.penalties", "list", "input", ("warning", "fine_large", "confiscation")
    ),
}
TEXTS = ["tax", "food", "税务", "a b"]
DATES = ["2019-12-31", "2020-01-01", "2020-02-29", "2024-02-10"]
ITEMS = ["warning", "fine_large", "confiscation"]


def comparisons() -> st.SearchStrategy[Cmp]:
    def for_field(name: str) -> st.SearchStrategy[Cmp]:
        info = FIELDS[name]
        null = st.booleans().map(lambda b: Cmp(name, "is_null", b))
        if info.type == "list":
            items = st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3, unique=True)
            return st.one_of(items.map(lambda v: Cmp(name, "contains", tuple(v))), null)
        values: st.SearchStrategy[Any] = {
            "str": st.sampled_from(list(info.values) or TEXTS),
            "date": st.sampled_from(DATES),
            "bool": st.booleans(),
        }[info.type]
        ops = ["eq", "ne"] + (["gt", "gte", "lt", "lte"] if info.type == "date" else [])
        scalar = st.tuples(st.sampled_from(ops), values).map(lambda t: Cmp(name, t[0], t[1]))
        member = st.tuples(
            st.sampled_from(["in", "not_in"]),
            st.lists(values, min_size=1, max_size=3, unique=True),
        ).map(lambda t: Cmp(name, t[0], tuple(t[1])))
        return st.one_of(scalar, member, null)

    return st.sampled_from(sorted(FIELDS)).flatmap(for_field)


def conditions() -> st.SearchStrategy[Cond]:
    return st.recursive(
        comparisons(),
        lambda kids: st.one_of(
            st.lists(kids, min_size=1, max_size=3).map(lambda xs: And(tuple(xs))),
            st.lists(kids, min_size=1, max_size=3).map(lambda xs: Or(tuple(xs))),
            kids.map(Neg),
        ),
        max_leaves=6,
    )


def _constants(conds: list[Cond]) -> dict[str, list[Any]]:
    out: dict[str, set[Any]] = {n: set() for n in FIELDS}

    def walk(c: Cond) -> None:
        if isinstance(c, Cmp):
            if c.op != "is_null":
                vals = c.value if isinstance(c.value, tuple) else (c.value,)
                out[c.field].update(vals)
        elif isinstance(c, And | Or):
            for x in c.items:
                walk(x)
        elif isinstance(c, Neg):
            walk(c.item)

    for c in conds:
        walk(c)
    return {n: sorted(v, key=repr) for n, v in out.items()}


def _near(d: str) -> list[str]:
    day = date.fromisoformat(d)
    return [(day + timedelta(days=k)).isoformat() for k in (-1, 0, 1)]


@st.composite
def facts_for(draw: st.DrawFn, conds: list[Cond]) -> list[dict[str, Any]]:
    """Facts whose values come from the conditions' constants, their neighbours and others."""
    consts = _constants(conds)
    pools: dict[str, list[Any]] = {
        "category": list(FIELDS["category"].values),
        "domain": consts["domain"] + ["其他", "tax"],
        "determined_on": sorted({n for d in consts["determined_on"] + DATES for n in _near(d)}),
        "intentional": [True, False],
    }
    out = []
    for i in range(draw(st.integers(1, 6))):
        fact: dict[str, Any] = {"_kind": "record", "_key": f"k{i}"}
        for name, pool in pools.items():
            how = draw(st.sampled_from(["value", "value", "value", "null", "missing"]))
            if how == "value":
                fact[name] = draw(st.sampled_from(pool))
            elif how == "null":
                fact[name] = None
        how = draw(st.sampled_from(["list", "list", "empty", "null"]))
        if how == "list":
            fact["basis.penalties"] = draw(
                st.lists(st.sampled_from(ITEMS), max_size=3, unique=True)
            )
        elif how == "empty":
            fact["basis.penalties"] = []
        else:
            fact["basis.penalties"] = None
        out.append(fact)
    return out


_names = itertools.count()
RULE = Rule.model_validate(
    {"id": "p.r", "title": "t", "applies_to": "record", "then": {"set": {"archived": True}}}
)


def _both_fire(a: Cond, b: Cond, facts: list[dict[str, Any]]) -> dict[str, set[str]]:
    """For each backend, the facts on which both conditions fire."""
    rules = [CompiledRule("p.a", "record", a, 0, RULE), CompiledRule("p.b", "record", b, 0, RULE)]
    out = {}
    name = f"conflicts_{os.getpid()}_{next(_names)}"
    for backend, fired in (
        ("reference", reference.run(rules, facts)),
        ("durable_rules", durable.run(name, rules, facts)),
    ):
        out[backend] = {k for (r, k) in fired if r == "p.a"} & {k for (r, k) in fired if r == "p.b"}
    return out


def check_pair(a: Cond, b: Cond, facts: list[dict[str, Any]]) -> None:
    hit = satisfy(And((a, b)), FIELDS)
    if hit is None:
        for backend, keys in _both_fire(a, b, facts).items():
            assert not keys, f"disjoint, yet both fire on {backend}: {keys} of {facts}"
    else:
        example = {"_kind": "record", "_key": "example", **example_fact(hit, FIELDS)}
        for backend, keys in _both_fire(a, b, [example]).items():
            assert keys == {"example"}, f"the example {example} does not fire both on {backend}"


@given(st.data())
@settings(max_examples=150)
def test_disjoint_conditions_never_fire_together(data: st.DataObject) -> None:
    a, b = data.draw(conditions()), data.draw(conditions())
    check_pair(a, b, data.draw(facts_for([a, b])))


@pytest.mark.slow
@given(st.data())
@settings(max_examples=2000)
def test_disjoint_conditions_never_fire_together_long(data: st.DataObject) -> None:
    a, b = data.draw(conditions()), data.draw(conditions())
    check_pair(a, b, data.draw(facts_for([a, b])))


# ============================================================ b. rulesets

MANIFEST = Manifest.model_validate(
    {"id": "p.rules", "version": "1", "title": "t", "issuer": "t", "effective_from": "2020-01-01"}
)
STATUS = ["active", "expired", "repaired"]
PERIODS = ["P1Y", "P3Y"]


@st.composite
def rulesets(draw: st.DrawFn) -> Ruleset:
    n = draw(st.integers(2, 5))
    ids = [f"p.r{i}" for i in range(n)]
    writes_status = draw(st.booleans())
    rules = []
    for rid in ids:
        then: dict[str, Any] = (
            {"set": {"status": draw(st.sampled_from(STATUS))}}
            if writes_status
            else {
                "period": {
                    "name": "validity",
                    "from": "determined_on",
                    "duration": draw(st.sampled_from(PERIODS)),
                }
            }
        )
        others = [o for o in ids if o != rid]
        rules.append(
            Rule(
                id=rid,
                title="t",
                applies_to="record",
                then=then,  # type: ignore[arg-type]
                overrides=draw(st.lists(st.sampled_from(others), max_size=2, unique=True)),
                default=draw(st.booleans()),
            )
        )
    # Conditions are set after the model is built: they are IR, lowered back below.
    conds = [draw(conditions()) for _ in ids]
    precedence = draw(
        st.one_of(
            st.none(),
            st.permutations(STATUS).flatmap(lambda p: st.integers(1, 3).map(lambda k: list(p[:k]))),
        )
    )
    manifest = MANIFEST
    if writes_status and precedence:
        manifest = MANIFEST.model_copy(update={"precedence": {"status": precedence}})
    rs = Ruleset(manifest=manifest, folder=Path("."), own_sha256="p")
    rs.rules = [r.model_copy(update={"when": _raise(c)}) for r, c in zip(rules, conds, strict=True)]
    return rs


def _raise(c: Cond) -> Any:
    """IR condition → authoring condition (so ``lower`` gives it back)."""
    from creditrules.model.ruleset import All, AnyOf, Comparison, Not

    if isinstance(c, Cmp):
        key = "in" if c.op == "in" else c.op
        value = list(c.value) if isinstance(c.value, tuple) else c.value
        return Comparison.model_validate({"field": c.field, key: value})
    if isinstance(c, And):
        return All(all=[_raise(x) for x in c.items])
    if isinstance(c, Or):
        return AnyOf(any=[_raise(x) for x in c.items])
    assert isinstance(c, Neg)
    return Not.model_validate({"not": _raise(c.item)})


def _fields(rs: Ruleset) -> dict[str, dict[str, FieldInfo]]:
    fields = field_dictionary(rs)
    fields["record"] = {**fields["record"], **FIELDS}
    return fields


def _decide_on(rs: Ruleset, fact: dict[str, Any]) -> dict[str, list[str] | None]:
    """Per claimed value, the rules left disagreeing on this fact (None: settled)."""
    claims: dict[str, list[Claim]] = {}
    for r in rs.all_rules():
        if reference.holds(lower(r.when), fact):
            for key, value in claims_of(r):
                claims.setdefault(key, []).append(Claim(r, value))
    out: dict[str, list[str] | None] = {}
    for key, cs in claims.items():
        try:
            decide(rs, key, cs, fact="f")
            out[key] = None
        except RuleConflictError as exc:
            out[key] = list(exc.rules)
    return out


def check_ruleset(rs: Ruleset, facts: list[dict[str, Any]]) -> None:
    found = find_conflicts(rs, _fields(rs))
    reported = {(c.attribute, frozenset((c.first.id, c.second.id))) for c in found}
    for c in found:
        left = _decide_on(rs, c.example).get(c.attribute)
        assert left and {c.first.id, c.second.id} <= set(left), (c, left)
    for fact in facts:
        for key, left in _decide_on(rs, fact).items():
            if left is None:
                continue
            assert any((key, frozenset(p)) in reported for p in itertools.combinations(left, 2)), (
                f"{key} conflicts on {fact} between {left}, but the check reported {reported}"
            )


@given(st.data())
@settings(max_examples=150)
def test_the_check_finds_every_conflict_evaluation_meets(data: st.DataObject) -> None:
    rs = data.draw(rulesets())
    conds = [lower(r.when) for r in rs.rules]
    check_ruleset(rs, data.draw(facts_for(conds)))


@pytest.mark.slow
@given(st.data())
@settings(max_examples=2000)
def test_the_check_finds_every_conflict_evaluation_meets_long(data: st.DataObject) -> None:
    rs = data.draw(rulesets())
    conds = [lower(r.when) for r in rs.rules]
    check_ruleset(rs, data.draw(facts_for(conds)))
