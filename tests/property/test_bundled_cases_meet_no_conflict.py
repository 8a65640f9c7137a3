"""Generated cases of every bundled ruleset meet no ``RuleConflictError``.

``creditrules validate`` proves the bundled rulesets free of rule conflicts (CR316); this is
the same promise checked from the other side, by evaluation. Cases are drawn for every
bundled ruleset id on dates its versions are in force, with record values taken from those
the bundled rules read (domains, behaviours, list grounds), so that the rules of each sector
meet one another. The default run tries a few cases per ruleset; ``pytest -m slow`` many
more, with up to 30 records each.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from test_backends_agree import (
    BASIS_TYPES,
    DISCLOSURES,
    EVENT_TYPES,
    LIST_IDS,
    MATTERS,
    PENALTIES,
    SEVERITIES,
    subjects,
)

import creditrules
from creditrules.compile.ir import And, Cmp, Cond, Neg, Or, lower
from creditrules.errors import CreditRulesError, InputError, RuleConflictError
from creditrules.loader import Ruleset, bundled_root, discover

LAST = date(2026, 12, 31)
#: Every bundled ruleset id, from the day its first version is in force.
IDS: dict[str, date] = {}
for _e in discover([bundled_root()]):
    IDS[_e.id] = min(IDS.get(_e.id, _e.manifest.effective_from), _e.manifest.effective_from)


def _texts(cond: Cond, field: str) -> set[str]:
    if isinstance(cond, Cmp):
        if cond.field != field or cond.op == "is_null":
            return set()
        vals = cond.value if isinstance(cond.value, tuple) else (cond.value,)
        return {v for v in vals if isinstance(v, str)}
    if isinstance(cond, And | Or):
        return set().union(*(_texts(c, field) for c in cond.items)) if cond.items else set()
    if isinstance(cond, Neg):
        return _texts(cond.item, field)
    return set()


@cache
def read_values(field: str) -> tuple[str, ...]:
    """The texts the bundled rules compare ``field`` with, in a stable order."""
    out: set[str] = set()
    for e in discover([bundled_root()]):
        rs = creditrules.load_ruleset(e.folder)
        for r in rs.all_rules():
            out |= _texts(lower(r.when), field)
    return tuple(sorted(out))


def earliest(as_of: date) -> date:
    """Records and events from 2015, or from three years before an earlier evaluation date
    (``cn.national`` is in force from 2003)."""
    return min(date(2015, 1, 1), date(as_of.year - 3, 1, 1))


@st.composite
def records(draw: st.DrawFn, i: int, as_of: date) -> dict[str, Any]:
    day = st.dates(earliest(as_of), as_of)
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    opt = lambda s: st.one_of(st.none(), s)  # noqa: E731
    lst = None
    if draw(st.booleans()):
        lid = draw(st.sampled_from(LIST_IDS))
        grounds = (
            read_values("list.ground")
            if lid in ("court.dishonest_debtor", "tax.major_violation")
            else ()
        )
        lst = {
            "id": lid,
            "listed_on": draw(day).isoformat(),
            "term": None,
            "ground": draw(st.sampled_from(grounds)) if grounds else None,
        }
    # Which records a list entry may sit on (CONTRACT.md, additions to version 1).
    if lst is None:
        category = draw(st.sampled_from(["basic", "positive", "negative", "other"]))
    elif lst["id"] == "redlist":
        category = "positive"
    elif lst["id"] == "key_attention":
        category = draw(st.sampled_from(["negative", "other"]))
    else:
        category = "negative"
    basis = draw(
        opt(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(BASIS_TYPES),
                    "procedure": opt(st.sampled_from(["ordinary", "simple"])),
                    "penalties": st.lists(st.sampled_from(PENALTIES), max_size=3, unique=True),
                }
            )
        )
    )
    return {
        "id": f"r{i}",
        "category": category,
        "domain": draw(opt(st.sampled_from([*read_values("domain"), "其他"]))),
        "behavior": draw(opt(st.sampled_from([*read_values("behavior"), "其他"]))),
        "severity": draw(opt(st.sampled_from(SEVERITIES))),
        "basis": basis,
        "determined_on": iso(draw(day)) if category == "negative" else iso(draw(opt(day))),
        "published_on": iso(draw(opt(day))),
        "corrected_on": iso(draw(opt(day))),
        "obligations_performed_on": iso(draw(opt(day))),
        "list": lst,
        "disclosure": draw(st.sampled_from(DISCLOSURES)),
        "intentional": draw(opt(st.booleans())),
        "first_time": draw(opt(st.booleans())),
    }


@st.composite
def cases(draw: st.DrawFn, max_records: int) -> tuple[str, dict[str, Any]]:
    rid = draw(st.sampled_from(sorted(IDS)))
    as_of = draw(st.dates(IDS[rid], LAST))
    recs = [draw(records(i, as_of)) for i in range(draw(st.integers(1, max_records)))]
    events = []
    for _ in range(draw(st.integers(0, 4))):
        ev: dict[str, Any] = {
            "type": draw(st.sampled_from(EVENT_TYPES)),
            "on": draw(st.dates(earliest(as_of), as_of)).isoformat(),
            "record": draw(st.sampled_from([r["id"] for r in recs])),
        }
        events.append(ev)
    case = {
        "as_of": as_of.isoformat(),
        "subject": draw(subjects()),
        "records": recs,
        "events": events,
        "matters": draw(st.lists(st.sampled_from(MATTERS), max_size=3, unique=True)),
    }
    return rid, case


_LOADED: dict[tuple[str, str], Ruleset] = {}


def _ruleset(rid: str, as_of: str) -> Ruleset:
    """``load_ruleset(rid, as_of=...)``, loaded once per version chain in force that day."""
    day = date.fromisoformat(as_of)
    for (known, _), rs in _LOADED.items():
        chain = []
        node: Ruleset | None = rs
        while node is not None:
            chain.append(node)
            node = node.parent
        if known == rid and all(n.in_force(day) for n in chain):
            return rs
    rs = creditrules.load_ruleset(rid, as_of=as_of)
    _LOADED[(rid, rs.sha256)] = rs
    return rs


def check_case(rid: str, case: dict[str, Any]) -> None:
    try:
        rs = _ruleset(rid, case["as_of"])
        creditrules.evaluate(rs, case, backend="reference")
    except RuleConflictError as exc:
        pytest.fail(f"{rid} on {case['as_of']}: {exc}\ncase: {case}")
    except InputError:
        reject()
    except CreditRulesError as exc:
        event(f"{type(exc).__name__}")
    event(rid)


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(cases(max_records=6))
def test_generated_cases_meet_no_rule_conflict(arg: tuple[str, dict[str, Any]]) -> None:
    check_case(*arg)


@pytest.mark.slow
@settings(
    max_examples=1000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(cases(max_records=30))
def test_generated_cases_meet_no_rule_conflict_long(arg: tuple[str, dict[str, Any]]) -> None:
    check_case(*arg)
