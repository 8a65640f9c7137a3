"""The evaluation loop (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from typing import Any, Literal

from creditrules.calendar import (
    Counting,
    HolidaySchedule,
    WorkCalendar,
    add_duration,
    parse_duration,
)
from creditrules.compile import reference
from creditrules.compile.ir import CompiledRule, Plan, stratify
from creditrules.errors import CalendarError, EngineError, RulesetError
from creditrules.evaluate.case_input import canonical, check_case, parse_case, redacted, sha256_of
from creditrules.evaluate.conclude import Claim, Resolution, resolve
from creditrules.evaluate.derive import DERIVATION_FUNCS, Context
from creditrules.evaluate.facts import Fact, build
from creditrules.identifiers import mask_identifier
from creditrules.loader import Ruleset
from creditrules.model.case import Case
from creditrules.model.decision import (
    CitationOut,
    DeadlineOut,
    Decision,
    EngineRef,
    GradeOut,
    ListOut,
    MatterOut,
    MeasureOut,
    Publication,
    RecordOut,
    Repair,
    RulesetRef,
    SubjectOut,
    TraceEntry,
)
from creditrules.model.ruleset import Citation, Rule
from creditrules.model.vocab import ORDER_OF_OUTCOMES

Backend = Literal["durable_rules", "reference", "both"]
BACKENDS: tuple[str, ...] = ("durable_rules", "reference", "both")

_PLANS: dict[str, Plan] = {}


def plan_for(rs: Ruleset) -> Plan:
    """The compiled plan of a ruleset (cached by content hash)."""
    plan = _PLANS.get(rs.sha256)
    if plan is None:
        plan, diags = stratify(rs)
        if plan is None:
            raise RulesetError(f"ruleset {rs.ref} cannot be compiled", diags)
        _PLANS[rs.sha256] = plan
    return plan


def calendar_for(rs: Ruleset) -> tuple[WorkCalendar, Counting]:
    schedules: dict[int, HolidaySchedule] = {}
    chain: list[Ruleset] = []
    node: Ruleset | None = rs
    while node is not None:
        chain.append(node)
        node = node.parent
    for r in reversed(chain):  # a child's schedule for a year replaces its parent's
        for s in r.manifest.calendar.schedules:
            schedules[s.year] = HolidaySchedule(
                s.year, frozenset(s.holidays), frozenset(s.workdays), s.source
            )
    c = rs.manifest.calendar.counting
    return WorkCalendar(schedules.values()), Counting(
        c.start_day, c.month_end, c.roll_to_working_day
    )


# ------------------------------------------------------------------ state of one evaluation


@dataclass
class _State:
    rs: Ruleset
    case: Case
    facts: list[Fact]
    ctx: Context
    cal: WorkCalendar
    counting: Counting
    by_key: dict[str, Fact] = field(default_factory=dict)
    claims: dict[tuple[str, str], list[Claim]] = field(default_factory=dict)
    decided: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    fired: dict[str, set[str]] = field(default_factory=dict)
    effects: dict[tuple[str, str], str] = field(default_factory=dict)
    why_not: dict[tuple[str, str], str | None] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    repair: dict[str, dict[str, list[Rule]]] = field(default_factory=dict)


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _fire(plan: Plan, level: int, facts: list[Fact], backend: Backend) -> set[tuple[str, str]]:
    rules = plan.at(level)
    if not rules:
        return set()
    if backend == "reference":
        return reference.run(rules, facts)
    from creditrules.compile import durable  # noqa: PLC0415 - loaded only when used

    name = f"cr_{plan.digest[:16]}_l{level}"
    got = durable.run(name, rules, facts)
    if backend == "both":
        ref = reference.run(rules, facts)
        if got != ref:
            only_d = sorted(got - ref)
            only_r = sorted(ref - got)
            raise EngineError(
                f"backends disagree at stratum {level}: durable_rules only {only_d}, reference only {only_r}"
            )
    return got


def _apply(st: _State, rule: CompiledRule, fact: Fact) -> None:
    r = rule.rule
    t = r.then
    fk = fact["_key"]
    effects: list[str] = []
    for attr, value in (t.set or {}).items():
        st.claims.setdefault((fk, attr), []).append(Claim(r, value))
        effects.append(f"{attr} = {value!r}")
    for attr, value in (t.classify or {}).items():
        st.claims.setdefault((fk, "classify:" + attr), []).append(Claim(r, value))
        effects.append(f"{attr} = {value!r} (where not given)")
    if t.period:
        st.claims.setdefault((fk, "period:" + t.period.name), []).append(Claim(r, t.period))
        effects.append(f"{t.period.name}: {t.period.duration} from {t.period.from_}")
    if t.list:
        st.claims.setdefault((fk, "list:" + t.list.id), []).append(Claim(r, t.list))
        effects.append(f"list {t.list.id}")
    if t.measure:
        st.claims.setdefault((fk, "measure:" + t.measure.id), []).append(Claim(r, t.measure))
        effects.append(f"measure {t.measure.id}")
    if t.deadline:
        st.claims.setdefault((fk, "deadline:" + t.deadline.procedure), []).append(
            Claim(r, t.deadline)
        )
        effects.append(f"deadline {t.deadline.procedure} {t.deadline.duration}")
    if t.matter:
        st.claims.setdefault((fk, "matter:" + t.matter.matter), []).append(Claim(r, t.matter))
        effects.append(f"{t.matter.matter}: {t.matter.outcome}")
    if t.grade:
        st.claims.setdefault((fk, "grade"), []).append(Claim(r, t.grade))
        effects.append(f"grade {t.grade.code}")
    rep = st.repair.setdefault(fk, {})
    if t.repair_unmet:
        rep.setdefault("unmet:" + t.repair_unmet, []).append(r)
        effects.append(f"repair unmet: {t.repair_unmet}")
    if t.repair_never:
        rep.setdefault("never", []).append(r)
        effects.append("repair: never")
    if t.repair_after:
        rep.setdefault("after:" + t.repair_after, []).append(r)
        effects.append(f"repair not before the day after {t.repair_after}")
    if t.repair_route:
        rep.setdefault("route:" + t.repair_route, []).append(r)
        effects.append(f"repair route: {t.repair_route}")
    st.effects[(r.id, fk)] = "; ".join(effects)


def _settle(st: _State) -> None:
    """Resolve every claimed value and write it into the facts."""
    as_of = st.case.as_of
    for (fk, what), claims in st.claims.items():
        fact = st.by_key[fk]
        res = (
            _combine_matters(claims)
            if what.startswith("matter:")
            else resolve(claims, fact=fk, attribute=what)
        )
        st.decided[(fk, what)] = res
        if what.startswith("classify:"):
            attr = what.split(":", 1)[1]
            if fact.get("_given:" + attr) is None:
                fact[attr] = res.value
        elif what.startswith("period:"):
            spec = res.value
            start = _d(fact.get(spec.from_))
            name = spec.name
            if start is None:
                fact[f"{name}.until"] = None
                fact[f"{name}.elapsed"] = None
            else:
                until = add_duration(
                    start,
                    parse_duration(st.rs.duration(spec.duration)),
                    st.cal,
                    convention=st.counting,
                )
                fact[f"{name}.until"] = until.isoformat()
                fact[f"{name}.elapsed"] = as_of > until
        elif ":" not in what:
            fact[what] = res.value


def _combine_matters(claims: list[Claim]) -> Resolution:
    """Measures apply cumulatively: the most restrictive outcome stands (deny > restrict >
    allow > priority); a default gives way to any other answer. See docs/readings.md."""
    live = [c for c in claims if not c.rule.default] or claims
    rank = {o: i for i, o in enumerate(ORDER_OF_OUTCOMES)}
    top = max(rank[c.value.outcome] for c in live)
    winners = [c for c in live if rank[c.value.outcome] == top]
    measures = sorted({m for c in winners for m in c.value.measures})
    spec = winners[0].value.model_copy(update={"measures": measures})
    overridden = {c.rule.id: [w.rule.id for w in winners] for c in claims if c not in winners}
    return Resolution(spec, [c.rule for c in winners], overridden)


def _list_entries(st: _State) -> None:
    st.ctx.list_entries = []
    for (fk, what), res in sorted(st.decided.items()):
        if not what.startswith("list:"):
            continue
        fact = st.by_key[fk]
        spec = res.value
        since = _d(fact.get(spec.since))
        term = spec.term
        if spec.term_from_input and fact.get("list.term"):
            term = fact["list.term"]
        until = None
        if since is not None and term:
            until = add_duration(
                since, parse_duration(st.rs.duration(term)), st.cal, convention=st.counting
            )
        # An entry resting on a record lasts no longer than the record may be used
        # (通政发〔2018〕25号 第三十条: expired information is no basis for sanction).
        valid = _d(fact.get("validity.until"))
        if valid is not None and (until is None or valid < until):
            until = valid
        live = fact["_kind"] != "record" or fact.get("status", "active") in (
            "active",
            "under_objection",
        )
        active = bool(
            since and since <= st.case.as_of and (until is None or st.case.as_of <= until) and live
        )
        st.ctx.list_entries.append(
            {
                "list": spec.id,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "active": active,
                "because": [fk.split(":", 1)[1]] if fact["_kind"] == "record" else [],
                "rules": res.deciders,
                "fact": fk,
            }
        )


def _measure_entries(st: _State) -> None:
    st.ctx.measure_entries = []
    for (fk, what), res in sorted(st.decided.items()):
        if not what.startswith("measure:"):
            continue
        fact = st.by_key[fk]
        spec = res.value
        until: str | None = None
        if spec.until == "validity":
            until = fact.get("validity.until")
        elif spec.until == "list":
            ends = [e["until"] for e in st.ctx.list_entries if e["fact"] == fk]
            until = max((u for u in ends if u), default=None)
        st.ctx.measure_entries.append(
            {"id": spec.id, "until": until, "fact": fk, "rules": res.deciders}
        )


def _deadlines(st: _State) -> None:
    st.ctx.deadlines = []
    for (fk, what), res in sorted(
        st.decided.items(), key=lambda kv: (st.by_key[kv[0][0]].get("_index", 0), kv[0][1])
    ):
        if not what.startswith("deadline:"):
            continue
        fact = st.by_key[fk]
        spec = res.value
        start = date.fromisoformat(fact["on"])
        dur = parse_duration(st.rs.duration(spec.duration))
        due: str | None = None
        error: str | None = None
        try:
            due = add_duration(start, dur, st.cal, convention=st.counting).isoformat()
        except CalendarError as exc:
            error = str(exc)
        st.ctx.deadlines.append(
            {
                "procedure": spec.procedure,
                "event": fact["_index"],
                "record": fact.get("_record"),
                "from": fact["on"],
                "due": due,
                "working_days": dur.working_days or None,
                "duration": spec.duration,
                "error": error,
                "rules": res.deciders,
            }
        )


# ------------------------------------------------------------------ public entry point


def evaluate(
    rs: Ruleset,
    case: Any,
    *,
    as_of: date | None = None,
    backend: Backend = "durable_rules",
    replaying: bool = False,
) -> Decision:
    """Evaluate a case against a ruleset and return the Decision (CONTRACT.md v1).

    ``replaying`` accepts the masked identifiers a stored decision keeps in ``input``.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}")
    parsed = parse_case(case, as_of=as_of)
    check_case(parsed, rs, allow_masked=replaying)
    plan = plan_for(rs)
    cal, counting = calendar_for(rs)
    facts = build(parsed)
    st = _State(rs, parsed, facts, Context(parsed, facts, cal), cal, counting)
    st.by_key = {f["_key"]: f for f in facts}
    for f in facts:
        if f["_kind"] == "record":
            f["_given:severity"] = f.get("severity")
    for level in range(plan.levels):
        for name, lv in plan.derivation_levels.items():
            if lv == level:
                if name in ("subject_lists", "record_lists"):
                    _list_entries(st)
                if name in ("subject_measures",):
                    _measure_entries(st)
                if name == "objection_overdue":
                    _deadlines(st)
                DERIVATION_FUNCS[name](st.ctx)
        rules = plan.at(level)
        if not rules:
            continue
        visible = [
            {k: v for k, v in f.items() if not k.startswith("_") or k in ("_kind", "_key")}
            for f in facts
        ]
        fired = _fire(plan, level, visible, backend)
        by_id = {r.id: r for r in rules}
        for r in rules:
            st.levels[r.id] = level
            for f in visible:
                if f["_kind"] != r.kind:
                    continue
                if (r.id, f["_key"]) in fired:
                    _apply(st, r, st.by_key[f["_key"]])
                    st.fired.setdefault(r.id, set()).add(f["_key"])
                else:
                    st.why_not[(r.id, f["_key"])] = reference.why_not(r.cond, f)
        del by_id
        _settle(st)
    _list_entries(st)
    _measure_entries(st)
    _deadlines(st)
    return _assemble(st, plan, backend)


