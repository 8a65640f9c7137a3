"""What an explanation says, and in what order — without the words.

``build`` turns a Decision into an ``Explanation``: the answer first (each record's status,
the lists, measures, matters, deadlines and grade), then why (the ruleset layers that
decided, the conclusions set aside and by which rules, the rules that fired), and the law
cited, each article once, ordered by the rank of its instrument and then by article. Every
conclusion refers to its articles by mark (their position in ``citations``, from 1).

The model holds codes and values, never sentences: the text form (``explain.text``) and any
other rendering put them into words in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from creditrules.explain.order import article_key, rank_key
from creditrules.model.decision import Decision


@dataclass(frozen=True)
class Cite:
    """One article of law, listed once; ``mark`` is how the rest of the explanation names it."""

    mark: int
    document: str
    number: str | None
    article: str
    text: str
    kind: str | None
    rank: str | None
    unverified: str | None = None
    no_number_reason: str | None = None


@dataclass(frozen=True)
class Document:
    """The cited articles of one instrument, in article order."""

    document: str
    number: str | None
    rank: str | None
    no_number_reason: str | None
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class RecordAnswer:
    id: str
    status: str
    severity: str | None
    publishable: bool
    usable_for_sanction: bool
    under_objection: bool
    archived: bool
    validity_until: str | None
    #: The publication window; all None where the record is not publishable.
    published_from: str | None
    published_min_until: str | None
    published_max_until: str | None
    repair_eligible: bool
    repair_earliest_on: str | None
    repair_unmet: tuple[str, ...]
    repair_never: bool
    repair_routes: tuple[str, ...]
    marks: tuple[int, ...]
    publication_marks: tuple[int, ...]
    repair_marks: tuple[int, ...]


@dataclass(frozen=True)
class ListAnswer:
    list: str
    active: bool
    since: str | None
    until: str | None
    because: tuple[str, ...]
    marks: tuple[int, ...]


@dataclass(frozen=True)
class MeasureAnswer:
    id: str
    title: str
    title_en: str | None
    kind: str
    target: str
    person: str | None
    until: str | None
    because: tuple[str, ...]
    marks: tuple[int, ...]


@dataclass(frozen=True)
class MatterAnswer:
    matter: str
    outcome: str | None
    measures: tuple[str, ...]
    #: Where no rule decided: ``undecided`` (no rule of the ruleset decides the matter) or
    #: ``not_applicable`` (rules decide it, none for this subject); else None.
    no_rule: str | None
    marks: tuple[int, ...]


@dataclass(frozen=True)
class DeadlineAnswer:
    procedure: str
    record: str | None
    start: str
    due: str | None
    duration: str
    working_days: int | None
    #: The due date could not be computed (the calendar's reason, for the log).
    error: str | None
    #: Due before the evaluation date, and not shown as settled by the record (an objection
    #: deadline whose record is no longer under objection is settled).
    overdue: bool
    marks: tuple[int, ...]


@dataclass(frozen=True)
class GradeAnswer:
    code: str
    title: str
    supervision: str
    marks: tuple[int, ...]


@dataclass(frozen=True)
class LayerAnswer:
    """A ruleset version the decision was made on: the one evaluated or a layer under it."""

    id: str
    version: str
    sha256: str
    evaluated: bool
    fired: int
    #: The rank of the instruments its fired rules are made under, highest first.
    ranks: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class RuleRef:
    id: str
    title: str | None
    title_en: str | None
    layer: str | None
    rank: str | None


@dataclass(frozen=True)
class Displacement:
    """Conclusions of ``rules`` on ``on`` of ``fact`` set aside for those of ``by``."""

    fact: str
    on: str
    rules: tuple[RuleRef, ...]
    by: tuple[RuleRef, ...]


@dataclass(frozen=True)
class FiredRule:
    rule: RuleRef
    fact: str
    #: The values of this rule on this fact that other rules set aside (empty: it stands).
    displaced_on: tuple[str, ...]
    displaced_by: tuple[str, ...]
    marks: tuple[int, ...]


@dataclass(frozen=True)
class UnfiredRule:
    rule: str
    fact: str
    why_not: str | None


@dataclass(frozen=True)
class Warning:
    code: str
    field: str
    zh: str
    en: str


@dataclass(frozen=True)
class Explanation:
    """A decision, in the order a person reads it."""

    as_of: str
    subject_id: str
    subject_type: str
    ruleset: LayerAnswer
    layers: tuple[LayerAnswer, ...]
    records: tuple[RecordAnswer, ...]
    lists: tuple[ListAnswer, ...]
    measures: tuple[MeasureAnswer, ...]
    matters: tuple[MatterAnswer, ...]
    deadlines: tuple[DeadlineAnswer, ...]
    grade: GradeAnswer | None
    warnings: tuple[Warning, ...]
    displaced: tuple[Displacement, ...]
    fired: tuple[FiredRule, ...]
    unfired: tuple[UnfiredRule, ...]
    documents: tuple[Document, ...]

    @property
    def citations(self) -> tuple[Cite, ...]:
        """Every cited article once, in mark order."""
        return tuple(c for d in self.documents for c in d.cites)

    @property
    def overdue(self) -> tuple[DeadlineAnswer, ...]:
        return tuple(d for d in self.deadlines if d.overdue)


def _key(c: dict[str, Any]) -> tuple[str, str]:
    return (c.get("number") or c["document"], c["article"])


class _Marks:
    """Numbers every article once, in the order of rank, instrument and article."""

    def __init__(self, cites: list[dict[str, Any]]) -> None:
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for c in cites:
            seen.setdefault(_key(c), c)
        first_seen = {k: i for i, k in enumerate(seen)}
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for c in seen.values():
            by_doc.setdefault(c.get("number") or c["document"], []).append(c)

        def doc_order(item: tuple[str, list[dict[str, Any]]]) -> tuple[int, int]:
            # Same rank: the instrument cited first in the decision comes first.
            cs = item[1]
            return rank_key(cs[0].get("rank")), min(first_seen[_key(c)] for c in cs)

        docs: list[Document] = []
        self.mark: dict[tuple[str, str], int] = {}
        n = 0
        for _, cs in sorted(by_doc.items(), key=doc_order):
            out = []
            for c in sorted(cs, key=lambda c: article_key(c["article"])):
                n += 1
                self.mark[_key(c)] = n
                out.append(
                    Cite(
                        mark=n,
                        document=c["document"],
                        number=c.get("number"),
                        article=c["article"],
                        text=c["text"],
                        kind=c.get("kind"),
                        rank=c.get("rank"),
                        unverified=c.get("unverified"),
                        no_number_reason=c.get("no_number_reason"),
                    )
                )
            head = cs[0]
            docs.append(
                Document(
                    head["document"],
                    head.get("number"),
                    head.get("rank"),
                    head.get("no_number_reason"),
                    tuple(out),
                )
            )
        self.documents = tuple(docs)

    def of(self, basis: list[dict[str, Any]]) -> tuple[int, ...]:
        return tuple(sorted({self.mark[_key(c)] for c in basis}))


def _as_dict(decision: Decision | dict[str, Any]) -> dict[str, Any]:
    if isinstance(decision, Decision):
        return decision.model_dump(mode="json", by_alias=True)
    return decision


def build(decision: Decision | dict[str, Any], *, all_rules: bool = False) -> Explanation:
    """The explanation of a decision (a Decision or its JSON document).

    ``all_rules`` also lists the rules that did not fire and why (``unfired``).
    """
    d = _as_dict(decision)
    as_of = d["as_of"]
    records = d["records"]
    answers = [
        *((r["basis"], r["publication"]["basis"], r["repair"]["basis"]) for r in records),
    ]
    cites = [c for trio in answers for part in trio for c in part]
    for k in ("lists", "measures", "matters", "deadlines"):
        cites += [c for x in d.get(k) or [] for c in x["basis"]]
    if d.get("grade"):
        cites += d["grade"]["basis"]
    fired_entries = [t for t in d["trace"] if t["fired"]]
    # A rule's own articles are cited too: a rule that fired and decided nothing shown
    # (or was set aside) is still named with the law it rests on.
    cites += [c for t in fired_entries for c in t["basis"]]
    marks = _Marks(cites)

    rule_info = {r["id"]: r for r in d.get("rules") or []}

    def ref(rid: str) -> RuleRef:
        r = rule_info.get(rid, {})
        return RuleRef(rid, r.get("title"), r.get("title_en"), r.get("layer"), r.get("rank"))

    under_objection = {r["id"] for r in records if r.get("under_objection")}
    rec_out = []
    for r in records:
        pub, rep = r["publication"], r["repair"]
        shown = r["publishable"]
        rec_out.append(
            RecordAnswer(
                id=r["id"],
                status=r["status"],
                severity=r["severity"],
                publishable=r["publishable"],
                usable_for_sanction=r["usable_for_sanction"],
                under_objection=bool(r.get("under_objection")),
                archived=bool(r.get("archived")),
                validity_until=r.get("validity_until"),
                published_from=pub["from"] if shown else None,
                published_min_until=pub["min_until"] if shown else None,
                published_max_until=pub["max_until"] if shown else None,
                repair_eligible=rep["eligible"],
                repair_earliest_on=rep["earliest_on"],
                repair_unmet=tuple(dict.fromkeys(rep["unmet"])),
                repair_never=rep["never"],
                repair_routes=tuple(rep.get("routes") or ()),
                marks=marks.of(r["basis"]),
                publication_marks=marks.of(pub["basis"]) if shown else (),
                repair_marks=marks.of(rep["basis"]),
            )
        )

    def overdue(dl: dict[str, Any]) -> bool:
        if not dl.get("due") or date.fromisoformat(dl["due"]) >= date.fromisoformat(as_of):
            return False
        settled = dl["procedure"].startswith("objection.") and dl.get("record") not in (
            under_objection
        )
        return not settled

    displaced_raw = d.get("displaced") or []
    groups: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for x in displaced_raw:
        groups.setdefault((x["fact"], x["on"], tuple(x["by"])), []).append(x["rule"])
    displaced = tuple(
        Displacement(fact, on, tuple(ref(r) for r in sorted(rules)), tuple(ref(b) for b in by))
        for (fact, on, by), rules in sorted(groups.items())
    )
    on_of: dict[tuple[str, str], list[str]] = {}
    for x in displaced_raw:
        on_of.setdefault((x["rule"], x["fact"]), []).append(x["on"])

    fired = tuple(
        FiredRule(
            rule=ref(t["rule"]),
            fact=t["fact"],
            displaced_on=tuple(sorted(on_of.get((t["rule"], t["fact"]), ()))),
            displaced_by=tuple(t.get("overridden_by") or ()),
            marks=marks.of(t["basis"]),
        )
        for t in fired_entries
    )
    unfired = (
        tuple(
            UnfiredRule(t["rule"], t["fact"], t.get("why_not"))
            for t in d["trace"]
            if not t["fired"]
        )
        if all_rules
        else ()
    )

    rs = d["ruleset"]
    counts: dict[str, int] = {}
    ranks: dict[str, set[str]] = {}
    for f in fired:
        layer = f.rule.layer or f"{rs['id']}@{rs['version']}"
        counts[layer] = counts.get(layer, 0) + 1
        if f.rule.rank:
            ranks.setdefault(layer, set()).add(f.rule.rank)
    has_layers = bool(rule_info)

    def layer_of(x: dict[str, Any], evaluated: bool) -> LayerAnswer:
        r = f"{x['id']}@{x['version']}"
        return LayerAnswer(
            x["id"],
            x["version"],
            x["sha256"],
            evaluated,
            # Decisions made before rules carried their layer: every fired rule counts for
            # the evaluated version (nothing better is known).
            counts.get(r, 0) if has_layers or evaluated else 0,
            tuple(sorted(ranks.get(r, ()), key=rank_key)),
        )

    return Explanation(
        as_of=as_of,
        subject_id=d["subject"]["id"],
        subject_type=d["subject"]["type"],
        ruleset=layer_of(rs, True),
        layers=tuple(layer_of(x, False) for x in rs.get("layers") or []),
        records=tuple(rec_out),
        lists=tuple(
            ListAnswer(
                e["list"],
                e["active"],
                e["since"],
                e["until"],
                tuple(e["because"]),
                marks.of(e["basis"]),
            )
            for e in d.get("lists") or []
        ),
        measures=tuple(
            MeasureAnswer(
                m["id"],
                m["title"],
                m.get("title_en"),
                m["kind"],
                m["target"],
                m.get("person"),
                m["until"],
                tuple(m["because"]),
                marks.of(m["basis"]),
            )
            for m in d.get("measures") or []
        ),
        matters=tuple(
            MatterAnswer(
                m["matter"],
                m["outcome"],
                tuple(m["measures"]),
                None
                if m["outcome"] is not None
                else ("undecided" if " decides " in (m.get("reason") or "") else "not_applicable"),
                marks.of(m["basis"]),
            )
            for m in d.get("matters") or []
        ),
        deadlines=tuple(
            DeadlineAnswer(
                dl["procedure"],
                dl.get("record"),
                dl["from"],
                dl["due"],
                dl["duration"],
                dl.get("working_days"),
                dl.get("error"),
                overdue(dl),
                marks.of(dl["basis"]),
            )
            for dl in d.get("deadlines") or []
        ),
        grade=(
            GradeAnswer(
                d["grade"]["code"],
                d["grade"]["title"],
                d["grade"]["supervision"],
                marks.of(d["grade"]["basis"]),
            )
            if d.get("grade")
            else None
        ),
        warnings=tuple(
            Warning(w["code"], w["field"], w["zh"], w["en"]) for w in d.get("warnings") or []
        ),
        displaced=displaced,
        fired=fired,
        unfired=unfired,
        documents=marks.documents,
    )
