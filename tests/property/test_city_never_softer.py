"""A city layer never softens national law (hypothesis, generated cases).

For every bundled city ruleset that builds on cn.national, every conclusion the national
layer reaches on a case is the same or stricter when the same case is evaluated under the
city layer: a national list entry in force stays in force at least as long; a class the
national rules give is not lowered; a minimum or maximum publication period the national
rules set is not shortened; a national measure still applies, at least as long; a matter
answer is not softened (deny > restrict > allow > priority). The hierarchy of law
(model/ranks.yaml) is what makes this hold.

One reading is applied: a record the city refuses as no breach-of-trust information of its
catalogue (通政发〔2018〕25号 第十二条（九）: only penalties of the ordinary procedure) where the
national finding rule is a default (国办发〔2020〕49号 lists what 可认定 a breach; the catalogue
decides what is collected) gets no class or publication period in the city; its list entries,
measures and the matters are still compared.
"""

from __future__ import annotations

import os
import random
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from subject_corpus import case as make_case

import creditrules
from creditrules.loader import bundled_root, discover
from creditrules.model.vocab import ORDER_OF_OUTCOMES

SEVERITY = {"minor": 0, "general": 1, "serious": 2}
OUTCOME = {o: i for i, o in enumerate(ORDER_OF_OUTCOMES)}
LAST_DAY = date(2026, 12, 31)


def city_layers() -> list[tuple[str, date]]:
    """Each city version that extends cn.national, with the first day it is in force (every
    such day has a national layer: cn.national@2003 from 2003-01-01, the sector lists)."""
    out = []
    entries = discover([bundled_root()])
    national = min(e.manifest.effective_from for e in entries if e.id == "cn.national")
    for e in entries:
        if e.manifest.extends and e.manifest.extends.split("@")[0] == "cn.national":
            out.append((f"{e.id}@{e.version}", max(e.manifest.effective_from, national)))
    return sorted(out)


CITIES = city_layers()
_LOADED: dict[tuple[str, str], Any] = {}


def load(ref: str, as_of: str) -> Any:
    rs = creditrules.load_ruleset(ref, as_of=as_of)
    return _LOADED.setdefault((ref, rs.sha256), rs)


def _later_or_equal(city: str | None, national: str | None) -> bool:
    """An end date at least as late (None: no end)."""
    if city is None:
        return True
    return national is not None and city >= national


def softenings(national: Any, city: Any) -> list[str]:
    out: list[str] = []
    crecs = {r.id: r for r in city.records}
    for n in national.records:
        c = crecs[n.id]
        if c.status == "refused" and n.status != "refused":
            continue
        if n.severity and (c.severity is None or SEVERITY[c.severity] < SEVERITY[n.severity]):
            out.append(f"record {n.id}: class {n.severity} lowered to {c.severity}")
        for what in ("min_until", "max_until"):
            nv, cv = getattr(n.publication, what), getattr(c.publication, what)
            if nv is not None and cv is not None and cv < nv:
                out.append(f"record {n.id}: publication {what} {nv} shortened to {cv}")
    for e in national.lists:
        if not e.active:
            continue
        same = [x for x in city.lists if x.list == e.list and x.because == e.because]
        if not any(x.active and _later_or_equal(x.until, e.until) for x in same):
            shown = [(x.active, x.until) for x in same]
            out.append(f"list {e.list} of {e.because} in force to {e.until}; city: {shown}")
    for m in national.measures:
        same = [
            x for x in city.measures if (x.id, x.target, x.person) == (m.id, m.target, m.person)
        ]
        if not any(_later_or_equal(x.until, m.until) for x in same):
            out.append(f"measure {m.id} until {m.until}; city: {[x.until for x in same]}")
    cmat = {m.matter: m for m in city.matters}
    for m in national.matters:
        c = cmat.get(m.matter)
        if m.outcome is None:
            continue
        if c is None or c.outcome is None or OUTCOME[c.outcome] < OUTCOME[m.outcome]:
            out.append(f"matter {m.matter}: {m.outcome} softened to {c.outcome if c else None}")
    return out


def check(ref: str, first: date, seed: int, day: int) -> None:
    span = (LAST_DAY - first).days
    as_of = date.fromordinal(first.toordinal() + day % (span + 1))
    rng = random.Random(seed)
    # Records from five years back, not before 2016, and never after the evaluation date.
    lo = min(as_of, max(date(2016, 1, 1), date(as_of.year - 5, 1, 1)))
    case = make_case(rng, as_of=as_of, lo=lo)
    case["matters"] = sorted(OUTCOME_MATTERS)
    national = creditrules.evaluate(load("cn.national", case["as_of"]), case, backend="reference")
    city = creditrules.evaluate(load(ref, case["as_of"]), case, backend="reference")
    found = softenings(national, city)
    assert not found, f"{ref} softens national law on {case}: {found}"


OUTCOME_MATTERS = ("government_procurement", "bidding", "fiscal_support", "high_consumption")
QUICK = 8
#: A case is drawn from a seed: shrinking the seed finds nothing smaller, so it is skipped.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate)
SLOW = int(os.environ.get("CREDITRULES_SOFTER_EXAMPLES", "300"))


def test_the_city_layers_are_found() -> None:
    assert [r for r, _ in CITIES] == ["cn.gx.wuzhou@2022", "cn.js.nantong@2021"] or len(CITIES) > 2


@pytest.mark.parametrize(("ref", "first"), CITIES)
@settings(
    max_examples=QUICK, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow]
)
@given(seed=st.integers(0, 2**32 - 1), day=st.integers(0, 10_000))
def test_city_never_softens_national_law_quick(ref: str, first: date, seed: int, day: int) -> None:
    check(ref, first, seed, day)


@pytest.mark.slow
@pytest.mark.parametrize(("ref", "first"), CITIES)
@settings(
    max_examples=SLOW, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow]
)
@given(seed=st.integers(0, 2**32 - 1), day=st.integers(0, 10_000))
def test_city_never_softens_national_law(ref: str, first: date, seed: int, day: int) -> None:
    check(ref, first, seed, day)


def test_softening_is_seen() -> None:
    """The comparison itself can fail: a shortened list and a softened matter are reported."""
    case = {
        "as_of": "2025-11-20",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [
            {
                "id": "d1",
                "category": "negative",
                "basis": {"type": "court_judgment"},
                "determined_on": "2025-03-10",
                "list": {
                    "id": "court.dishonest_debtor",
                    "listed_on": "2025-03-10",
                    "ground": "able_but_refuses",
                },
            }
        ],
        "matters": ["high_consumption"],
    }
    national = creditrules.evaluate(load("cn.national", case["as_of"]), case, backend="reference")
    later = dict(case, as_of="2026-12-01")
    softer = creditrules.evaluate(
        load("cn.national", later["as_of"]), dict(later, records=[]), backend="reference"
    )
    found = softenings(national, softer.model_copy(update={"records": national.records}))
    assert any(f.startswith("list court.dishonest_debtor") for f in found)
    assert any(f.startswith("matter high_consumption") for f in found)