# ------------------------------------------------------------------ assembling the decision


def _cite(rs: Ruleset, cites: list[Citation]) -> list[CitationOut]:
    docs = rs.all_documents()
    out = []
    for c in cites:
        doc = docs[c.document]
        art = next(a for a in doc.articles if a.id == c.article)
        out.append(
            CitationOut(document=doc.title, number=doc.number, article=art.id, text=art.text)
        )
    return out


def _basis(rs: Ruleset, rules: list[Rule]) -> list[CitationOut]:
    seen: set[tuple[str, str]] = set()
    out: list[CitationOut] = []
    for r in rules:
        for c in _cite(rs, r.cites):
            k = (c.number or c.document, c.article)
            if k not in seen:
                seen.add(k)
                out.append(c)
    return out


def _deciders(st: _State, fk: str, *whats: str) -> list[Rule]:
    out: list[Rule] = []
    for w in whats:
        res = st.decided.get((fk, w))
        if res:
            out += [r for r in res.deciders if r not in out]
    return out


def _record_out(st: _State, fact: Fact) -> RecordOut:
    rs = st.rs
    fk = fact["_key"]
    rid = fk.split(":", 1)[1]
    rep = st.repair.get(fk, {})
    unmet = sorted(k.split(":", 1)[1] for k in rep if k.startswith("unmet:"))
    routes = sorted(k.split(":", 1)[1] for k in rep if k.startswith("route:"))
    never = "never" in rep
    repair_rules = [r for rules in rep.values() for r in rules]
    gates: list[date] = []
    for what in ("period:repair_wait", "period:publication_min"):
        res = st.decided.get((fk, what))
        name = what.split(":", 1)[1]
        if res and res.value.gates_repair and fact.get(f"{name}.until"):
            gates.append(date.fromisoformat(fact[f"{name}.until"]) + timedelta(days=1))
            repair_rules += [r for r in res.deciders if r not in repair_rules]
    for key in rep:
        if key.startswith("after:") and fact.get(key.split(":", 1)[1]):
            gates.append(date.fromisoformat(fact[key.split(":", 1)[1]]) + timedelta(days=1))
    earliest = max(gates).isoformat() if gates else None
    pub_rules = _deciders(
        st, fk, "period:publication_min", "period:publication_max", "period:validity"
    )
    max_until = fact.get("publication_max.until") or fact.get("validity.until")
    status_rules = _deciders(
        st, fk, "status", "classify:severity", "negative", "publishable", "usable_for_sanction"
    )
    return RecordOut(
        id=rid,
        severity=fact.get("severity"),
        status=fact.get("status") or "active",
        publishable=bool(fact.get("publishable")),
        usable_for_sanction=bool(fact.get("usable_for_sanction")),
        archived=bool(fact.get("archived")),
        under_objection=bool(fact.get("objection.open")),
        validity_until=fact.get("validity.until"),
        publication=Publication(
            **{"from": fact.get("published_on") or fact.get("determined_on")},
            min_until=fact.get("publication_min.until"),
            max_until=max_until,
            basis=_basis(rs, pub_rules),
        ),
        repair=Repair(
            eligible=not never and not unmet and bool(repair_rules),
            earliest_on=earliest,
            unmet=unmet,
            never=never,
            routes=routes,
            basis=_basis(rs, repair_rules),
        ),
        basis=_basis(rs, status_rules),
    )


