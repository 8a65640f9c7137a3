"""Assemble the Decision from the settled state: a citation on every conclusion."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from importlib import metadata
from typing import Any

from creditrules.compile.ir import Plan
from creditrules.evaluate.case_input import canonical, sha256_of
from creditrules.evaluate.facts import Fact
from creditrules.evaluate.state import EvalState as _State
from creditrules.loader import Ruleset
from creditrules.model.decision import (
    CitationOut,
    DeadlineOut,
    Decision,
    DisplacedOut,
    EngineRef,
    GradeOut,
    LayerRef,
    ListOut,
    MatterOut,
    MeasureOut,
    Publication,
    RecordOut,
    Repair,
    RuleOut,
    RulesetRef,
    SubjectOut,
    TraceEntry,
)
from creditrules.model.ruleset import Citation, Rule


class _Citations:
    """The citations of one ruleset version, built once: every decision cites the same
    articles for the same rule. CitationOut is frozen, so decisions may share them."""

    def __init__(self, rs: Ruleset) -> None:
        self.docs = rs.all_documents()
        self.by_article: dict[tuple[str, str], CitationOut] = {}
        self.by_rule: dict[str, tuple[CitationOut, ...]] = {}
        self.ref = rs.ref
        # The nearest declaring version wins: a child may restate a parent's rule by id.
        self.layers: dict[str, str] = {}
        for node in reversed([rs, *rs.layers()]):
            for r in node.rules:
                self.layers[r.id] = node.ref
        self.ranks = rs.ranking()

    def cite(self, cites: list[Citation]) -> list[CitationOut]:
        out = []
        for c in cites:
            got = self.by_article.get((c.document, c.article))
            if got is None:
                doc = self.docs[c.document]
                art = next(a for a in doc.articles if a.id == c.article)
                got = self.by_article[(c.document, c.article)] = CitationOut(
                    document=doc.title,
                    number=doc.number,
                    article=art.id,
                    text=art.text,
                    kind=art.kind,
                    no_number_reason=None if doc.number else doc.no_number_reason,
                    unverified=art.unverified,
                    rank=doc.rank,
                )
            out.append(got)
        return out

    def layer_of(self, rule_id: str) -> str:
        """id@version of the version (this one or a layer) whose files declare the rule."""
        return self.layers.get(rule_id, self.ref)

    def rule(self, r: Rule) -> tuple[CitationOut, ...]:
        got = self.by_rule.get(r.id)
        if got is None:
            got = self.by_rule[r.id] = tuple(_dedup(self.cite(r.cites)))
        return got


def _dedup(cites: list[CitationOut]) -> list[CitationOut]:
    seen: set[tuple[str, str]] = set()
    out: list[CitationOut] = []
    for c in cites:
        k = (c.number or c.document, c.article)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


#: Citations by ruleset content hash (of the version and everything it extends).
_CITATIONS: dict[str, _Citations] = {}


def _citations(rs: Ruleset) -> _Citations:
    got = _CITATIONS.get(rs.sha256)
    if got is None:
        if len(_CITATIONS) >= 32:  # bounded as run.MAX_VERSIONS: ever new versions stay flat
            _CITATIONS.clear()
        got = _CITATIONS.setdefault(rs.sha256, _Citations(rs))
    return got


def _cite(rs: Ruleset, cites: list[Citation]) -> list[CitationOut]:
    return _citations(rs).cite(cites)


def _basis(rs: Ruleset, rules: list[Rule]) -> list[CitationOut]:
    cit = _citations(rs)
    if len(rules) == 1:
        return list(cit.rule(rules[0]))
    return _dedup([c for r in rules for c in cit.rule(r)])


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
    publishable = bool(fact.get("publishable"))
    pub_from = fact.get("published_on") or fact.get("determined_on")
    if not publishable and _covers(pub_from, max_until, st.case.as_of):
        # A record that may not be published has no publication window running today: it
        # has no start, rather than one beside "not publishable" (invariants.py). The
        # periods the law sets (min_until, max_until) stay: they still bound publication.
        pub_from = None
    return RecordOut(
        id=rid,
        severity=fact.get("severity"),
        status=fact.get("status") or "active",
        publishable=publishable,
        usable_for_sanction=bool(fact.get("usable_for_sanction")),
        archived=bool(fact.get("archived")),
        under_objection=bool(fact.get("objection.open")),
        validity_until=fact.get("validity.until"),
        publication=Publication(
            **{"from": pub_from},
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


def _covers(since: str | None, until: str | None, day: date) -> bool:
    """Whether the window from ``since`` to ``until`` (open-ended when null) covers ``day``."""
    if since is None or date.fromisoformat(since) > day:
        return False
    return until is None or day <= date.fromisoformat(until)


def assemble(st: _State, plan: Plan, backend: str) -> Decision:
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
                    title_en=m.title_en,
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
                    title_en=m.title_en,
                    kind=m.kind,
                    target=m.target,
                    person=p.id if p else None,
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
    gres = st.decided.get(("subject", "grade:"))
    if gres:
        g = gres.value
        grade = GradeOut(
            code=g.code, title=g.title, supervision=g.supervision, basis=_basis(rs, gres.deciders)
        )
    trace = _trace(st, plan)
    rules, displaced = _fired_and_displaced(st, plan)
    data = canonical(case)
    # The hash is of the full input, so a holder of the original can prove it; what the
    # decision stores is masked afterwards (creditrules.evaluate.privacy).
    input_sha = sha256_of(data)
    return Decision(
        decision_id=sha256_of({"input": input_sha, "ruleset": rs.sha256}),
        as_of=case.as_of.isoformat(),
        ruleset=RulesetRef(
            id=rs.id,
            version=rs.version,
            sha256=rs.sha256,
            layers=[LayerRef(id=p.id, version=p.version, sha256=p.sha256) for p in rs.layers()],
        ),
        engine=EngineRef(
            creditrules=_version("creditrules"),
            durable_rules=_version("durable_rules"),
            backend=backend,
        ),
        input_sha256=input_sha,
        subject=SubjectOut(id=case.subject.id, type=case.subject.type),
        records=records,
        lists=lists,
        measures=measures,
        matters=matters,
        deadlines=deadlines,
        grade=grade,
        trace=trace,
        rules=rules,
        displaced=displaced,
        input=data,
    )


def _matters(st: _State) -> list[MatterOut]:
    rs = st.rs
    known: set[Any] = {w.split(":", 1)[1] for (fk, w) in st.decided if w.startswith("matter:")}
    decided_any = {r.then.matter.matter for r in rs.all_rules() if r.then.matter}
    declared = rs.all_measures()
    barring: dict[str, dict[str, list[Rule]]] = {}
    for e in st.ctx.measure_entries:
        for bm in declared[e["id"]].bars:
            barring.setdefault(bm, {}).setdefault(e["id"], []).extend(e["rules"])
    wanted: list[Any] = list(st.case.matters) or sorted(known | set(barring))
    out = []
    for m in wanted:
        res = st.decided.get(("subject", "matter:" + m))
        if res is None and m in barring:
            named = sorted(barring[m])
            rules = [r for mid in named for r in barring[m][mid]]
            out.append(MatterOut(matter=m, outcome="deny", measures=named, basis=_basis(rs, rules)))
            continue
        if res is None:
            reason = (
                f"no rule of {rs.ref} decides {m}"
                if m not in decided_any
                else f"no rule of {rs.ref} applies to this subject for {m}"
            )
            out.append(MatterOut(matter=m, outcome=None, measures=[], reason=reason, basis=[]))
            continue
        spec = res.value
        outcome, named, rules = spec.outcome, list(spec.measures), list(res.deciders)
        # A measure that bars the subject from the matter makes the answer deny, whatever the
        # matter rules said: the answer and the measures never contradict each other.
        bar = barring.get(m, {})
        if bar and outcome != "deny":
            outcome, named = "deny", sorted(bar)
            rules = [r for mid in named for r in bar[mid]]
        out.append(
            MatterOut(
                matter=m,
                outcome=outcome,
                measures=named,
                basis=_basis(rs, rules),
            )
        )
    return out


_TRACE_FIELDS = frozenset(TraceEntry.model_fields)


def _fast_trace_entry(**values: Any) -> TraceEntry:
    """A TraceEntry from trusted values, as ``model_construct`` makes it but without its
    per-field alias and default handling (every field is given). A decision holds a trace
    entry per rule and fact, a thousand and more, so this is a large part of its cost."""
    m = TraceEntry.__new__(TraceEntry)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(_TRACE_FIELDS))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def _choose_trace_entry() -> Any:
    """The fast constructor, if it gives what ``model_construct`` gives on this pydantic."""
    sample: dict[str, Any] = {
        "rule": "r",
        "fact": "subject",
        "fired": False,
        "stratum": 0,
        "effect": None,
        "why_not": "x",
        "overridden_by": [],
        "basis": [],
    }
    try:
        fast = _fast_trace_entry(**sample)
        slow = TraceEntry.model_construct(**sample)
        if (
            set(sample) == _TRACE_FIELDS
            and fast.model_dump(mode="json") == slow.model_dump(mode="json")
            and fast == slow
        ):
            return _fast_trace_entry
    except Exception:  # noqa: BLE001 - any surprise means: use the documented way
        pass
    return TraceEntry.model_construct


_trace_entry = _choose_trace_entry()


def _trace(st: _State, plan: Plan) -> list[TraceEntry]:
    out = []
    overridden: dict[tuple[str, str], list[str]] = {}
    for (fk, _w), res in st.decided.items():
        for rid, by in res.overridden.items():
            overridden.setdefault((rid, fk), []).extend(
                b for b in by if b not in overridden.get((rid, fk), [])
            )
    cit = _citations(st.rs)
    facts_of: dict[str, list[str]] = {}
    for f in st.facts:
        facts_of.setdefault(f["_kind"], []).append(f["_key"])
    none: set[str] = set()
    construct = _trace_entry
    for r in plan.rules:
        fired_on = st.fired.get(r.id, none)
        basis = cit.rule(r.rule)
        for fk in facts_of.get(r.kind, ()):
            fired = fk in fired_on
            out.append(
                construct(
                    rule=r.id,
                    fact=fk,
                    fired=fired,
                    stratum=r.level,
                    effect=st.effects.get((r.id, fk)) if fired else None,
                    why_not=None if fired else st.why_not.get((r.id, fk)),
                    overridden_by=sorted(overridden.get((r.id, fk), ())),
                    basis=list(basis),
                )
            )
    return out


def _fired_and_displaced(st: _State, plan: Plan) -> tuple[list[RuleOut], list[DisplacedOut]]:
    """The rules that fired (in plan order, each once) with their title, layer and rank, and
    every conclusion of theirs that other rules set aside."""
    cit = _citations(st.rs)
    rules = [
        RuleOut(
            id=r.id,
            title=r.rule.title,
            title_en=r.rule.title_en,
            layer=cit.layer_of(r.id),
            rank=cit.ranks.rank(r.id),
        )
        for r in plan.rules
        if st.fired.get(r.id)
    ]
    displaced = [
        DisplacedOut(rule=rid, fact=fk, on=what, by=sorted(set(by)))
        for (fk, what), res in st.decided.items()
        for rid, by in res.overridden.items()
    ]
    displaced.sort(key=lambda d: (d.fact, d.rule, d.on))
    return rules, displaced


@functools.lru_cache(maxsize=8)
def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"
