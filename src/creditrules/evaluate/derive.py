"""Named built-in derivations: the cross-fact questions rules may not ask themselves.

durable_rules crashes on inequality self-joins, so "another record of the same type
within a year of this one's correction" or "key-attention entries in three distinct
fields" are computed here, between strata, and handed to the rules as plain fields.
Each function reads only values that are final at its stratum (see compile.ir).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from creditrules.calendar import Counting, Duration, WorkCalendar, add_duration, parse_duration
from creditrules.model.case import Case

Fact = dict[str, Any]

_ONE_YEAR: Duration = parse_duration("P1Y")
_LIVE = ("active", "under_objection")


class Context:
    """What derivations may look at: the case, the facts, and results so far."""

    def __init__(
        self,
        case: Case,
        facts: list[Fact],
        cal: WorkCalendar,
        attention_lists: frozenset[str] = frozenset(),
    ) -> None:
        self.case = case
        # Lists the ruleset's vocabulary marks `attention: true` (重点关注名单).
        self.attention_lists = attention_lists
        self.facts = facts
        self.cal = cal
        self.deadlines: list[dict[str, Any]] = []
        self.list_entries: list[dict[str, Any]] = []
        self.measure_entries: list[dict[str, Any]] = []

    def records(self) -> list[Fact]:
        return [f for f in self.facts if f["_kind"] == "record"]

    def subject(self) -> Fact:
        return next(f for f in self.facts if f["_kind"] == "subject")

    def events_of(self, record_id: str) -> list[Any]:
        return sorted((e for e in self.case.events if e.record == record_id), key=lambda e: e.on)


def record_history(ctx: Context) -> None:
    """same_type_since_correction: a record of the same behaviour determined within one year
    after this record's correction (通政发〔2018〕25号 第三十四条(二)).

    Unknown (null) where it cannot be established: the corrected record has no behaviour, or
    another negative record determined in that year has none and could be of the same type.
    Null is never "no same-type act"; the ruleset says what an unknown answer means.
    """
    recs = ctx.case.records
    for fact, rec in zip(ctx.records(), recs, strict=True):
        if rec.corrected_on is None:
            fact["same_type_since_correction"] = None
            continue
        until = add_duration(rec.corrected_on, _ONE_YEAR, ctx.cal)
        within = [
            o
            for o in recs
            if o.id != rec.id
            and o.category == "negative"
            and o.determined_on is not None
            and rec.corrected_on < o.determined_on <= until
        ]
        same = bool(rec.behavior) and any(o.behavior == rec.behavior for o in within)
        unknown = not rec.behavior or any(not o.behavior for o in within)
        fact["same_type_since_correction"] = True if same else (None if unknown else False)


def record_payment(ctx: Context) -> None:
    """paid_before_publication: obligations performed on or before the publication date
    (or, not yet published, on or before as_of) — 国家税务总局令第54号 第十四条."""
    for fact, rec in zip(ctx.records(), ctx.case.records, strict=True):
        done = rec.obligations_performed_on
        if done is None:
            fact["paid_before_publication"] = False
            continue
        published = rec.published_on or (rec.list.listed_on if rec.list else None)
        fact["paid_before_publication"] = published is None or done <= published


def record_events(ctx: Context) -> None:
    """Objection and repair state of each record, from its events in date order."""
    for fact in ctx.records():
        rid = fact["_key"].split(":", 1)[1]
        evs = ctx.events_of(rid)
        open_ = False
        upheld = False
        applied = pledged = granted = False
        for e in evs:
            if e.type == "objection_filed":
                open_, upheld = True, False
            elif e.type in ("objection_upheld", "objection_rejected"):
                open_ = False
                upheld = e.type == "objection_upheld"
            elif e.type == "repair_applied":
                applied = True
                pledged = bool(e.pledge)
            elif e.type == "repair_granted":
                granted = True
        fact["objection.open"] = open_
        fact["objection.upheld"] = upheld
        fact["repair.applied"] = applied
        fact["repair.pledged"] = pledged if applied else None
        fact["repair.granted"] = granted
        fact["volunteer_service"] = any(
            e.type == "volunteer_service" for e in ctx.case.events if e.record in (None, rid)
        )


def objection_overdue(ctx: Context) -> None:
    """objection.provider_overdue: a provider verification deadline passed with no answer."""
    as_of = ctx.case.as_of
    for fact in ctx.records():
        rid = fact["_key"].split(":", 1)[1]
        overdue = False
        if fact.get("objection.open"):
            for d in ctx.deadlines:
                if (
                    d["procedure"] == "objection.provider_verification"
                    and d["record"] == rid
                    and d["due"]
                ):
                    overdue = overdue or as_of > date.fromisoformat(d["due"])
        fact["objection.provider_overdue"] = overdue


def key_attention_window(ctx: Context) -> None:
    """during_key_attention: this record was determined while a key-attention entry of the
    subject was in force (通政发〔2018〕25号 通知 三)."""
    windows: list[tuple[str, str | None, str]] = []
    for f in ctx.records():
        if (
            f.get("list.id") in ctx.attention_lists
            and f.get("list.listed_on")
            and f.get("status") in _LIVE + ("expired", "repaired")
        ):
            # The entry's validity: its own term where the deciding body set one, never
            # beyond the record's validity (as for the list entry itself).
            ends = [f.get("validity.until")]
            if f.get("list.term"):
                start = date.fromisoformat(f["list.listed_on"])
                ends.append(
                    add_duration(start, parse_duration(f["list.term"]), ctx.cal).isoformat()
                )
            known = [e for e in ends if e]
            windows.append((f["list.listed_on"], min(known) if known else None, f["_key"]))
    for f in ctx.records():
        det = f.get("determined_on")
        if det is None:
            f["during_key_attention"] = None
            continue
        f["during_key_attention"] = any(
            k != f["_key"] and start <= det and (end is None or det <= end)
            for start, end, k in windows
        )


def record_lists(ctx: Context) -> None:
    """list.active: the list entry this record carries is in force on as_of."""
    for f in ctx.records():
        f["list.active"] = (
            any(e["active"] for e in ctx.list_entries if e["fact"] == f["_key"])
            if f.get("list.id")
            else None
        )


def subject_minor(ctx: Context) -> None:
    bd = ctx.case.subject.birth_date
    s = ctx.subject()
    minor: bool | None = None
    if bd is not None:
        # The eighteenth birthday is the first day of full age.
        eighteen = add_duration(
            bd, parse_duration("P18Y"), ctx.cal, convention=Counting(start_day="included")
        )
        minor = ctx.case.as_of <= eighteen
    s["is_minor"] = minor
    for f in ctx.records():
        f["subject.is_minor"] = minor
        # 最高法 失信名单规定 第四条 is judged on the day of the listing: a person listed as a
        # minor stays unlawfully listed after coming of age. Without a listing date, a minor
        # today was a minor at any earlier listing; otherwise it is not known.
        listed = f.get("list.listed_on")
        if bd is None:
            f["subject.minor_on_listing"] = None
        elif listed:
            f["subject.minor_on_listing"] = date.fromisoformat(listed) <= eighteen
        else:
            f["subject.minor_on_listing"] = True if minor else None


def subject_counts(ctx: Context) -> None:
    s = ctx.subject()
    live = [f for f in ctx.records() if f.get("status") in _LIVE]
    s["negative_active"] = sum(1 for f in live if f.get("negative"))
    s["serious_active"] = sum(
        1 for f in live if f.get("negative") and f.get("severity") == "serious"
    )
    s["positive_active"] = sum(1 for f in live if f.get("category") == "positive")
    entries = sorted(
        (f["list.listed_on"], f["domain"])
        for f in live
        if f.get("list.id") in ctx.attention_lists
        and f.get("list.active")
        and f.get("domain")
        and f.get("list.listed_on")
    )
    seen: set[str] = set()
    since = None
    for listed_on, domain in entries:
        seen.add(domain)
        if len(seen) == 3 and since is None:
            since = listed_on  # the day the third distinct field was listed
    s["key_attention_domains"] = len(seen)
    s["key_attention_since"] = since


def subject_lists(ctx: Context) -> None:
    s = ctx.subject()
    s["lists"] = sorted({e["list"] for e in ctx.list_entries if e["active"]})


def subject_measures(ctx: Context) -> None:
    s = ctx.subject()
    s["measures"] = sorted({e["id"] for e in ctx.measure_entries})


DERIVATION_FUNCS: dict[str, Callable[[Context], None]] = {
    "record_history": record_history,
    "record_events": record_events,
    "record_payment": record_payment,
    "objection_overdue": objection_overdue,
    "key_attention_window": key_attention_window,
    "record_lists": record_lists,
    "subject_minor": subject_minor,
    "subject_counts": subject_counts,
    "subject_lists": subject_lists,
    "subject_measures": subject_measures,
}
