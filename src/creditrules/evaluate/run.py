"""The evaluation loop (see the package docstring)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from creditrules.calendar import (
    Counting,
    HolidaySchedule,
    WorkCalendar,
    add_duration,
    parse_duration,
)
from creditrules.compile import reference
from creditrules.compile.ir import (
    DERIVATIONS,
    CompiledRule,
    Plan,
    claims_of,
    fields_read,
    special_over,
    stratify,
)
from creditrules.errors import CalendarError, EngineError, InputError, RulesetError
from creditrules.evaluate.assemble import assemble
from creditrules.evaluate.case_input import check_case, parse_case
from creditrules.evaluate.conclude import Claim, Resolution, decide, resolve
from creditrules.evaluate.derive import DERIVATION_FUNCS, Context
from creditrules.evaluate.facts import Fact, build
from creditrules.evaluate.input_use import input_warnings
from creditrules.evaluate.invariants import check as check_invariants
from creditrules.evaluate.privacy import mask_decision
from creditrules.evaluate.state import EvalState, _d
from creditrules.loader import Ruleset, layered
from creditrules.model.decision import (
    Decision,
)
from creditrules.model.rank import hierarchy
from creditrules.model.ruleset import Rule
from creditrules.validate import check_ruleset

Backend = Literal["durable_rules", "reference", "both"]
BACKENDS: tuple[str, ...] = ("durable_rules", "reference", "both")

_PLANS: dict[str, Plan] = {}
_CHECKED: set[str] = set()
#: Versions whose derived data stay cached (each new content hash is a version); past it
#: the cache starts again, so a process meeting ever new versions stays bounded.
MAX_VERSIONS = 32


def _room(cache: dict[str, Any] | set[str]) -> None:
    if len(cache) >= MAX_VERSIONS:
        cache.clear()


def on_law_of(rs: Ruleset, on: date) -> Ruleset:
    """``rs`` on the parent versions in force ``on`` (see ``loader.layered``), the
    combination checked once the way ``load_ruleset`` checks a ruleset."""
    out, diags = layered(rs, on)
    if out is rs:
        return rs
    if out.sha256 not in _CHECKED:
        errors = [d for d in diags if d.severity == "error"]
        if not errors:
            errors = [d for d in check_ruleset(out) if d.severity == "error"]
        if errors and out.parent is None:
            raise RulesetError(
                f"ruleset {rs.ref} builds on {rs.manifest.extends}, which has no version in force "
                f"on {on}: evaluating it on that date is not supported",
                errors,
            )
        if errors:
            raise RulesetError(
                f"ruleset {rs.ref} on the law of {on} has {len(errors)} error(s); "
                "run `creditrules validate`",
                errors,
            )
        _room(_CHECKED)
        _CHECKED.add(out.sha256)
    return out


def plan_for(rs: Ruleset) -> Plan:
    """The compiled plan of a ruleset (cached by content hash)."""
    plan = _PLANS.get(rs.sha256)
    if plan is None:
        plan, diags = stratify(rs)
        if plan is None:
            raise RulesetError(f"ruleset {rs.ref} cannot be compiled", diags)
        _room(_PLANS)
        _PLANS[rs.sha256] = plan
    return plan


#: Fields the built-in derivations write (see _settle).
_DERIVED = frozenset(
    w.split(":", 1)[1] for d in DERIVATIONS for w in d.writes if not w.startswith("pseudo:")
)
_CALENDARS: dict[str, tuple[WorkCalendar, Counting]] = {}


class _WhyNot:
    """``reference.why_not`` of a plan's rules, remembered by the values of the fields each
    rule reads (its answer depends on nothing else); bounded, so memory stays flat."""

    LIMIT = 200_000

    def __init__(self, plan: Plan) -> None:
        self.fields = {r.id: tuple(sorted(fields_read(r.cond))) for r in plan.rules}
        self.memo: dict[tuple[str, tuple[Any, ...]], str | None] = {}

    def __call__(self, r: CompiledRule, fact: Fact) -> str | None:
        # The type is part of the key: True and 1 are equal in Python, not to a rule.
        k = (r.id, tuple(_hashable(fact.get(name)) for name in self.fields[r.id]))
        try:
            return self.memo[k]
        except KeyError:
            pass
        if len(self.memo) >= self.LIMIT:
            self.memo.clear()
        got = self.memo[k] = reference.why_not(r.cond, fact)
        return got


def _hashable(v: Any) -> tuple[type, Any]:
    return (type(v), tuple(v) if isinstance(v, list) else v)


_WHY: dict[str, _WhyNot] = {}


def _why_not_for(plan: Plan) -> _WhyNot:
    got = _WHY.get(plan.digest)
    if got is None:
        _room(_WHY)
        got = _WHY[plan.digest] = _WhyNot(plan)
    return got


def calendar_for(rs: Ruleset) -> tuple[WorkCalendar, Counting]:
    """The working-day calendar and counting convention of a ruleset (cached by content
    hash: the calendar remembers the days it has answered for)."""
    got = _CALENDARS.get(rs.sha256)
    if got is None:
        _room(_CALENDARS)
        got = _CALENDARS[rs.sha256] = _calendar(rs)
    return got


def _calendar(rs: Ruleset) -> tuple[WorkCalendar, Counting]:
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


def _claim(st: EvalState, what: tuple[str, str]) -> list[Claim]:
    st.dirty.add(what)
    return st.claims.setdefault(what, [])


def _apply(st: EvalState, rule: CompiledRule, fact: Fact) -> None:
    r = rule.rule
    t = r.then
    fk = fact["_key"]
    for key, value in claims_of(r):
        _claim(st, (fk, key)).append(Claim(r, value))
    effects: list[str] = [f"{attr} = {value!r}" for attr, value in (t.set or {}).items()]
    effects += [
        f"{attr} = {value!r} (where not given)" for attr, value in (t.classify or {}).items()
    ]
    if t.period:
        effects.append(f"{t.period.name}: {t.period.duration} from {t.period.from_}")
    if t.list:
        effects.append(f"list {t.list.id}")
    if t.measure:
        effects.append(f"measure {t.measure.id}")
    if t.deadline:
        effects.append(f"deadline {t.deadline.procedure} {t.deadline.duration}")
    if t.matter:
        effects.append(f"{t.matter.matter}: {t.matter.outcome}")
    if t.grade:
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


def _settle(st: EvalState) -> None:
    """Resolve every claimed value and write it into the facts."""
    as_of = st.case.as_of
    # Only values that gained a claim since the last stratum are resolved again: the others
    # would resolve to what they already are (their claims and inputs have not changed).
    # (A value a built-in derivation also writes is resolved every time, as it always was.)
    dirty, st.dirty = st.dirty, set()
    for (fk, what), claims in st.claims.items():
        if (fk, what) not in dirty and what not in _DERIVED:
            continue
        fact = st.by_key[fk]
        res = decide(st.rs, what, claims, fact=fk)
        st.decided[(fk, what)] = res
        if what.startswith("classify:"):
            attr = what.split(":", 1)[1]
            if fact.get("_given:" + attr) is None:
                fact[attr] = res.value
        elif what.startswith("period:"):
            spec = res.value
            name = spec.name
            taken = _point_taken_by_list(st, fk, what, res)
            if taken is not None:
                # The record's validity is the term of the list entry of the rule it yields to.
                res, (since, until) = taken
                st.decided[(fk, what)] = res
                fact[f"{name}.until"] = until.isoformat() if until else None
                fact[f"{name}.elapsed"] = None if since is None or until is None else as_of > until
                continue
            start = _d(fact.get(spec.from_))
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


def _entry_term(st: EvalState, fact: Fact, spec: Any) -> tuple[date | None, date | None]:
    """The first and last day of a list entry by its own rule (no record cap)."""
    since = _d(fact.get(spec.since))
    term = spec.term
    if spec.term_from_input and fact.get("list.term"):
        term = fact["list.term"]
    until = None
    if since is not None and term:
        until = add_duration(
            since, parse_duration(st.rs.duration(term)), st.cal, convention=st.counting
        )
    return since, until


def _point_taken_by_list(
    st: EvalState, fk: str, what: str, res: Resolution
) -> tuple[Resolution, tuple[date | None, date | None]] | None:
    """Where a period and a list entry decide one point (ranks.yaml ``points``) and every rule
    deciding the period yields to a rule deciding the entry (by rank or by its article's
    另有规定的除外), the entry's term is the period: the lower rule gives way."""
    same_as = hierarchy().points.get(what)
    if same_as is None:
        return None
    ranking = st.rs.ranking()
    docs = st.rs.all_documents()
    for (k, other), claims in st.claims.items():
        if k != fk or not other.startswith(same_as + ":"):
            continue
        entry = resolve(
            claims,
            fact=fk,
            attribute=other,
            precedence=st.rs.precedence().get(other),
            ranking=ranking,
        )
        if not all(
            any(
                ranking.prevails(hi.id, lo.id) or special_over(hi, lo, docs)
                for hi in entry.deciders
            )
            for lo in res.deciders
        ):
            continue
        # Only where the period would end the entry early: a lower rule may keep information
        # longer than the list runs (stricter), never cut the higher rule's entry short.
        since, until = _entry_term(st, st.by_key[fk], entry.value)
        own = _period_until(st, st.by_key[fk], res.value)
        if own is None or (until is not None and own >= until):
            continue
        overridden = dict(res.overridden)
        for lo in res.deciders:
            overridden.setdefault(lo.id, []).extend(hi.id for hi in entry.deciders)
        return Resolution(res.value, list(entry.deciders), overridden), (since, until)
    return None


