"""Rules about rules: the constraints national law puts on rule-making, as checks.

国办发〔2020〕49号 binds those who make credit rules: a sanction must rest on a law, a
regulation or a central policy document (and may not be heavier than the list allows);
serious-dishonesty lists exist only in four fields and only where national law sets them
up; a local list needs a local regulation and a public consultation of at least 30 days;
every list states its removal conditions, procedure and remedies. A ruleset in force on or
after 49号 took effect (2020-12-07) that breaks one of these cannot be published.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from creditrules.diagnostics import Diagnostic
from creditrules.loader import Ruleset
from creditrules.model.ruleset import All, AnyOf, Comparison, Condition, Document, Measure, Not
from creditrules.model.vocab import ORDER_OF_OUTCOMES

#: 国办发〔2020〕49号 took effect on this day; earlier instruments are not held to it.
GUIDANCE_49_IN_FORCE = date(2020, 12, 7)
#: 49号 (七): the criteria of a list are put out for comment for no less than 30 days.
MIN_CONSULTATION_DAYS = 30
#: What a sanction may rest on (法律、法规或者党中央、国务院政策文件).
BASIS_LEVELS = {"法律", "行政法规", "地方性法规", "国务院规范性文件"}
#: Who may set national list criteria (49号 (七): law, administrative regulation, central policy; departmental rules where not yet possible).
NATIONAL_CRITERIA_LEVELS = (BASIS_LEVELS - {"地方性法规"}) | {
    "部门规章",
    "司法解释",
}


def subject_to_49(rs: Ruleset) -> bool:
    end = rs.manifest.effective_to
    return end is None or end > GUIDANCE_49_IN_FORCE


def _doc_has_basis(docs: dict[str, Document], key: str, seen: set[str]) -> bool:
    if key in seen or key not in docs:
        return False
    seen.add(key)
    doc = docs[key]
    return doc.rank in BASIS_LEVELS or any(_doc_has_basis(docs, k, seen) for k in doc.implements)


def measure_has_basis(rs: Ruleset, m: Measure, seen: set[str] | None = None) -> bool:
    """A measure rests on law if it cites such a document (directly or through what the
    cited document implements), or rests on a parent's measure that does."""
    seen = seen if seen is not None else set()
    if m.id in seen:
        return False
    seen.add(m.id)
    docs = rs.all_documents()
    if any(_doc_has_basis(docs, c.document, set()) for c in m.cites):
        return True
    measures = rs.all_measures()
    return any(o in measures and measure_has_basis(rs, measures[o], seen) for o in m.rests_on)


def _lists_named(cond: Condition | None) -> set[str]:
    """List ids a condition requires (``list.id`` equal/in, ``lists`` contains)."""
    if cond is None:
        return set()
    if isinstance(cond, All | AnyOf):
        items = cond.all if isinstance(cond, All) else cond.any
        return set().union(*(_lists_named(c) for c in items))
    if isinstance(cond, Not):
        return set()
    assert isinstance(cond, Comparison)
    if cond.field == "list.id" and cond.op in ("eq", "in_"):
        v = cond.value
        return {str(x) for x in v} if isinstance(v, list) else {str(v)}
    if cond.field == "lists" and cond.op == "contains":
        return {str(x) for x in cond.value}
    return set()


