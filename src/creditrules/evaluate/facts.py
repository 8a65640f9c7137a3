"""Case → flat facts the rules read (one per subject, record and event)."""

from __future__ import annotations

from typing import Any

from creditrules.model.case import Case

Fact = dict[str, Any]


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def record_fact(case: Case, i: int) -> Fact:
    rec = case.records[i]
    b = rec.basis
    lst = rec.list
    return {
        "_kind": "record",
        "_key": f"record:{rec.id}",
        "_index": i,
        "as_of": case.as_of.isoformat(),
        "category": rec.category,
        "domain": rec.domain,
        "behavior": rec.behavior,
        "severity": rec.severity,
        "basis.type": b.type if b else None,
        "basis.procedure": b.procedure if b else None,
        "basis.penalties": list(b.penalties) if b else [],
        "basis.number": b.number if b else None,
        "basis.term_until": _iso(b.term_until) if b else None,
        # 令36号 第十二条第三款: the penalty's own term is still running on the evaluation date.
        "basis.term_running": (
            case.as_of <= b.term_until if b is not None and b.term_until is not None else None
        ),
        "determined_on": _iso(rec.determined_on),
        "published_on": _iso(rec.published_on),
        "corrected_on": _iso(rec.corrected_on),
        "obligations_performed_on": _iso(rec.obligations_performed_on),
        "list.id": lst.id if lst else None,
        "list.listed_on": _iso(lst.listed_on) if lst else None,
        "list.term": lst.term if lst else None,
        "list.ground": lst.ground if lst else None,
        "disclosure": rec.disclosure,
        "intentional": rec.intentional,
        "first_time": rec.first_time,
        "fault_tolerance": rec.fault_tolerance,
        "self_remedied": rec.self_remedied,
        "subject.type": case.subject.type,
        "severity_marked": rec.severity is not None,
    }


def subject_fact(case: Case) -> Fact:
    return {
        "_kind": "subject",
        "_key": "subject",
        "as_of": case.as_of.isoformat(),
        "type": case.subject.type,
    }


def event_fact(case: Case, i: int) -> Fact:
    ev = case.events[i]
    rec = next((r for r in case.records if r.id == ev.record), None)
    return {
        "_kind": "event",
        "_key": f"event:{i}",
        "_index": i,
        "_record": ev.record,
        "as_of": case.as_of.isoformat(),
        "type": ev.type,
        "on": ev.on.isoformat(),
        "pledge": ev.pledge,
        "record.category": rec.category if rec else None,
        "record.severity": rec.severity if rec else None,
        "record.list.id": rec.list.id if rec and rec.list else None,
        "record.basis.type": rec.basis.type if rec and rec.basis else None,
        "record.domain": rec.domain if rec else None,
        "record.list.ground": rec.list.ground if rec and rec.list else None,
        "record.list.term": rec.list.term if rec and rec.list else None,
        "subject.type": case.subject.type,
    }


def build(case: Case) -> list[Fact]:
    """All facts of a case: the subject, then records, then events, in input order."""
    return (
        [subject_fact(case)]
        + [record_fact(case, i) for i in range(len(case.records))]
        + [event_fact(case, i) for i in range(len(case.events))]
    )
