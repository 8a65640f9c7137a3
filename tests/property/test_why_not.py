"""The reference backend's reasons (``why_not``) and the memo the evaluation keeps of them.

``why_not`` visits each node of a condition once; the version it replaced asked ``holds``
again at every level. Both must give the same reason, word for word, on every condition
and fact: the reasons are part of every decision's trace.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules.compile import reference
from creditrules.compile.ir import And, Cmp, CompiledRule, Cond, Neg, Or, Plan, TrueCond
from creditrules.evaluate.run import _WhyNot
from creditrules.model.ruleset import Rule

FIELDS = {"a": st.sampled_from(["x", "y", "z"]), "n": st.integers(0, 3), "b": st.booleans()}


def _oracle(cond: Cond, fact: dict[str, Any], negated: bool = False) -> str | None:
    """The earlier implementation, kept here as the yardstick."""
    if reference.holds(cond, fact) != negated:
        return None
    if isinstance(cond, Cmp):
        value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
        pre = "not " if negated else ""
        shown = "null" if fact.get(cond.field) is None else repr(fact.get(cond.field))
        want = "null" if value is None else repr(value)
        return f"{cond.field} = {shown}, needs {pre}{cond.op} {want}"
    if isinstance(cond, Neg):
        return _oracle(cond.item, fact, not negated)
    if isinstance(cond, And | Or):
        all_like = isinstance(cond, And) != negated
        failing = [r for r in (_oracle(c, fact, negated) for c in cond.items) if r]
        if all_like:
            return failing[0] if failing else None
        return " and ".join(failing) if failing else None
    return None


def _cmp() -> st.SearchStrategy[Cond]:
    def one(field: str) -> st.SearchStrategy[Cond]:
        v = FIELDS[field]
        return st.one_of(
            st.builds(Cmp, st.just(field), st.sampled_from(["eq", "ne"]), v),
            st.builds(Cmp, st.just(field), st.sampled_from(["in", "not_in"]), st.tuples(v, v)),
            st.builds(Cmp, st.just(field), st.just("is_null"), st.booleans()),
            st.builds(Cmp, st.just(field), st.sampled_from(["gt", "gte", "lt", "lte"]), v),
        )

    return st.sampled_from(sorted(FIELDS)).flatmap(one)


CONDS: st.SearchStrategy[Cond] = st.recursive(
    st.one_of(_cmp(), st.just(TrueCond())),
    lambda inner: st.one_of(
        st.builds(And, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Or, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Neg, inner),
    ),
    max_leaves=8,
)
FACTS = st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), v) for k, v in FIELDS.items()})


@settings(max_examples=400)
@given(CONDS, FACTS, st.booleans())
def test_why_not_gives_the_reasons_it_always_gave(
    cond: Cond, fact: dict[str, Any], negated: bool
) -> None:
    assert reference.why_not(cond, fact, negated) == _oracle(cond, fact, negated)


RULE = Rule.model_validate(
    {"id": "p.r0", "title": "t", "applies_to": "record", "then": {"set": {"negative": True}}}
)


def test_the_memo_keeps_values_of_different_types_apart() -> None:
    """True == 1 in Python; the reason for a fact whose field holds 1 is not the reason for
    one whose field holds True (and the rule holds for neither or one of them)."""
    rule = CompiledRule("p.r0", "record", Cmp("n", "eq", 1), 0, RULE)
    why = _WhyNot(Plan("x", [rule], {}, 1))
    assert why(rule, {"n": True}) == "n = True, needs eq 1"
    assert why(rule, {"n": 1}) is None
    assert why(rule, {"n": True}) == "n = True, needs eq 1"
    assert why(rule, {"n": [1]}) == reference.why_not(rule.cond, {"n": [1]})


def test_the_memo_is_bounded() -> None:
    rule = CompiledRule("p.r0", "record", Cmp("n", "eq", -1), 0, RULE)
    why = _WhyNot(Plan("x", [rule], {}, 1))
    why.LIMIT = 10
    for i in range(35):
        assert why(rule, {"n": i}) == f"n = {i}, needs eq -1"
    assert len(why.memo) <= 10