def _period_until(st: EvalState, fact: Fact, spec: Any) -> date | None:
    start = _d(fact.get(spec.from_))
    if start is None:
        return None
    return add_duration(
        start, parse_duration(st.rs.duration(spec.duration)), st.cal, convention=st.counting
    )


def _list_entries(st: EvalState) -> None:
    st.ctx.list_entries = []
    for (fk, what), res in sorted(st.decided.items()):
        if not what.startswith("list:"):
            continue
        fact = st.by_key[fk]
        spec = res.value
        since, until = _entry_term(st, fact, spec)
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


def _measure_entries(st: EvalState) -> None:
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


def _deadlines(st: EvalState) -> None:
    st.ctx.deadlines = []
    for (fk, what), res in sorted(
        st.decided.items(), key=lambda kv: (st.by_key[kv[0][0]].get("_index", 0), kv[0][1])
    ):
        if not what.startswith("deadline:"):
            continue
        fact = st.by_key[fk]
        # Limits of different authorities that disagree all stand, each with its own basis.
        specs = (
            list(zip(res.value, res.deciders, strict=True)) if res.several else [(res.value, None)]
        )
        for spec, rule in specs:
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
                    "duration": str(dur),
                    "error": error,
                    "rules": [rule] if rule is not None else res.deciders,
                }
            )