def _assemble(st: _State, plan: Plan, backend: Backend) -> Decision:
    rs, case = st.rs, st.case
    records = [_record_out(st, f) for f in st.facts if f["_kind"] == "record"]
    lists = [
        ListOut(
            list=e["list"],
            active=e["active"],
            since=e["since"],
            until=e["until"],
            because=e["because"],
            basis=_basis(rs, e["rules"]),
        )
        for e in st.ctx.list_entries
    ]
    measures_decl = rs.all_measures()
    measures: list[MeasureOut] = []
    for e in st.ctx.measure_entries:
        m = measures_decl[e["id"]]
        because = [e["fact"].split(":", 1)[1]] if e["fact"].startswith("record:") else []
        basis = _basis(rs, e["rules"])
        basis += [
            c
            for c in _cite(rs, m.cites)
            if (c.number, c.article) not in {(b.number, b.article) for b in basis}
        ]
        if m.target == "subject":
            measures.append(
                MeasureOut(
                    id=m.id,
                    title=m.title,
                    kind=m.kind,
                    target="subject",
                    until=e["until"],
                    because=because,
                    basis=basis,
                )
            )
            continue
        people: list[Any] = [p for p in case.subject.representatives if p.role == m.target]
        for p in people or [None]:
            measures.append(
                MeasureOut(
                    id=m.id,
                    title=m.title,
                    kind=m.kind,
                    target=m.target,
                    person=mask_identifier(p.id) if p else None,
                    until=e["until"],
                    because=because,
                    basis=basis,
                )
            )
    matters = _matters(st)
    deadlines = [
        DeadlineOut(
            **{"from": d["from"]},
            procedure=d["procedure"],
            event=d["event"],
            record=d["record"],
            due=d["due"],
            working_days=d["working_days"],
            duration=d["duration"],
            error=d["error"],
            basis=_basis(rs, d["rules"]),
        )
        for d in st.ctx.deadlines
    ]
    grade = None
    gres = st.decided.get(("subject", "grade"))
    if gres:
        g = gres.value
        grade = GradeOut(
            code=g.code, title=g.title, supervision=g.supervision, basis=_basis(rs, gres.deciders)
        )
    trace = _trace(st, plan)
    data = canonical(case)
    # The hash is of the full input, so a holder of the original can prove it; what the
    # decision stores is masked (natural persons' identifiers and names).
    input_sha = sha256_of(data)
    data = redacted(data)
    return Decision(
        decision_id=sha256_of({"input": input_sha, "ruleset": rs.sha256}),
        as_of=case.as_of.isoformat(),
        ruleset=RulesetRef(id=rs.id, version=rs.version, sha256=rs.sha256),
        engine=EngineRef(
            creditrules=_version("creditrules"),
            durable_rules=_version("durable_rules"),
            backend=backend,
        ),
        input_sha256=input_sha,
        subject=SubjectOut(id=mask_identifier(case.subject.id), type=case.subject.type),
        records=records,
        lists=lists,
        measures=measures,
        matters=matters,
        deadlines=deadlines,
        grade=grade,
        trace=trace,
        input=data,
    )


