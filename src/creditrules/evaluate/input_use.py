"""What a ruleset reads of a case, and a warning for every value it did not use as given.

Nothing passes in silence: a value is used, refused (``check_case``) or reported here in
the Decision's ``warnings``. Which values a ruleset reads is known from its rules before
any case is seen: the fields their conditions test, the dates their periods and lists run
from, and the inputs of the built-in derivations whose results a rule reads.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from creditrules.compile.ir import And, Cmp, Cond, lower, rule_reads
from creditrules.loader import Ruleset
from creditrules.model.case import Case
from creditrules.model.decision import WarningOut

#: code → (slug, what it means). docs/bad-input.md lists each with its test.
WARNING_CODES: dict[str, tuple[str, str]] = {
    "W101": ("unread-value", "an input value no rule of the ruleset reads"),
    "W102": ("free-text", "a value outside the ruleset's vocabulary that a rule compares"),
    "W103": ("version-not-in-force", "the ruleset version was not in force on as_of"),
    "W104": ("same-type-unknown", "no same-type act after a correction cannot be established"),
}

_ALL = "*"

# Input value of a record → the facts that consume it ("kind:field"). A value is used when a
# rule reads one of them. Values not named here are always used: the record's id, category,
# severity and dates of determination and publication appear in the decision itself.
_RECORD_USE: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "domain": {"record:domain", "event:record.domain", "subject:key_attention_domains"},
        "behavior": {"record:behavior", "record:same_type_since_correction"},
        "basis.type": {"record:basis.type", "event:record.basis.type"},
        "basis.procedure": {"record:basis.procedure"},
        "basis.penalties": {"record:basis.penalties"},
        "basis.number": {"record:basis.number"},
        "basis.issued_on": set(),
        "basis.term_until": {"record:basis.term_until"},
        "corrected_on": {"record:corrected_on", "record:same_type_since_correction"},
        "obligations_performed_on": {
            "record:obligations_performed_on",
            "record:paid_before_publication",
        },
        "list.id": {
            "record:list.id",
            "event:record.list.id",
            "record:during_key_attention",
            "subject:key_attention_domains",
        },
        "list.term": {"record:list.term", "event:record.list.term", "record:during_key_attention"},
        "list.ground": {"record:list.ground", "event:record.list.ground"},
        "disclosure": {"record:disclosure"},
        "intentional": {"record:intentional"},
        "first_time": {"record:first_time"},
        "fault_tolerance": {"record:fault_tolerance"},
        "self_remedied": {"record:self_remedied"},
    }.items()
}
_SUBJECT_USE = {"birth_date": frozenset({"subject:is_minor", "record:subject.is_minor"})}
_EVENT_USE = {"pledge": frozenset({"event:pledge", "record:repair.pledged"})}
# Event types the built-in derivations read, and the facts through which a rule sees them.
_DERIVED_EVENTS: dict[str, frozenset[str]] = {
    "objection_filed": frozenset(
        {"record:objection.open", "record:objection.provider_overdue", "record:status"}
    ),
    "objection_upheld": frozenset({"record:objection.open", "record:objection.upheld"}),
    "objection_rejected": frozenset({"record:objection.open", "record:objection.upheld"}),
    "repair_applied": frozenset({"record:repair.applied", "record:repair.pledged"}),
    "repair_granted": frozenset({"record:repair.granted"}),
    "volunteer_service": frozenset({"record:volunteer_service"}),
}


@dataclass(frozen=True)
class Reads:
    """What a ruleset's rules read: facts as "kind:field", and event types."""

    fields: frozenset[str]
    event_types: frozenset[str]

    def reads(self, consumers: frozenset[str]) -> bool:
        return bool(consumers & self.fields)


_READS: dict[str, Reads] = {}


def _type_values(cond: Cond) -> set[str] | None:
    """The event types a condition requires, or None where it does not narrow them."""
    if isinstance(cond, Cmp) and cond.field == "type":
        if cond.op == "eq":
            return {str(cond.value)}
        if cond.op == "in":
            return {str(v) for v in cond.value}
        return None
    if isinstance(cond, And):
        for c in cond.items:
            got = _type_values(c)
            if got is not None:
                return got
    return None


def reads_of(rs: Ruleset) -> Reads:
    """The facts and event types the rules of ``rs`` read (cached by content hash)."""
    got = _READS.get(rs.sha256)
    if got is not None:
        return got
    fields: set[str] = set()
    types: set[str] = set()
    for r in rs.all_rules():
        cond = lower(r.when)
        fields |= rule_reads(r, cond)
        if r.then.list is not None and r.then.list.term_from_input:
            fields.add(f"{r.applies_to}:list.term")
        if r.applies_to == "event":
            narrowed = _type_values(cond)
            types |= narrowed if narrowed is not None else {_ALL}
    for etype, consumers in _DERIVED_EVENTS.items():
        if consumers & fields:
            types.add(etype)
    got = Reads(frozenset(fields), frozenset(types))
    if len(_READS) >= 32:  # bounded as run.MAX_VERSIONS: ever new versions stay flat
        _READS.clear()
    _READS[rs.sha256] = got
    return got