def _special_repair(st: EvalState) -> None:
    """A list's own removal provisions are the special provisions on its repair (立法法
    第一百零三条): on a record carrying the entry, where rules made under them found something,
    the repair answer is theirs and the general repair rules of the same or a lower rank are
    not added (each dropped finding shows in the trace as overridden by the list's rules)."""
    lists = st.rs.all_lists()
    docs = st.rs.all_documents()
    ranking = st.rs.ranking()
    h = hierarchy()
    for e in st.ctx.list_entries:
        fk = e["fact"]
        ld = lists.get(e["list"])
        if ld is None or ld.removal is None or not fk.startswith("record:"):
            continue
        own = {c.document for c in ld.removal.conditions + ld.removal.procedure}
        own_ranks = {docs[k].rank for k in own if k in docs}

        def special(r: Rule, own: set[str] = own) -> bool:
            return bool(r.cites) and r.cites[0].document in own

        def general(r: Rule, own_ranks: set[str] = own_ranks) -> bool:
            # The general repair instruments (declared `general_provisions`) and anything below
            # the list's own rank; another special instrument of the same rank stays.
            if special(r) or not r.cites:
                return False
            doc = docs.get(r.cites[0].document)
            rank = ranking.rank(r.id)
            return bool(doc and doc.general_provisions) or any(h.above(o, rank) for o in own_ranks)

        rep = st.repair.get(fk, {})
        gates = [
            (what, res)
            for what in ("period:repair_wait", "period:publication_min")
            if (res := st.decided.get((fk, what))) is not None and res.value.gates_repair
        ]
        found = [r for rules in rep.values() for r in rules] + [
            r for _, res in gates for r in res.deciders
        ]
        by_list = [r for r in found if special(r)]
        if not by_list:
            continue
        dropped: dict[str, list[str]] = {}
        for key in list(rep):
            kept = [r for r in rep[key] if not general(r)]
            for r in rep[key]:
                if general(r):
                    dropped.setdefault(r.id, []).extend(x.id for x in by_list)
            if kept:
                rep[key] = kept
            else:
                del rep[key]
        for what, res in gates:
            if all(general(r) for r in res.deciders):
                for r in res.deciders:
                    dropped.setdefault(r.id, []).extend(x.id for x in by_list)
                st.decided[(fk, what)] = Resolution(
                    res.value.model_copy(update={"gates_repair": False}),
                    res.deciders,
                    res.overridden,
                )
        if dropped:
            st.decided[(fk, "repair:special")] = Resolution(None, by_list, dropped)


# ------------------------------------------------------------------ public entry point


def evaluate(
    rs: Ruleset,
    case: Any,
    *,
    as_of: date | None = None,
    backend: Backend = "durable_rules",
    replaying: bool = False,
    reveal_personal: bool = False,
) -> Decision:
    """Evaluate a case against a ruleset and return the Decision (CONTRACT.md v1).

    ``replaying`` accepts the masked identifiers a stored decision keeps in ``input``.
    Natural persons' identifiers and names are masked in the decision unless
    ``reveal_personal`` (``creditrules.evaluate.privacy``); ``masked`` lists them.
    """
    if backend not in BACKENDS:
        raise InputError([("backend", f"{backend!r:.40} is not one of {', '.join(BACKENDS)}")])
    parsed = parse_case(case, as_of=as_of)
    # The law a version extends is the law of the evaluation date, whichever version it is.
    rs = on_law_of(rs, parsed.as_of)
    check_case(parsed, rs, allow_masked=replaying)
    plan = plan_for(rs)
    why = _why_not_for(plan)
    cal, counting = calendar_for(rs)
    facts = build(parsed)
    attention = frozenset(lv.id for lv in rs.vocabulary().lists if lv.attention)
    st = EvalState(rs, parsed, facts, Context(parsed, facts, cal, attention), cal, counting)
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
                    st.why_not[(r.id, f["_key"])] = why(r, f)
        del by_id
        _settle(st)
    _list_entries(st)
    _measure_entries(st)
    _deadlines(st)
    _special_repair(st)
    decision = check_invariants(assemble(st, plan, backend), rs)
    decision.warnings = input_warnings(parsed, rs)
    return mask_decision(decision, reveal_personal=reveal_personal)


__all__ = ["BACKENDS", "Backend", "evaluate", "on_law_of", "plan_for"]