def check_legal(rs: Ruleset) -> Iterator[Diagnostic]:
    """CR315 and CR501–CR505 for one ruleset's own declarations."""
    for p in rs.parameters.values():
        if p.tag in ("C", "U") and not (p.note or "").strip():
            loc = rs.locate("parameter", p.name)
            yield Diagnostic(
                "CR315",
                f"parameter '{p.name}' is tagged [{p.tag}] but says nothing of its source",
                loc.span("tag") if loc else None,
            )
    if not subject_to_49(rs):
        return
    all_measures = rs.all_measures()
    for m in rs.measures.values():
        mloc = rs.locate("measure", m.id)
        for i, other in enumerate(m.rests_on):
            if other not in all_measures:
                yield Diagnostic(
                    "CR307",
                    f"measure '{m.id}' rests on '{other}', which is not declared",
                    mloc.span("rests_on", i) if mloc else None,
                )
        if m.kind == "sanction" and not measure_has_basis(rs, m):
            loc = rs.locate("measure", m.id)
            yield Diagnostic(
                "CR501",
                f"sanction '{m.id}' ({m.title}) rests on no law, regulation or central policy document",
                loc.span("cites") if loc else None,
                notes=("国办发〔2020〕49号: 依法依规开展失信惩戒, 不得随意增设或加重惩戒",),
            )
    for ld in rs.lists.values():
        loc = rs.locate("list", ld.id)
        if ld.serious and ld.scope == "local":
            yield Diagnostic(
                "CR502",
                f"list '{ld.id}' is a local serious-dishonesty list: only law, regulation or central policy may set one up, in the four fields of 49号 (六)",
                loc.span("serious") if loc else None,
            )
        elif ld.serious and not ld.fields:
            yield Diagnostic(
                "CR502",
                f"serious-dishonesty list '{ld.id}' names none of the four fields of 49号 (六)",
                loc.span("fields") if loc else None,
            )
        parent = rs.parent.all_lists().get(ld.id) if rs.parent else None
        if parent is not None:
            rank = {o: i for i, o in enumerate(ORDER_OF_OUTCOMES)}
            looser = [
                m
                for m, o in ld.matters.items()
                if m not in parent.matters or rank[o] > rank[parent.matters[m]]
            ]
            extra = [m for m in ld.measures if parent.measures and m not in parent.measures]
            if looser or extra or (parent.serious and not ld.serious):
                what = ", ".join(
                    [f"{m}: {ld.matters[m]}" for m in looser]
                    + extra
                    + (["serious: false"] if parent.serious and not ld.serious else [])
                )
                yield Diagnostic(
                    "CR505",
                    f"list '{ld.id}' allows more than the national list it redeclares ({what})",
                    loc.span("matters") if loc else None,
                )
        if parent is not None and ld.serious and set(ld.fields) - set(parent.fields):
            widened = ", ".join(sorted(set(ld.fields) - set(parent.fields)))
            yield Diagnostic(
                "CR502",
                f"list '{ld.id}' widens the fields of the national list: {widened}",
                loc.span("fields") if loc else None,
            )
        docs = rs.all_documents()
        levels = {docs[c.document].rank for c in ld.criteria if c.document in docs}
        allowed = {"地方性法规"} if ld.scope == "local" else NATIONAL_CRITERIA_LEVELS
        if not levels & allowed:
            need = (
                "a local regulation (地方性法规)"
                if ld.scope == "local"
                else "a law, regulation, central policy document or departmental rule"
            )
            yield Diagnostic(
                "CR503",
                f"the criteria of list '{ld.id}' are not set by {need}",
                loc.span("criteria") if loc else None,
            )
        if ld.scope == "local" and (
            ld.consultation_days is None or ld.consultation_days < MIN_CONSULTATION_DAYS
        ):
            got = (
                "no consultation"
                if ld.consultation_days is None
                else f"{ld.consultation_days} days"
            )
            yield Diagnostic(
                "CR503",
                f"the criteria of local list '{ld.id}' had {got} of public comment; 49号 (七) requires at least {MIN_CONSULTATION_DAYS}",
                loc.span("consultation_days") if loc else None,
            )
        elif ld.consultation_days is not None and ld.consultation_days < MIN_CONSULTATION_DAYS:
            yield Diagnostic(
                "CR503",
                f"the criteria of list '{ld.id}' had {ld.consultation_days} days of public comment; 49号 (七) requires at least {MIN_CONSULTATION_DAYS}",
                loc.span("consultation_days") if loc else None,
            )
        r = ld.removal
        missing = [
            k for k in ("conditions", "procedure", "remedies") if r is None or not getattr(r, k)
        ]
        if missing:
            yield Diagnostic(
                "CR504",
                f"list '{ld.id}' states no removal {', '.join(missing)}",
                loc.span("removal") if loc and r else (loc.span() if loc else None),
            )
    lists = rs.all_lists()
    rank = {o: i for i, o in enumerate(ORDER_OF_OUTCOMES)}
    declared = rs.all_measures()

    def permits(mid: str, permitted: list[str], seen: frozenset[str] = frozenset()) -> bool:
        # A local measure that rests on a measure the list allows applies that measure.
        if mid in permitted:
            return True
        m = declared.get(mid)
        if m is not None and m.of_list:
            return True
        return (
            m is not None
            and mid not in seen
            and any(permits(o, permitted, seen | {mid}) for o in m.rests_on)
        )

    for rule in rs.rules:
        loc = rs.locate("rule", rule.id)
        for lid in sorted(_lists_named(rule.when)):
            cap_def = lists.get(lid)
            if cap_def is None:
                continue
            ld = cap_def
            t = rule.then
            if t.measure and ld.measures and not permits(t.measure.id, ld.measures):
                yield Diagnostic(
                    "CR505",
                    f"measure '{t.measure.id}' is not among the measures list '{lid}' allows ({', '.join(ld.measures)})",
                    loc.span("then", "measure", "id") if loc else None,
                    rule=rule.id,
                )
            for i, mid in enumerate(t.matter.measures if t.matter and ld.measures else []):
                if not permits(mid, ld.measures):
                    yield Diagnostic(
                        "CR505",
                        f"measure '{mid}' is not among the measures list '{lid}' allows ({', '.join(ld.measures)})",
                        loc.span("then", "matter", "measures", i) if loc else None,
                        rule=rule.id,
                    )
            if t.matter and t.matter.matter in ld.matters:
                cap = ld.matters[t.matter.matter]
                if rank[t.matter.outcome] > rank[cap]:
                    yield Diagnostic(
                        "CR505",
                        f"'{t.matter.outcome}' for {t.matter.matter} is heavier than list '{lid}' allows ('{cap}')",
                        loc.span("then", "matter", "outcome") if loc else None,
                        rule=rule.id,
                    )
