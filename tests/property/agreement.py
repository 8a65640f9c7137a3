"""Generated cases over every bundled ruleset, and what every one of them must satisfy.

The strategies draw subjects, records, list entries, events and matters the way
``test_backends_agree`` does, for any bundled ruleset, on dates weighted towards the days
where date arithmetic goes wrong: public holidays and 调休 make-up working days, 29 February,
month ends, and the days around the switches of the law (2018-06-26, 2020-12-07,
2026-04-01 and every other first day in force of a bundled version).

``check`` evaluates one case on both backends and returns every property it breaks (an
empty list when it holds them all):

* the two backends give the same Decision, or refuse the case the same way;
* no refusal is a defect (``ContradictionError``, ``EngineError``, or an exception that is
  not one of creditrules' own);
* a record is never publishable after its maximum period;
* a record is never eligible for repair before its earliest day;
* a deadline counted in working days, or rolled to one, never falls on a non-working day;
* with ``deep``: adding an unrelated record changes no other record's answer; the same
  case evaluated again gives the same Decision; and so do its records in the reverse order
  and every mapping with its keys in the reverse order.

Used by ``test_agreement.py`` (a few thousand cases in the slow run) and by
``tools/soak.py`` (the soak run of 200,000 and more).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import chinese_calendar
from hypothesis import strategies as st

# The vocabulary of a valid case (subjects, list entries, penalties…) is the one the
# Nantong decision-level strategies already use; every bundled ruleset reads the same
# shared vocabulary (rulesets/cn/vocabulary).
from test_backends_agree import (
    BASIS_TYPES,
    BEHAVIORS,
    CATEGORIES,
    DISCLOSURES,
    DOMAINS,
    LISTS_BY_CATEGORY,
    MATTERS,
    PENALTIES,
    SEVERITIES,
    list_entries,
    subjects,
)

import creditrules
from creditrules.errors import (
    ContradictionError,
    CreditRulesError,
    EngineError,
    InputError,
    RulesetNotFoundError,
)
from creditrules.evaluate.run import calendar_for
from creditrules.loader import Ruleset, layered

LO, HI = date(2015, 12, 1), date(2026, 12, 31)

#: Every bundled ruleset id, and the first day in force of each of its versions.
RULESETS: dict[str, list[date]] = {}
for _info in creditrules.list_rulesets():
    RULESETS.setdefault(_info.id, []).append(_info.manifest.effective_from)
RULESET_IDS = tuple(sorted(RULESETS))

#: The switches of the law the issue names, and every other first day in force.
SWITCHES = sorted(
    {date(2018, 6, 26), date(2020, 12, 7), date(2026, 4, 1)}
    | {d for ds in RULESETS.values() for d in ds}
)


def _special_days() -> list[date]:
    days: set[date] = set()
    days |= {d for d in chinese_calendar.holidays if LO <= d <= HI}
    days |= {d for d in chinese_calendar.workdays if LO <= d <= HI}  # 调休 make-up days
    for y in range(LO.year, HI.year + 1):
        if _calendar.isleap(y):
            days |= {date(y, 2, 28), date(y, 2, 29), date(y, 3, 1)}
        days |= {date(y, m, _calendar.monthrange(y, m)[1]) for m in range(1, 13)}
        days |= {date(y, 12, 31), date(y, 1, 1)}
    for s in SWITCHES:
        days |= {s + timedelta(days=k) for k in range(-3, 4)}
    return sorted(d for d in days if LO <= d <= HI)


SPECIAL_DAYS = _special_days()


def since(as_of: date) -> date:
    """The first day a record or event may carry: 2014, or three years before an earlier
    evaluation date (``cn.national`` is in force from 2003)."""
    return min(date(2014, 1, 1), date(as_of.year - 3, 1, 1))


def days(lo: date, hi: date) -> st.SearchStrategy[date]:
    """A day from ``lo`` to ``hi``: half the time any day, half the time a special day (a
    holiday, a make-up working day, a leap day, a month end or a switch), give or take
    a few days."""
    if hi < lo:
        hi = lo
    near = [d for d in SPECIAL_DAYS if lo <= d <= hi]
    anyday = st.dates(lo, hi)
    if not near:
        return anyday
    special = st.tuples(st.sampled_from(near), st.integers(-2, 2)).map(
        lambda t: min(hi, max(lo, t[0] + timedelta(days=t[1])))
    )
    return st.one_of(anyday, special)


def _opt(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


@st.composite
def records(draw: st.DrawFn, i: int, as_of: date) -> dict[str, Any]:
    """One valid record whose every date is on or before ``as_of``."""
    day = days(since(as_of), as_of)
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    category = draw(st.sampled_from(CATEGORIES))
    determined = draw(day) if category == "negative" else draw(_opt(day))
    # Later dates follow the determination, as on a real platform, but not always.
    after = days(determined, as_of) if determined else day
    basis = draw(
        _opt(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(BASIS_TYPES),
                    "number": _opt(st.just("通税稽罚〔2024〕12号")),
                    "issued_on": _opt(st.one_of(st.just(determined), day).map(iso)),
                    "procedure": _opt(st.sampled_from(["ordinary", "simple"])),
                    "penalties": st.lists(st.sampled_from(PENALTIES), max_size=3, unique=True),
                }
            )
        )
    )
    lst = draw(_opt(list_entries(category, after))) if category in LISTS_BY_CATEGORY else None
    return {
        "id": f"r{i}",
        "category": category,
        "domain": draw(st.sampled_from(DOMAINS)),
        "behavior": draw(st.sampled_from(BEHAVIORS)),
        "severity": draw(_opt(st.sampled_from(SEVERITIES))),
        "basis": basis,
        "determined_on": iso(determined),
        "published_on": iso(draw(_opt(after))),
        "corrected_on": iso(draw(_opt(after))),
        "obligations_performed_on": iso(draw(_opt(after))),
        "list": lst,
        "disclosure": draw(st.sampled_from(DISCLOSURES)),
        "intentional": draw(_opt(st.booleans())),
        "first_time": draw(_opt(st.booleans())),
        "fault_tolerance": draw(_opt(st.booleans())),
        "self_remedied": draw(_opt(st.booleans())),
        "fields": draw(st.sampled_from([{}, {"amount_fen": 120000}, {"case_no": "2024-12"}])),
    }


EVENT_TYPES = (
    "objection_filed",
    "objection_forwarded",
    "objection_upheld",
    "objection_rejected",
    "repair_applied",
    "repair_accepted",
    "repair_granted",
    "list_decided",
    "obligation_performed",
    "volunteer_service",
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A bundled ruleset id and a valid case for it, mostly on a date one of its versions is
    in force (sometimes before any is, which both backends must refuse alike)."""
    rid = draw(st.sampled_from(RULESET_IDS))
    first = min(RULESETS[rid])
    # One case in twenty (about) may fall before the ruleset's first version.
    lo = first if draw(st.sampled_from((True,) * 19 + (False,))) else LO
    as_of = draw(days(lo, HI))
    recs = [draw(records(i, as_of)) for i in range(draw(st.integers(0, 4)))]
    ids = [r["id"] for r in recs]
    events = []
    for _ in range(draw(st.integers(0, 5))):
        typ = draw(st.sampled_from(EVENT_TYPES))
        ev: dict[str, Any] = {"type": typ, "on": draw(days(since(as_of), as_of)).isoformat()}
        target = draw(st.sampled_from([*ids, None])) if ids else None
        if target is not None:
            ev["record"] = target
        if typ == "repair_applied":
            ev["pledge"] = draw(_opt(st.booleans()))
        events.append(ev)
    return rid, {
        "as_of": as_of.isoformat(),
        "subject": draw(subjects()),
        "records": recs,
        "events": events,
        "matters": draw(st.lists(st.sampled_from(MATTERS), max_size=4, unique=True)),
    }


