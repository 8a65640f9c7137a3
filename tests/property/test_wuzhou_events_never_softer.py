"""梧州 never softens national law where objections and repairs are answered (generated cases).

The shared corpus (subject_corpus) files objections and repair applications but no answers to
them, so test_city_never_softer cannot see what an upheld objection or a granted repair does.
Here every case of the corpus gets answers on about half of its breach-of-trust records
(objection upheld or rejected, repair granted), and ``cn.gx.wuzhou`` must keep every national
list entry, measure, class, period and matter answer that ``cn.national`` gives on the same
case: （九）第二句 withdraws only what the 细则 itself governs, never an entry of a national list
(note wz2022.reading.objection).
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
from test_city_never_softer import OUTCOME_MATTERS, load, softenings

import creditrules

FIRST = date(2022, 3, 24)
LAST = date(2026, 12, 31)
ANSWERS = ("objection_upheld", "objection_rejected", "repair_granted")
#: Seeds whose cases an upheld objection once made softer under Wuzhou (a national list ended).
KNOWN_SEEDS = (1000, 1003, 1005)
SLOW = int(os.environ.get("CREDITRULES_WUZHOU_EVENTS_EXAMPLES", "100"))


def answered_case(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    as_of = date.fromordinal(FIRST.toordinal() + rng.randint(0, (LAST - FIRST).days))
    case = make_case(rng, as_of=as_of, lo=date(max(2016, as_of.year - 5), 1, 1))
    case["matters"] = sorted(OUTCOME_MATTERS)
    for r in case["records"]:
        if r["category"] != "negative" or rng.random() >= 0.5:
            continue
        answer = rng.choice(ANSWERS)
        asked = "repair_applied" if answer == "repair_granted" else "objection_filed"
        first: dict[str, Any] = {"type": asked, "record": r["id"], "on": r["determined_on"]}
        if asked == "repair_applied":
            first["pledge"] = True
        case["events"] += [first, {"type": answer, "record": r["id"], "on": case["as_of"]}]
    return case


def check(seed: int) -> None:
    case = answered_case(seed)
    national = creditrules.evaluate(load("cn.national", case["as_of"]), case, backend="reference")
    city = creditrules.evaluate(load("cn.gx.wuzhou", case["as_of"]), case, backend="reference")
    found = softenings(national, city)
    assert not found, f"cn.gx.wuzhou softens national law on seed {seed}: {found}"


@pytest.mark.parametrize("seed", KNOWN_SEEDS)
def test_answered_objections_and_repairs_soften_nothing(seed: int) -> None:
    check(seed)


@pytest.mark.slow
@settings(
    max_examples=SLOW,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_answered_objections_and_repairs_soften_nothing_generated(seed: int) -> None:
    check(seed)