def _w(code: str, field: str, zh: str, en: str) -> WarningOut:
    return WarningOut(code=code, field=field, message=f"{zh} / {en}", zh=zh, en=en)


def _unread(field: str, rs: Ruleset) -> WarningOut:
    return _w(
        "W101",
        field,
        f"{rs.ref} 的规则均不读取此值，它对决定没有影响",
        f"no rule of {rs.ref} reads this value; it has no effect on the decision",
    )


def _free_text(
    field: str, value: str, known: list[str], what: tuple[str, str], rs: Ruleset
) -> WarningOut:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint_zh = f"（是否应为 '{close[0]}'？）" if close else ""
    hint_en = f" (did you mean '{close[0]}'?)" if close else ""
    return _w(
        "W102",
        field,
        f"'{value}' 不在 {rs.ref} 的{what[0]}词表中，规则按自由文本比较，结论取决于该文本{hint_zh}",
        f"'{value}' is not in the {what[1]} vocabulary of {rs.ref}; rules compare it as free "
        f"text and the decision depends on it{hint_en}",
    )


def version_warning(rs: Ruleset, as_of: date) -> WarningOut | None:
    """W103 when the version evaluated was not in force on ``as_of``."""
    m = rs.manifest
    if rs.in_force(as_of):
        return None
    last = str(m.effective_to - timedelta(days=1)) if m.effective_to else "now"
    last_zh = "今" if m.effective_to is None else last
    return _w(
        "W103",
        "--ruleset",
        f"{rs.ref} 在 {as_of} 未施行（施行期间 {m.effective_from} 至 {last_zh}）",
        f"{rs.ref} was not in force on {as_of} (in force {m.effective_from} to {last})",
    )


def _value(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _same_type_unknown(case: Case, rs: Ruleset, reads: Reads) -> list[WarningOut]:
    if not reads.reads(frozenset({"record:same_type_since_correction"})):
        return []
    out: list[WarningOut] = []
    for i, rec in enumerate(case.records):
        if rec.corrected_on is None or rec.category != "negative":
            continue
        until = rec.corrected_on + relativedelta(years=1)  # as derive.record_history counts
        missing = [] if rec.behavior else [i]
        missing += [
            j
            for j, o in enumerate(case.records)
            if j != i
            and o.category == "negative"
            and not o.behavior
            and o.determined_on is not None
            and rec.corrected_on < o.determined_on <= until
        ]
        for j in missing:
            out.append(
                _w(
                    "W104",
                    f"records[{j}].behavior",
                    f"未提供失信行为类别，无法认定 records[{i}] 纠正后1年内未再发生同类失信行为，"
                    "该修复条件按未满足处理",
                    f"no behaviour given, so whether an act of the same type followed the "
                    f"correction of records[{i}] within a year cannot be established; that repair "
                    "condition is taken as unmet",
                )
            )
    return out


def input_warnings(case: Case, rs: Ruleset) -> list[WarningOut]:
    """Every warning about the case's values under ``rs``, in input order."""
    reads = reads_of(rs)
    out: list[WarningOut] = []
    vw = version_warning(rs, case.as_of)
    if vw is not None:
        out.append(vw)
    if case.subject.birth_date is not None and not reads.reads(_SUBJECT_USE["birth_date"]):
        out.append(_unread("subject.birth_date", rs))
    voc = rs.vocabulary()
    domains = sorted(d.id for d in voc.domains)
    behaviors = sorted(b.id for b in voc.behaviors)
    for i, rec in enumerate(case.records):
        at = f"records[{i}]"
        for name, consumers in _RECORD_USE.items():
            v = _value(rec, name)
            if (
                v is None
                or v == []
                or (
                    name.startswith("list.")
                    and name != "list.id"
                    and not reads.reads(_RECORD_USE["list.id"])
                )
            ):
                continue
            if not reads.reads(consumers):
                out.append(_unread(f"{at}.{name}", rs))
            elif name == "domain" and v not in domains:
                out.append(_free_text(f"{at}.domain", str(v), domains, ("领域", "domain"), rs))
            elif name == "behavior" and v not in behaviors:
                out.append(
                    _free_text(f"{at}.behavior", str(v), behaviors, ("失信行为", "behaviour"), rs)
                )
        for key in rec.fields:
            out.append(_unread(f"{at}.fields.{key}", rs))
    for i, ev in enumerate(case.events):
        if _ALL not in reads.event_types and ev.type not in reads.event_types:
            out.append(_unread(f"events[{i}].type", rs))
        elif ev.pledge is not None and not reads.reads(_EVENT_USE["pledge"]):
            out.append(_unread(f"events[{i}].pledge", rs))
    out += _same_type_unknown(case, rs, reads)
    return out


__all__ = ["WARNING_CODES", "Reads", "input_warnings", "reads_of", "version_warning"]