# ------------------------------------------------------------------ evaluating


_LOADED: dict[str, list[Ruleset]] = {}


def _chain(rs: Ruleset | None) -> list[Ruleset]:
    out = []
    while rs is not None:
        out.append(rs)
        rs = rs.parent
    return out


def ruleset_for(rid: str, as_of: str) -> Ruleset:
    """``load_ruleset(rid, as_of=...)``, each version loaded once (a load takes ~0.1 s)."""
    day = date.fromisoformat(as_of)
    for rs in _LOADED.setdefault(rid, []):
        if rs.in_force(day):
            return layered(rs, day)[0]
    rs = creditrules.load_ruleset(rid, as_of=as_of)
    _LOADED[rid].append(rs)
    return rs


#: Refusals that are answers (both backends must give the same); any other is a defect.
ANSWERS = (RulesetNotFoundError,)
DEFECTS = (ContradictionError, EngineError)


def outcome(rs: Ruleset | str, case: dict[str, Any], backend: str) -> tuple[str, Any]:
    """The Decision as JSON without ``engine``, or the name and message of the error."""
    try:
        d = creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
    except CreditRulesError as exc:
        return (type(exc).__name__, str(exc))
    except Exception as exc:  # noqa: BLE001 - reported as a defect: not the library's own error
        return ("unexpected " + type(exc).__name__, repr(exc))
    return ("decision", d.model_dump(mode="json", by_alias=True, exclude={"engine"}))


