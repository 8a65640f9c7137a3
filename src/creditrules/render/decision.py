"""A decision as a static HTML page in Chinese: the answer first, then why.

Built from the Decision document alone (what ``creditrules evaluate`` prints): the answer —
each record's status, publication and repair, the lists, measures, matters, deadlines (those
already past on the evaluation date flagged) and grade — then every article the answer rests
on, each shown once, ordered by the rank of its instrument and the article's place in it,
then the rules that fired, each beside the articles it cites, with the layer that wrote it
and what overrode it. Where the ruleset that made the decision is at hand (bundled, by id and
version), the page takes the rules' Chinese titles and conclusions and the Chinese names of
lists and matters from it; otherwise it shows the ids as the decision gives them.

The same standalone page as the ruleset pages (``creditrules.render.html``): inline style and
search script admitted by hash, nothing fetched, everything escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creditrules import api
from creditrules.errors import CreditRulesError
from creditrules.loader import Ruleset, layered
from creditrules.model.decision import Decision
from creditrules.model.rank import hierarchy
from creditrules.model.ruleset import Rule
from creditrules.render.html import FACT_ZH, code_marks, outcome_zh, page, term_zh
from creditrules.render.words import KIND_MARK, duration_zh, then_zh

#: Record statuses, severities and supervision levels in Chinese.
STATUS_ZH = {
    "active": "有效",
    "expired": "已过有效期",
    "repaired": "已修复",
    "under_objection": "异议处理中",
    "corrected_away": "已更正删除",
    "refused": "不予归集",
}
SEVERITY_ZH = {"minor": "轻微失信", "general": "一般失信", "serious": "严重失信"}
SUPERVISION_ZH = {"reduced": "减少监管", "normal": "常规监管", "increased": "加强监管"}


@dataclass
class Law:
    """One article the decision rests on, numbered once for the whole page."""

    n: int
    document: str
    number: str | None
    no_number_reason: str | None
    article: str
    text: str
    mark: str
    unverified: str | None
    rank: str | None
    #: Sort key: rank of the instrument, the instrument, the article's place in it.
    key: tuple[int, str, int, str] = (99, "", 99999, "")


@dataclass
class Cited:
    """The citations of one conclusion, as numbers into the page's list of laws."""

    refs: list[int] = field(default_factory=list)


@dataclass
class Context:
    """The ruleset that made the decision, when it can be loaded: names and rule titles."""

    rules: dict[str, Rule] = field(default_factory=dict)
    layer_of: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    ranks: dict[tuple[str, str | None], str] = field(default_factory=dict)
    order: dict[tuple[str, str | None, str], int] = field(default_factory=dict)
    doc_order: dict[tuple[str, str | None], int] = field(default_factory=dict)
    same: bool | None = None


def _context(d: dict[str, Any]) -> Context:
    """Load the decision's ruleset version on the layers of its date, if it can be had."""
    ctx = Context()
    ref = f"{d['ruleset']['id']}@{d['ruleset']['version']}"
    try:
        rs: Ruleset = api.load_ruleset(ref)
        rs, _ = layered(rs, date.fromisoformat(d["as_of"]))
    except (CreditRulesError, KeyError, ValueError, OSError):
        return ctx
    ctx.same = rs.sha256 == d["ruleset"]["sha256"]
    for layer in [rs, *rs.layers()]:
        for r in layer.rules:
            ctx.layer_of.setdefault(r.id, layer.ref)
    ctx.rules = {r.id: r for r in rs.all_rules()}
    voc = rs.vocabulary()
    for kind in ("lists", "matters", "domains", "behaviors"):
        for v in getattr(voc, kind):
            ctx.names[v.id] = v.title
    for i, doc in enumerate(rs.all_documents().values()):
        k = (doc.title, doc.number)
        ctx.ranks[k] = doc.rank
        ctx.doc_order[k] = i
        for j, a in enumerate(doc.articles):
            ctx.order[(doc.title, doc.number, a.id)] = j
    return ctx


