"""Seeded generator of realistic credit subjects, for benchmarks, batch tests and soak runs.

``subjects(seed=7, n=1000, ruleset="cn.js.nantong")`` yields valid inputs (CONTRACT.md
"Input") with the record mix the bundled rulesets decide on: administrative penalties by
procedure and penalty (so by severity under 令36号 第八至十条, or with severity given),
court, tax, SAMR, procurement, wage-arrears and work-safety list entries with their grounds,
generic blacklist, key-attention and red-list entries, corrections, payments, objections
and repair applications. Subjects are legal and natural persons (and the other subject
types, less often) with valid identifiers and 1–30 records each. Dates spread over ten
years, with a share falling on the edges that break date code: statutory holidays, 调休
make-up working days, the last day of a month and 29 February.

The same seed gives the same subjects on every machine and Python version (only
``random.Random`` with integer seeds, no hash order). Nothing here reads a clock.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

from creditrules.identifiers import (
    _org_code_check_char,
    _resident_check_char,
    _uscc_check_char,
)
from creditrules.loader import bundled_root, discover

__all__ = ["DEFAULT_WINDOW", "Profile", "profile", "subject", "subjects"]

#: The ten years generated when no ruleset narrows them (chinesecalendar knows holidays
#: to the end of 2026, so deadlines computed from these dates have a calendar).
DEFAULT_WINDOW = (date(2016, 12, 1), date(2026, 11, 30))

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Administrative division codes (GB/T 2260) of the cities the bundled rulesets serve.
_AREAS = {
    "cn.js.nantong": ("320602", "320611", "320612", "320623", "320681", "320682", "320685"),
    "cn.gx.wuzhou": ("450403", "450405", "450406", "450421", "450481"),
    "cn.hb.huangshi": ("420202", "420203", "420204", "420205", "420222", "420281"),
}
_ALL_AREAS = tuple(a for areas in _AREAS.values() for a in areas)

_ORG_TYPES = ("legal_person",) * 10 + (
    "individual_business",
    "individual_business",
    "unincorporated_org",
    "government_body",
)
_PERSON_TYPES = ("natural_person",) * 8 + ("civil_servant",)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
_TRADES = ("贸易", "建设工程", "食品", "物流", "化工", "纺织", "科技", "餐饮", "劳务", "机械")

#: (domain, behavior) of administrative penalties, as the rulesets' conditions read them.
_PENALTY_DOMAINS = (
    ("tax", "tax.late_filing"),
    ("tax", "tax.invoice_violation"),
    ("market", "market.false_advertising"),
    ("market", "market.unlicensed_operation"),
    ("food", "food.safety_violation"),
    ("environment", "pollution"),
    ("safety", "safety.violation"),
    ("transport", "transport.overload"),
    ("construction", "construction.quality"),
    ("wages", "wages.late_payment"),
)
#: Penalty sets by weight of the sanction: the classification reads them (令36号 第八至十条).
_LIGHT = (("warning",), ("fine_small",), ("public_criticism",), ("warning", "fine_small"))
_MEDIUM = (("fine_large",), ("fine_large", "confiscation"), ("confiscation",), ("fine_small",))
_HEAVY = (
    ("fine_huge",),
    ("license_suspension", "fine_large"),
    ("license_revocation",),
    ("production_suspension", "fine_large"),
    ("closure",),
    ("qualification_downgrade",),
    ("business_restriction", "fine_huge"),
)
_COURT_GROUNDS = (
    "able_but_refuses",
    "obstructs_enforcement",
    "evades_enforcement",
    "violates_asset_reporting",
    "violates_consumption_order",
    "breaks_settlement",
)
_TAX_GROUNDS = (
    "evasion",
    "hiding_assets",
    "export_rebate_fraud",
    "violent_refusal",
    "false_vat_special_invoice",
    "false_ordinary_invoice",
    "illegal_invoice_printing",
    "absconding",
    "facilitating",
    "agent_facilitating",
    "other_serious",
)
_MATTERS = (
    "government_procurement",
    "bidding",
    "fiscal_support",
    "award_evaluation",
    "notify_commit_approval",
    "high_consumption",
)

# Kinds of record and how often each comes up (per thousand records, roughly).
_KINDS: tuple[tuple[str, int], ...] = (
    ("penalty", 430),
    ("court_list", 60),
    ("court_judgment", 50),
    ("tax_list", 40),
    ("samr_list", 30),
    ("procurement_ban", 20),
    ("wages_list", 25),
    ("safety_list", 20),
    ("blacklist", 25),
    ("key_attention", 30),
    ("commitment_breach", 30),
    ("positive", 90),
    ("redlist", 30),
    ("basic", 90),
    ("other", 30),
)
_KIND_NAMES = tuple(k for k, _ in _KINDS)
_KIND_WEIGHTS = tuple(w for _, w in _KINDS)


class Profile:
    """What a ruleset id means for generated subjects: the dates its versions are in force
    (clipped to the ten-year window) and the areas whose identifiers its subjects carry."""

    def __init__(self, window: tuple[date, date], areas: tuple[str, ...]) -> None:
        if window[0] > window[1]:
            raise ValueError(f"empty date window {window[0]} – {window[1]}")
        self.window = window
        self.areas = areas


def profile(ruleset: str | None = None, roots: list[Path] | None = None) -> Profile:
    """The profile of a bundled (or given) ruleset id; every area over ten years for None.

    Raises ``ValueError`` for an id no ruleset has, or one whose versions are in force on
    no day of the ten-year window.
    """
    if ruleset is None:
        return Profile(DEFAULT_WINDOW, _ALL_AREAS)
    rid = ruleset.split("@", 1)[0]
    entries = [e for e in discover(roots or [bundled_root()]) if e.id == rid]
    if not entries:
        raise ValueError(f"no ruleset has the id '{rid}'")
    if "@" in ruleset:
        version = ruleset.split("@", 1)[1]
        entries = [e for e in entries if e.version == version]
        if not entries:
            raise ValueError(f"ruleset '{rid}' has no version '{version}'")
    lo = max(DEFAULT_WINDOW[0], min(e.manifest.effective_from for e in entries))
    ends = [e.manifest.effective_to for e in entries]
    hi_open = DEFAULT_WINDOW[1]
    hi = hi_open if None in ends else min(hi_open, max(e for e in ends if e) - timedelta(days=1))
    if lo > hi:
        raise ValueError(f"ruleset '{ruleset}' is in force on no day from {lo} to {hi}")
    areas = next((a for k, a in _AREAS.items() if rid == k or rid.startswith(k + ".")), _ALL_AREAS)
    return Profile((lo, hi), areas)


# ------------------------------------------------------------------ dates


def _edge_days(lo: date, hi: date) -> list[date]:
    """Holidays, 调休 make-up working days, month ends and 29 February in [lo, hi]."""
    days = {d for d in chinese_calendar.holidays if lo <= d <= hi}
    days |= {d for d in chinese_calendar.workdays if lo <= d <= hi}
    d = date(lo.year, lo.month, 1)
    while d <= hi:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        end = nxt - timedelta(days=1)
        if lo <= end <= hi:
            days.add(end)
        d = nxt
    return sorted(days)


class _Dates:
    def __init__(self, rng: random.Random, window: tuple[date, date]) -> None:
        self.rng = rng
        self.lo, self.hi = window
        self.edges = _edge_days(DEFAULT_WINDOW[0] - timedelta(days=3660), DEFAULT_WINDOW[1])

    def between(self, lo: date, hi: date, edge: float = 0.2) -> date:
        """A day in [lo, hi]; with probability ``edge`` one of the edge days there."""
        if hi <= lo:
            return lo
        if self.rng.random() < edge:
            i = _bisect(self.edges, lo)
            j = _bisect(self.edges, hi + timedelta(days=1))
            if j > i:
                return self.edges[self.rng.randrange(i, j)]
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def after(self, d: date, as_of: date, max_days: int, edge: float = 0.2) -> date:
        return self.between(d, min(as_of, d + timedelta(days=max_days)), edge)


def _bisect(days: list[date], d: date) -> int:
    lo, hi = 0, len(days)
    while lo < hi:
        mid = (lo + hi) // 2
        if days[mid] < d:
            lo = mid + 1
        else:
            hi = mid
    return lo


# ------------------------------------------------------------------ identifiers


def _uscc(rng: random.Random, area: str) -> str:
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org_body = "".join(c if c in _USCC_ALPHABET else "0" for c in org)
    code16 = "91" + area + org_body
    body = code16 + _org_code_check_char(org_body)
    return body + _uscc_check_char(body)


def _resident_id(rng: random.Random, area: str, born: date) -> str:
    body = f"{area}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + _resident_check_char(body)


def _person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


# ------------------------------------------------------------------ records


def _penalty_basis(rng: random.Random, d: date, penalties: tuple[str, ...]) -> dict[str, Any]:
    simple = penalties in (("warning",), ("fine_small",)) and rng.random() < 0.5
    return {
        "type": "admin_penalty",
        "number": f"罚字〔{d.year}〕{rng.randint(1, 999)}号",
        "issued_on": d.isoformat(),
        "procedure": "simple" if simple else "ordinary",
        "penalties": list(penalties),
    }


def _record(
    rng: random.Random, dates: _Dates, i: int, kind: str, as_of: date, person: bool
) -> dict[str, Any]:
    determined = dates.between(dates.lo - timedelta(days=5 * 365), as_of)
    rec: dict[str, Any] = {"id": f"r{i + 1}", "determined_on": determined.isoformat()}

    def published() -> str:
        return dates.after(determined, as_of, 7, edge=0.1).isoformat()

    def listed(ground: str | None = None, term: str | None = None) -> dict[str, Any]:
        return {
            "listed_on": dates.after(determined, as_of, 30).isoformat(),
            "term": term,
            "ground": ground,
        }

    if kind == "penalty":
        domain, behavior = rng.choice(_PENALTY_DOMAINS)
        weight = rng.choices((_LIGHT, _MEDIUM, _HEAVY), (5, 3, 2))[0]
        penalties = rng.choice(weight)
        rec |= {
            "category": "negative",
            "domain": domain,
            "behavior": behavior,
            "basis": _penalty_basis(rng, determined, penalties),
            "published_on": published(),
        }
        if rng.random() < 0.6:  # otherwise the ruleset classifies it from the penalties
            rec["severity"] = (
                "minor" if weight is _LIGHT else "general" if weight is _MEDIUM else "serious"
            )
        if rng.random() < 0.35:
            rec["corrected_on"] = dates.after(determined, as_of, 400).isoformat()
        if rng.random() < 0.4:
            rec["obligations_performed_on"] = dates.after(determined, as_of, 200).isoformat()
        if rng.random() < 0.3:
            rec["disclosure"] = rng.choice(("public", "public", "government_shared"))
        if rng.random() < 0.7:  # the findings repair rules ask about (通政办发〔2015〕184号)
            rec["intentional"] = rng.random() < 0.2
            rec["first_time"] = rng.random() < 0.7
    elif kind in ("court_list", "court_judgment"):
        rec |= {
            "category": "negative",
            "domain": "court",
            "behavior": "court.dishonest_debtor" if kind == "court_list" else "court.judgment",
            "basis": {
                "type": "court_judgment",
                "number": f"（{determined.year}）苏06执{rng.randint(1, 9999)}号",
                "issued_on": determined.isoformat(),
            },
            "published_on": published(),
        }
        if kind == "court_list":
            rec["severity"] = "serious"
            ground = rng.choice(_COURT_GROUNDS)
            rec["list"] = {"id": "court.dishonest_debtor"} | listed(ground)
        else:
            rec["severity"] = rng.choice(("general", "serious"))
        if rng.random() < 0.3:
            rec["obligations_performed_on"] = dates.after(determined, as_of, 500).isoformat()
    elif kind == "tax_list":
        rec |= {
            "category": "negative",
            "domain": "tax",
            "behavior": "tax.major_violation",
            "severity": "serious",
            "basis": _penalty_basis(rng, determined, rng.choice(_HEAVY[:2] + _MEDIUM[:2])),
            "published_on": published(),
            "list": {"id": "tax.major_violation"} | listed(rng.choice(_TAX_GROUNDS)),
        }
        if rng.random() < 0.3:
            rec["obligations_performed_on"] = dates.after(determined, as_of, 300).isoformat()
    elif kind in ("samr_list", "procurement_ban", "wages_list", "safety_list"):
        list_id, domain, behavior = {
            "samr_list": ("samr.serious_violation", "market", "market.serious_violation"),
            "procurement_ban": ("procurement.ban", "procurement", "procurement.violation"),
            "wages_list": ("wages.arrears", "wages", "wages.arrears"),
            "safety_list": ("safety.serious", "safety", "safety.serious_violation"),
        }[kind]
        rec |= {
            "category": "negative",
            "domain": domain,
            "behavior": behavior,
            "severity": "serious",
            "basis": _penalty_basis(rng, determined, rng.choice(_HEAVY)),
            "published_on": published(),
            "list": {"id": list_id} | listed(),
        }
        if rng.random() < 0.3:
            rec["corrected_on"] = dates.after(determined, as_of, 400).isoformat()
    elif kind == "blacklist":
        domain, behavior = rng.choice(_PENALTY_DOMAINS)
        rec |= {
            "category": "negative",
            "domain": domain,
            "behavior": behavior,
            "severity": "serious",
            "basis": _penalty_basis(rng, determined, rng.choice(_HEAVY)),
            "published_on": published(),
            "list": {"id": "blacklist"} | listed(),
        }
    elif kind == "key_attention":
        domain, behavior = rng.choice(_PENALTY_DOMAINS)
        rec |= {
            "category": rng.choice(("negative", "other")),
            "domain": domain,
            "behavior": behavior,
            "list": {"id": "key_attention"} | listed(),
        }
        if rec["category"] == "negative":
            rec["severity"] = "general"
            rec["basis"] = _penalty_basis(rng, determined, rng.choice(_MEDIUM))
    elif kind == "commitment_breach":
        rec |= {
            "category": "negative",
            "domain": rng.choice(("market", "tax", "construction")),
            "behavior": "commitment.breach",
            "severity": rng.choice(("general", "serious")),
            "basis": {"type": "commitment_breach", "issued_on": determined.isoformat()},
            "published_on": published(),
        }
    elif kind in ("positive", "redlist"):
        rec |= {"category": "positive", "domain": rng.choice(("tax", "market", "environment"))}
        rec["behavior"] = rec["domain"] + ".honour"
        if kind == "redlist":
            rec["list"] = {"id": "redlist"} | listed()
    elif kind == "basic":
        rec |= {"category": "basic", "domain": "registration"}
    else:
        rec |= {"category": "other", "domain": rng.choice(("market", "construction"))}
    if person and rec.get("domain") in ("procurement",):
        rec["domain"] = "market"
    return rec


def _events(
    rng: random.Random, dates: _Dates, records: list[dict[str, Any]], as_of: date
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for rec in records:
        if rec["category"] != "negative":
            continue
        start = date.fromisoformat(rec.get("published_on") or rec["determined_on"])
        roll = rng.random()
        if roll < 0.10:  # an objection, perhaps answered
            filed = dates.after(start, as_of, 400)
            events.append({"type": "objection_filed", "record": rec["id"], "on": filed.isoformat()})
            if rng.random() < 0.5:
                events.append(
                    {
                        "type": rng.choice(("objection_forwarded", "objection_rejected")),
                        "record": rec["id"],
                        "on": dates.after(filed, as_of, 10).isoformat(),
                    }
                )
            elif rng.random() < 0.2:
                events.append(
                    {
                        "type": "objection_upheld",
                        "record": rec["id"],
                        "on": dates.after(filed, as_of, 20).isoformat(),
                    }
                )
        elif roll < 0.30:  # a repair application, perhaps accepted and granted
            applied = dates.after(start, as_of, 1200)
            events.append(
                {
                    "type": "repair_applied",
                    "record": rec["id"],
                    "on": applied.isoformat(),
                    "pledge": rng.random() < 0.85,
                }
            )
            if rng.random() < 0.5:
                accepted = dates.after(applied, as_of, 5)
                events.append(
                    {"type": "repair_accepted", "record": rec["id"], "on": accepted.isoformat()}
                )
                if rng.random() < 0.5:
                    events.append(
                        {
                            "type": "repair_granted",
                            "record": rec["id"],
                            "on": dates.after(accepted, as_of, 20).isoformat(),
                        }
                    )
        elif roll < 0.33 and rec.get("list"):
            events.append(
                {"type": "list_decided", "record": rec["id"], "on": rec["list"]["listed_on"]}
            )
    return events


def subject(
    rng: random.Random, prof: Profile | None = None, n_records: int | None = None
) -> dict[str, Any]:
    """One subject's case (CONTRACT.md Input) drawn from ``rng``."""
    prof = prof or profile()
    dates = _Dates(rng, prof.window)
    as_of = dates.between(prof.window[0], prof.window[1], edge=0.15)
    area = rng.choice(prof.areas)
    person = rng.random() < 0.3
    if person:
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        subj: dict[str, Any] = {
            "id": _resident_id(rng, area, born),
            "type": rng.choice(_PERSON_TYPES),
            "name": _person_name(rng),
            "birth_date": born.isoformat(),
        }
    else:
        typ = rng.choice(_ORG_TYPES)
        subj = {
            "id": _uscc(rng, area),
            "type": typ,
            "name": f"某某{rng.choice(_TRADES)}有限公司" if typ == "legal_person" else "某某经营部",
        }
        if typ in ("legal_person", "unincorporated_org"):
            reps = [
                {
                    "id": _resident_id(
                        rng,
                        rng.choice(prof.areas),
                        date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 40)),
                    ),
                    "role": "legal_representative",
                    "name": _person_name(rng),
                }
            ]
            if rng.random() < 0.3:
                reps.append(
                    {
                        "id": _resident_id(
                            rng,
                            rng.choice(prof.areas),
                            date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 40)),
                        ),
                        "role": rng.choice(
                            ("principal", "directly_responsible", "actual_controller")
                        ),
                    }
                )
            subj["representatives"] = reps
    n = n_records if n_records is not None else min(30, 1 + int(rng.expovariate(1 / 4.0)))
    kinds = rng.choices(_KIND_NAMES, _KIND_WEIGHTS, k=n)
    records = [_record(rng, dates, i, k, as_of, person) for i, k in enumerate(kinds)]
    return {
        "as_of": as_of.isoformat(),
        "subject": subj,
        "records": records,
        "events": _events(rng, dates, records, as_of),
        "matters": sorted(rng.sample(_MATTERS, rng.choice((0, 1, 1, 2, 3)))),
    }


def subjects(
    *,
    seed: int,
    n: int,
    ruleset: str | None = None,
    roots: list[Path] | None = None,
    n_records: int | None = None,
) -> Iterator[dict[str, Any]]:
    """``n`` cases from ``seed``; ``ruleset`` narrows dates and areas to where it applies.

    ``n_records`` fixes every subject's record count (1–30 drawn otherwise).
    """
    prof = profile(ruleset, roots)
    rng = random.Random(seed)
    for _ in range(n):
        yield subject(rng, prof, n_records)