@dataclass
class Tally:
    """What a run saw: cases, outcomes by kind, failures by property (with a first case)."""

    cases: int = 0
    deep: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    examples: dict[str, tuple[str, dict[str, Any], str]] = field(default_factory=dict)

    def add(self, rid: str, case: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        for prop, detail in problems:
            self.failures[prop] = self.failures.get(prop, 0) + 1
            self.examples.setdefault(prop, (rid, case, detail))


def check(
    rid: str, case: dict[str, Any], *, deep: bool = True, tally: Tally | None = None
) -> list[tuple[str, str]]:
    """Every property ``case`` breaks on ruleset ``rid``, as (property, detail) pairs."""
    problems: list[tuple[str, str]] = []
    try:
        rs: Ruleset | str = ruleset_for(rid, case["as_of"])
    except RulesetNotFoundError:
        rs = rid
    durable = outcome(rs, case, "durable_rules")
    reference = outcome(rs, case, "reference")
    if tally is not None:
        tally.cases += 1
        tally.outcomes[durable[0]] = tally.outcomes.get(durable[0], 0) + 1
    if durable != reference:
        problems.append(("backends agree", f"durable_rules {durable[0]}, reference {reference[0]}"))
    if durable[0] == InputError.__name__:
        problems.append(("the strategy makes valid cases", durable[1][:300]))
        return problems
    elif durable[0] != "decision":
        if durable[0] not in {e.__name__ for e in ANSWERS} or durable[0].startswith("unexpected"):
            problems.append((f"no defect ({durable[0]})", durable[1][:300]))
        return problems
    assert isinstance(rs, Ruleset)
    d = durable[1]
    problems += decision_problems(rs, d)
    if deep:
        if tally is not None:
            tally.deep += 1
        problems += metamorphic_problems(rs, case, d)
    return problems


def decision_problems(rs: Ruleset, d: dict[str, Any]) -> list[tuple[str, str]]:
    """The properties one Decision must have on its own."""
    out: list[tuple[str, str]] = []
    as_of = d["as_of"]
    for r in d["records"]:
        mx = r["publication"]["max_until"]
        if r["publishable"] and mx is not None and as_of > mx:
            out.append(("never publishable after the maximum period", f"{r['id']}: {mx}"))
        rep = r["repair"]
        if rep["eligible"] and rep["earliest_on"] and as_of < rep["earliest_on"]:
            out.append(("never repairable before the minimum", f"{r['id']}: {rep['earliest_on']}"))
    cal, counting = calendar_for(rs)
    for dl in d["deadlines"]:
        if dl["due"] is None:
            continue
        if not (dl["working_days"] or counting.roll_to_working_day):
            continue
        if not cal.is_working_day(date.fromisoformat(dl["due"])):
            out.append(("a deadline falls on a working day", f"{dl['procedure']}: {dl['due']}"))
    return out


def _reversed_keys(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _reversed_keys(v[k]) for k in reversed(list(v))}
    if isinstance(v, list):
        return [_reversed_keys(x) for x in v]
    return v


def _comparable(d: dict[str, Any]) -> dict[str, Any]:
    """A Decision with what depends on the order of the input set aside: the stored input,
    its hash and the id made from it, the order of records and trace entries, and the
    positions in the pointers of ``masked`` and the field paths of ``warnings``."""
    skip = ("input", "input_sha256", "decision_id", "masked", "warnings")
    out = {k: v for k, v in d.items() if k not in skip}
    # Pointers and field paths name records by position: compare what they say.
    out["masked"] = sorted(p.rsplit("/", 1)[-1] for p in d["masked"])
    out["warnings"] = sorted((w["code"], w["field"].rsplit(".", 1)[-1]) for w in d["warnings"])
    out["records"] = sorted(d["records"], key=lambda r: r["id"])
    out["trace"] = sorted(d["trace"], key=lambda t: (t["rule"], t["fact"]))
    return out


def _first_difference(a: Any, b: Any, at: str = "") -> str | None:
    """The JSON Pointer of the first place ``a`` and ``b`` differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            got = _first_difference(a.get(k), b.get(k), f"{at}/{k}")
            if got is not None:
                return got
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            got = _first_difference(x, y, f"{at}/{i}")
            if got is not None:
                return got
        return None
    return None if a == b else f"{at}: {str(a)[:200]} ≠ {str(b)[:200]}"


def metamorphic_problems(
    rs: Ruleset, case: dict[str, Any], d: dict[str, Any]
) -> list[tuple[str, str]]:
    """Properties that compare ``case`` with a case made from it (reference backend)."""
    out: list[tuple[str, str]] = []
    again = outcome(rs, case, "reference")
    if again[0] != "decision":
        out.append(("evaluation is deterministic", again[0]))
    elif (diff := _first_difference(d, again[1])) is not None:
        out.append(("evaluation is deterministic", diff))
    shuffled = _reversed_keys(case)
    shuffled["records"] = list(reversed(shuffled["records"]))
    other = outcome(rs, shuffled, "reference")
    if other[0] != "decision":
        out.append(("independent of the order of records and keys", other[0]))
    elif (diff := _first_difference(_comparable(d), _comparable(other[1]))) is not None:
        out.append(("independent of the order of records and keys", diff))
    # A record of basic information, on no list and named by no event, is unrelated to
    # every other record: no rule of any ruleset relates them.
    extra = dict(case, records=[*case["records"], {"id": "unrelated", "category": "basic"}])
    more = outcome(rs, extra, "reference")
    if more[0] != "decision":
        out.append(("an unrelated record changes nothing", more[0]))
    else:
        before = {r["id"]: r for r in d["records"]}
        after = {r["id"]: r for r in more[1]["records"] if r["id"] != "unrelated"}
        changed = sorted(k for k in before if before[k] != after.get(k))
        if changed:
            out.append(("an unrelated record changes nothing", ", ".join(changed)))
    return out