class _Laws:
    """Every citation of the page, numbered in the order first met, each once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_key: dict[tuple[str | None, str, str], Law] = {}
        self.ranks = {r: i for i, r in enumerate(hierarchy().ids)}

    def cite(self, basis: list[dict[str, Any]]) -> list[int]:
        out: list[int] = []
        for c in basis:
            key = (c.get("number"), c["document"], c["article"])
            law = self.by_key.get(key)
            if law is None:
                dk = (c["document"], c.get("number"))
                rank = self.ctx.ranks.get(dk)
                law = Law(
                    n=len(self.by_key) + 1,
                    document=c["document"],
                    number=c.get("number"),
                    no_number_reason=c.get("no_number_reason"),
                    article=c["article"],
                    text=c["text"],
                    mark=KIND_MARK.get(c.get("kind") or "", ""),
                    unverified=c.get("unverified"),
                    rank=rank,
                    key=(
                        self.ranks.get(rank or "", 99),
                        f"{self.ctx.doc_order.get(dk, 9999):05d}{c.get('number') or c['document']}",
                        self.ctx.order.get((c["document"], c.get("number"), c["article"]), 99999),
                        c["article"],
                    ),
                )
                self.by_key[key] = law
            if law.n not in out:
                out.append(law.n)
        return out

    def ordered(self) -> list[Law]:
        """By rank and article; renumbered so that [1] is the highest law."""
        laws = sorted(self.by_key.values(), key=lambda x: x.key)
        return laws


def _renumber(laws: list[Law]) -> dict[int, int]:
    return {law.n: i for i, law in enumerate(laws, start=1)}


def decision_page(decision: Decision | dict[str, Any], *, all_rules: bool = False) -> str:
    """The HTML page of one decision.

    Args:
        decision: a Decision or its JSON document.
        all_rules: also list the rules considered that did not fire, with why not.
    """
    d = (
        decision.model_dump(mode="json", by_alias=True)
        if isinstance(decision, Decision)
        else decision
    )
    ctx = _context(d)
    laws = _Laws(ctx)

    def name(code: str | None) -> str:
        if code is None:
            return "—"
        return ctx.names.get(code) or term_zh(code)

    as_of = d["as_of"]
    records = []
    for r in d["records"]:
        pub, rep = r["publication"], r["repair"]
        records.append(
            {
                "id": r["id"],
                "severity": SEVERITY_ZH.get(r["severity"] or "", "未分级"),
                "status": STATUS_ZH.get(r["status"], r["status"]),
                "publishable": r["publishable"],
                "usable": r["usable_for_sanction"],
                "objection": r.get("under_objection", False),
                "archived": r.get("archived", False),
                "validity_until": r.get("validity_until"),
                "pub_from": pub["from"],
                "pub_min": pub["min_until"],
                "pub_max": pub["max_until"],
                "eligible": rep["eligible"],
                "earliest": rep["earliest_on"],
                "unmet": [term_zh(u) for u in rep["unmet"]],
                "never": rep["never"],
                "routes": [term_zh(u) for u in rep.get("routes") or []],
                "refs": laws.cite(r["basis"] + pub["basis"] + rep["basis"]),
            }
        )
    lists = [
        {
            "name": name(e["list"]),
            "id": e["list"],
            "active": e["active"],
            "since": e["since"],
            "until": e["until"],
            "because": e["because"],
            "refs": laws.cite(e["basis"]),
        }
        for e in d["lists"]
    ]
    measures = [
        {
            "title": m["title"],
            "id": m["id"],
            "kind": term_zh(m["kind"]),
            "target": term_zh(m["target"]),
            "person": m.get("person"),
            "until": m["until"],
            "because": m["because"],
            "refs": laws.cite(m["basis"]),
        }
        for m in d["measures"]
    ]
    matters = [
        {
            "name": name(m["matter"]),
            "id": m["matter"],
            "outcome": outcome_zh(m["outcome"]) if m["outcome"] else "无规则适用",
            "decided": m["outcome"] is not None,
            "measures": m["measures"],
            "refs": laws.cite(m["basis"]),
        }
        for m in d["matters"]
    ]
    deadlines = [
        {
            "name": term_zh(dl["procedure"]),
            "record": dl.get("record"),
            "from": dl["from"],
            "duration": duration_zh(dl["duration"]),
            "due": dl["due"],
            "past": dl["due"] is not None and dl["due"] < as_of,
            "error": dl.get("error"),
            "refs": laws.cite(dl["basis"]),
        }
        for dl in d["deadlines"]
    ]
    grade = None
    if d.get("grade"):
        g = d["grade"]
        grade = {
            "code": g["code"],
            "title": g["title"],
            "supervision": SUPERVISION_ZH.get(g["supervision"], g["supervision"]),
            "refs": laws.cite(g["basis"]),
        }
    rules = []
    for t in d["trace"]:
        if not t["fired"] and not all_rules:
            continue
        rule = ctx.rules.get(t["rule"])
        then = [code_marks(x) for x in then_zh(rule)] if rule is not None else []
        fact_kind, _, fact_id = t["fact"].partition(":")
        rules.append(
            {
                "id": t["rule"],
                "title": rule.title if rule is not None else None,
                "fact": FACT_ZH.get(fact_kind, fact_kind) + (f" {fact_id}" if fact_id else ""),
                "fired": t["fired"],
                "then": then,
                "effect": t.get("effect"),
                "why_not": t.get("why_not"),
                "overridden_by": t.get("overridden_by") or [],
                "layer": ctx.layer_of.get(t["rule"]),
                "refs": laws.cite(t["basis"]),
            }
        )
    ordered = laws.ordered()
    renumber = _renumber(ordered)
    for group in (records, lists, measures, matters, deadlines, rules, [grade] if grade else []):
        for item in group:
            item["refs"] = sorted(renumber[n] for n in item["refs"])
    for law in ordered:
        law.n = renumber[law.n]
    for item in rules:
        item["laws"] = [ordered[n - 1] for n in item["refs"]]
        item["search"] = " ".join(
            [
                item["id"],
                item["title"] or "",
                item["fact"],
                item["effect"] or "",
                *(f"{x.number or ''} {x.document} {x.article} {x.text}" for x in item["laws"]),
            ]
        )
    past = [x for x in deadlines if x["past"]]
    return page(
        "decision.html.j2",
        d=d,
        subject_type=term_zh(d["subject"]["type"]),
        records=records,
        lists=lists,
        measures=measures,
        matters=matters,
        deadlines=deadlines,
        past=past,
        grade=grade,
        rules=rules,
        laws=ordered,
        all_rules=all_rules,
        same=ctx.same,
    )
