"""A seeded corpus of realistic credit subjects, for runs over every bundled ruleset.

Each subject has 1–30 records drawn the way a city platform holds them: administrative
penalties (ordinary and summary procedure, with their penalty types), court judgment-defaulter
listings, tax, SAMR, procurement, wage-arrears and work-safety listings, positive and other
information, corrections and performance, objections and repair applications. Every case is
valid input: a list entry sits on a record of the category its list allows, with a ground of
its list's vocabulary and a term within the law's bounds; every date is on or before
``as_of``; events name records of the case. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def uscc(body16: str) -> str:
    """A 统一社会信用代码 with its two check characters (GB 32100-2015, GB 11714-1997)."""
    org = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body16[8:16], ORG_WEIGHTS, strict=True)
    )
    body = body16 + {10: "X", 11: "0"}.get(11 - org % 11, str(11 - org % 11))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_ALPHABET[-total % 31]


def resident_id(area: str, born: date, seq: int) -> str:
    """A 居民身份证号码 with its check digit (GB 11643-1999)."""
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    total = sum(int(c) * w for c, w in zip(body, RESIDENT_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


COURT_GROUNDS = (
    "able_but_refuses",
    "obstructs_enforcement",
    "evades_enforcement",
    "violates_asset_reporting",
    "violates_consumption_order",
    "breaks_settlement",
)
TAX_GROUNDS = ("evasion", "hiding_assets", "export_rebate_fraud", "false_vat_special_invoice")
PENALTY_SETS = (
    ["warning"],
    ["public_criticism"],
    ["fine_small"],
    ["fine_large"],
    ["fine_large", "confiscation"],
    ["fine_huge"],
    ["license_suspension"],
    ["license_revocation", "fine_large"],
    ["production_suspension"],
    ["business_restriction"],
    ["occupation_ban"],
    [],
)
DOMAINS = ("environment", "market", "food_safety", "transport", "construction", "tax")
MATTERS = (
    "government_procurement",
    "bidding",
    "fiscal_support",
    "award_evaluation",
    "notify_commit_approval",
    "high_consumption",
)


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def _record(rng: random.Random, i: int, as_of: date, lo: date) -> dict[str, Any]:
    kind = rng.choices(
        ["penalty", "court", "tax", "samr", "procurement", "wages", "safety", "positive", "other"],
        weights=[40, 12, 8, 6, 5, 8, 4, 10, 7],
    )[0]
    determined = _day(rng, lo, as_of)
    rec: dict[str, Any] = {"id": f"r{i}", "determined_on": determined.isoformat()}
    after = lambda p: _maybe(rng, p, _day(rng, determined, as_of).isoformat())  # noqa: E731
    if kind == "positive":
        rec.update(category="positive", domain="award", behavior="award.city_honour")
        if rng.random() < 0.3:
            rec["list"] = {"id": "redlist", "listed_on": determined.isoformat()}
        return rec
    if kind == "other":
        rec.update(category="other", domain=rng.choice(DOMAINS))
        return rec
    rec["category"] = "negative"
    rec["severity"] = rng.choice(["minor", "general", "serious", None, None])
    rec["corrected_on"] = after(0.35)
    rec["obligations_performed_on"] = after(0.3)
    rec["published_on"] = after(0.7) if kind != "court" else None
    listed = _day(rng, determined, min(as_of, determined + timedelta(days=30))).isoformat()
    if kind == "penalty":
        rec.update(
            domain=rng.choice(DOMAINS),
            basis={
                "type": "admin_penalty",
                "number": f"通罚〔{determined.year}〕{i + 1}号",
                "issued_on": determined.isoformat(),
                "procedure": rng.choice(["ordinary", "ordinary", "ordinary", "simple"]),
                "penalties": rng.choice(PENALTY_SETS),
            },
        )
        if rng.random() < 0.15:
            rec["list"] = {"id": rng.choice(["blacklist", "key_attention"]), "listed_on": listed}
        return rec
    if kind == "court":
        ground = rng.choice(COURT_GROUNDS)
        term = None
        if ground != "able_but_refuses" and rng.random() < 0.3:
            term = rng.choice(["P3Y", "P4Y", "P5Y"])
        rec.update(
            domain="court",
            behavior="court.dishonest_debtor",
            basis={"type": "court_judgment", "number": f"（{determined.year}）苏06执{i + 1}号"},
            list={
                "id": "court.dishonest_debtor",
                "listed_on": listed,
                "ground": ground,
                "term": term,
            },
        )
        return rec
    if kind == "tax":
        rec.update(
            domain="tax",
            behavior="tax.major_violation",
            basis={
                "type": "admin_penalty",
                "procedure": "ordinary",
                "penalties": ["fine_large"],
                "issued_on": determined.isoformat(),
            },
            list={
                "id": "tax.major_violation",
                "listed_on": listed,
                "ground": rng.choice(TAX_GROUNDS),
            },
        )
        return rec
    penalties = {
        "samr": ["fine_large", "business_restriction"],
        "procurement": ["fine_large"],
        "wages": [],
        "safety": ["fine_huge"],
    }[kind]
    list_id = {
        "samr": "samr.serious_violation",
        "procurement": "procurement.ban",
        "wages": "wages.arrears",
        "safety": "safety.serious",
    }[kind]
    entry: dict[str, Any] = {"id": list_id, "listed_on": listed}
    if kind == "procurement":
        entry["term"] = rng.choice(["P1Y", "P2Y", "P3Y"])
    rec.update(
        domain={
            "samr": "market",
            "procurement": "procurement",
            "wages": "wages",
            "safety": "safety",
        }[kind],
        basis={
            "type": "admin_decision" if kind == "wages" else "admin_penalty",
            "procedure": "ordinary",
            "penalties": penalties,
            "issued_on": determined.isoformat(),
        },
        list=entry,
    )
    return rec


def case(rng: random.Random, *, as_of: date, lo: date) -> dict[str, Any]:
    """One subject with 1–30 records and their events, valid on ``as_of``."""
    person = rng.random() < 0.2
    if person:
        born = _day(rng, date(1950, 1, 1), date(2000, 12, 31))
        subject: dict[str, Any] = {
            "id": resident_id("320602", born, rng.randint(1, 999)),
            "type": "natural_person",
        }
    else:
        body = "9132" + "0600" + "".join(rng.choice("0123456789") for _ in range(8))
        subject = {
            "id": uscc(body),
            "type": rng.choice(
                ["legal_person", "legal_person", "unincorporated_org", "individual_business"]
            ),
            "representatives": [
                {
                    "id": resident_id("320602", date(1975, 5, 5), rng.randint(1, 999)),
                    "role": "legal_representative",
                }
            ],
        }
    records = [_record(rng, i, as_of, lo) for i in range(rng.randint(1, 30))]
    events: list[dict[str, Any]] = []
    for r in records:
        if r["category"] != "negative":
            continue
        start = date.fromisoformat(r["determined_on"])
        if rng.random() < 0.15:
            events.append(
                {
                    "type": "objection_filed",
                    "record": r["id"],
                    "on": _day(rng, start, as_of).isoformat(),
                }
            )
        if r.get("corrected_on") and rng.random() < 0.5:
            on = _day(rng, date.fromisoformat(r["corrected_on"]), as_of).isoformat()
            events.append(
                {
                    "type": "repair_applied",
                    "record": r["id"],
                    "on": on,
                    "pledge": rng.random() < 0.8,
                }
            )
            if rng.random() < 0.3:
                events.append({"type": "repair_accepted", "record": r["id"], "on": on})
        if (
            r.get("obligations_performed_on")
            and r.get("list", {}).get("id") == "court.dishonest_debtor"
        ):
            events.append(
                {
                    "type": "obligation_performed",
                    "record": r["id"],
                    "on": r["obligations_performed_on"],
                }
            )
    return {
        "as_of": as_of.isoformat(),
        "subject": subject,
        "records": records,
        "events": events,
        "matters": rng.sample(MATTERS, rng.randint(0, len(MATTERS))),
    }


def corpus(seed: int, n: int, *, lo: date, hi: date) -> list[dict[str, Any]]:
    """``n`` cases with ``as_of`` between ``lo`` and ``hi`` (records from five years before)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        as_of = _day(rng, lo, hi)
        out.append(
            case(rng, as_of=as_of, lo=max(date(2015, 1, 1), as_of - timedelta(days=5 * 365)))
        )
    return out
