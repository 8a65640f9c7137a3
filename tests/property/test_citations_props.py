"""Every decision of every bundled ruleset cites Chinese law for every conclusion.

Generated cases (the valid-case strategy of ``test_backends_agree``) are evaluated under
each bundled ruleset id, on the version in force on the case's date, and the decision must
have no ``basis_problems``: no conclusion without a citation, no English text, no document
without a number or a stated reason, every citation marked quote or summary. A repair
answer must cite an article that sets repair conditions (one cited by a rule of the ruleset
that concludes an unmet condition or a bar).
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_backends_agree import cases

import creditrules
from creditrules.errors import CreditRulesError, InputError, RuleConflictError
from creditrules.evaluate.basis_check import basis_problems
from creditrules.evaluate.run import on_law_of
from creditrules.loader import Ruleset

BUNDLED_IDS = sorted({e.id for e in creditrules.list_rulesets()})
_CACHE: dict[tuple[str, str], Ruleset | None] = {}


def _ruleset(rid: str, as_of: str) -> Ruleset | None:
    """The version of ``rid`` in force on ``as_of`` (cached by the versions chosen)."""
    day = date.fromisoformat(as_of)
    for (cid, _), rs in _CACHE.items():
        if cid == rid and rs is not None:
            node: Ruleset | None = rs
            ok = True
            while node is not None:
                ok = ok and node.in_force(day)
                node = node.parent
            if ok:
                return rs
    try:
        rs = creditrules.load_ruleset(rid, as_of=as_of)
    except CreditRulesError:
        return None
    _CACHE[(rid, as_of)] = rs
    return rs


def _condition_articles(rs: Ruleset) -> set[tuple[str, str]]:
    docs = rs.all_documents()
    return {
        (docs[c.document].title, c.article)
        for r in rs.all_rules()
        if r.then.repair_unmet is not None or r.then.repair_never is not None
        for c in r.cites
    }


def check_case(rid: str, case: dict[str, Any]) -> None:
    rs = _ruleset(rid, case["as_of"])
    assume(rs is not None and rs.in_force(date.fromisoformat(case["as_of"])))
    assert rs is not None
    try:
        d = creditrules.evaluate(rs, case, backend="reference")
    except (InputError, RuleConflictError):
        # Bad input is refused (its own tests), and conflicts are the subject of their own
        # property: neither gives a decision to check here.
        assume(False)
        return
    problems = basis_problems(d)
    assert not problems, f"{rs.ref}: {problems}"
    # The rules that ran: the version on the national law of the case's date.
    conditions = _condition_articles(on_law_of(rs, date.fromisoformat(case["as_of"])))
    for r in d.records:
        if r.repair.eligible or r.repair.unmet:
            cited = {(c.document, c.article) for c in r.repair.basis}
            assert cited & conditions, (
                f"{rs.ref}: records[{r.id}].repair cites no article setting repair conditions: "
                f"{sorted(cited)}"
            )


EXAMPLES = int(os.environ.get("CREDITRULES_CITATION_EXAMPLES", "1500"))
QUICK_EXAMPLES = 25
_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}


@pytest.mark.slow
@settings(max_examples=EXAMPLES, **_SETTINGS)
@given(rid=st.sampled_from(BUNDLED_IDS), case=cases())
def test_every_decision_cites_chinese_law(rid: str, case: dict[str, Any]) -> None:
    check_case(rid, case)


@settings(max_examples=QUICK_EXAMPLES, **_SETTINGS)
@given(rid=st.sampled_from(BUNDLED_IDS), case=cases())
def test_every_decision_cites_chinese_law_quick(rid: str, case: dict[str, Any]) -> None:
    check_case(rid, case)