def _matters(st: _State) -> list[MatterOut]:
    rs = st.rs
    known: set[Any] = {w.split(":", 1)[1] for (fk, w) in st.decided if w.startswith("matter:")}
    decided_any = {r.then.matter.matter for r in rs.all_rules() if r.then.matter}
    wanted = list(st.case.matters) or sorted(known)
    out = []
    for m in wanted:
        res = st.decided.get(("subject", "matter:" + m))
        if res is None:
            reason = (
                f"no rule of {rs.ref} decides {m}"
                if m not in decided_any
                else f"no rule of {rs.ref} applies to this subject for {m}"
            )
            out.append(MatterOut(matter=m, outcome=None, measures=[], reason=reason, basis=[]))
            continue
        spec = res.value
        out.append(
            MatterOut(
                matter=m,
                outcome=spec.outcome,
                measures=list(spec.measures),
                basis=_basis(rs, res.deciders),
            )
        )
    return out


def _trace(st: _State, plan: Plan) -> list[TraceEntry]:
    out = []
    overridden: dict[tuple[str, str], list[str]] = {}
    for (fk, _w), res in st.decided.items():
        for rid, by in res.overridden.items():
            overridden.setdefault((rid, fk), []).extend(
                b for b in by if b not in overridden.get((rid, fk), [])
            )
    for r in plan.rules:
        for f in st.facts:
            if f["_kind"] != r.kind:
                continue
            fk = f["_key"]
            fired = fk in st.fired.get(r.id, set())
            out.append(
                TraceEntry(
                    rule=r.id,
                    fact=fk,
                    fired=fired,
                    stratum=r.level,
                    effect=st.effects.get((r.id, fk)) if fired else None,
                    why_not=None if fired else st.why_not.get((r.id, fk)),
                    overridden_by=sorted(overridden.get((r.id, fk), [])),
                    basis=_basis(st.rs, [r.rule]),
                )
            )
    return out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


__all__ = ["BACKENDS", "Backend", "evaluate", "plan_for"]
