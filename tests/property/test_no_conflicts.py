"""Generated subjects of every bundled ruleset are decided: no RuleConflictError.

A seeded corpus of realistic subjects (1–30 records each: penalties, court, tax, SAMR,
procurement, wage-arrears and safety listings, corrections, objections, repair applications;
tests/property/subject_corpus.py) is evaluated under every bundled ruleset on dates it is in force.
Where two rules of different instruments decide one value, the hierarchy of law, deference,
special-over-general and declared precedence must settle it; a conflict left for a caller to
meet is a defect of the rule base. The reference backend is used: conflicts are found when
claims are resolved, the same for both engines (their agreement is tested elsewhere).

The default run evaluates a small corpus; the slow run (``pytest -m slow``) 2,000 subjects
per ruleset (``CREDITRULES_CORPUS_SUBJECTS`` to change it).
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from subject_corpus import corpus

import creditrules
from creditrules.errors import RuleConflictError
from creditrules.loader import Ruleset, bundled_root, discover

SLOW_SUBJECTS = int(os.environ.get("CREDITRULES_CORPUS_SUBJECTS", "2000"))
QUICK_SUBJECTS = 12
LAST_DAY = date(2026, 12, 31)

BUNDLED = sorted({e.id for e in discover([bundled_root()])})


def first_day(rid: str) -> date:
    return min(e.manifest.effective_from for e in discover([bundled_root()]) if e.id == rid)


def _chain(rs: Ruleset | None) -> list[Ruleset]:
    out = []
    while rs is not None:
        out.append(rs)
        rs = rs.parent
    return out


class Loaded:
    """Rulesets loaded once per version chain in force (a load takes about 0.1 s)."""

    def __init__(self, rid: str) -> None:
        self.rid = rid
        self.loaded: list[Ruleset] = []

    def on(self, day: date) -> Ruleset:
        for rs in self.loaded:
            if all(node.in_force(day) for node in _chain(rs)):
                return rs
        rs = creditrules.load_ruleset(self.rid, as_of=day.isoformat())
        self.loaded.append(rs)
        return rs


def conflicts(rid: str, n: int, seed: int) -> tuple[int, int, list[str]]:
    loaded = Loaded(rid)
    found: list[str] = []
    records = 0
    cases = corpus(seed, n, lo=max(first_day(rid), date(2016, 1, 1)), hi=LAST_DAY)
    for case in cases:
        records += len(case["records"])
        rs = loaded.on(date.fromisoformat(case["as_of"]))
        try:
            creditrules.evaluate(rs, case, backend="reference")
        except RuleConflictError as exc:
            found.append(f"{case['as_of']}: {exc}")
    return len(cases), records, found


def test_the_corpus_is_realistic_and_valid() -> None:
    cases = corpus(1, 30, lo=date(2022, 1, 1), hi=LAST_DAY)
    sizes = [len(c["records"]) for c in cases]
    assert min(sizes) >= 1 and max(sizes) <= 30
    lists = {r["list"]["id"] for c in cases for r in c["records"] if r.get("list")}
    assert {"court.dishonest_debtor", "tax.major_violation", "wages.arrears"} <= lists
    assert corpus(1, 3, lo=date(2022, 1, 1), hi=LAST_DAY) == cases[:3]  # seeded


@pytest.mark.parametrize("rid", BUNDLED)
def test_generated_subjects_meet_no_conflict_quick(rid: str) -> None:
    n, _, found = conflicts(rid, QUICK_SUBJECTS, seed=20261204)
    assert n == QUICK_SUBJECTS
    assert not found, f"{len(found)} of {n} subjects undecidable under {rid}: {found[:3]}"


@pytest.mark.slow
@pytest.mark.parametrize("rid", BUNDLED)
def test_generated_subjects_meet_no_conflict(rid: str) -> None:
    n, records, found = conflicts(rid, SLOW_SUBJECTS, seed=7)
    assert n >= 2000 or SLOW_SUBJECTS < 2000
    assert not found, (
        f"{len(found)} of {n} subjects ({records} records) undecidable under {rid}: {found[:3]}"
    )
