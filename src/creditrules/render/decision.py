"""A decision as a static HTML page in Chinese: the answer first, then why.

The page puts into HTML what ``creditrules.explain.build`` says and in its order — the
answer (each record's status, publication and repair, the lists, measures, matters,
deadlines with those overdue on the evaluation date flagged, the grade), the ruleset layers
that decided, the conclusions set aside and by which rules, then every article of law once,
ordered by the rank of its instrument and by article, then the rules that fired, each beside
the articles it cites. Where the ruleset version that decided is at hand (bundled, by id and
version), each rule also shows its condition and conclusions in Chinese, and lists and matters
their Chinese names from its vocabulary; otherwise the page shows what the decision holds.

The same standalone page as the ruleset pages (``creditrules.render.html``): inline style and
search script admitted by hash, nothing fetched, everything escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from creditrules import api
from creditrules.errors import CreditRulesError
from creditrules.explain import Explanation, build
from creditrules.explain.model import Cite
from creditrules.loader import Ruleset, layered
from creditrules.model.decision import Decision
from creditrules.model.ruleset import Rule
from creditrules.render.html import FACT_ZH, code_marks, outcome_zh, page, term_zh
from creditrules.render.words import KIND_MARK, condition_zh, duration_zh, then_zh

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
#: Why a matter has no outcome (``MatterAnswer.no_rule``).
NO_RULE_ZH = {
    "undecided": "本规则集没有决定该事项的规则",
    "not_applicable": "没有适用于该主体的规则",
}


@dataclass
class Context:
    """The ruleset version that made the decision, when it can be loaded."""

    rules: dict[str, Rule] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
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
    ctx.rules = {r.id: r for r in rs.all_rules()}
    voc = rs.vocabulary()
    for kind in ("lists", "matters", "domains", "behaviors"):
        for v in getattr(voc, kind):
            ctx.names[v.id] = v.title
    return ctx


def _fact_zh(fact: str) -> str:
    kind, _, rest = fact.partition(":")
    return FACT_ZH.get(kind, kind) + (f" {rest}" if rest else "")


def _cite_view(c: Cite | dict[str, Any], n: int | None) -> dict[str, Any]:
    get = c.get if isinstance(c, dict) else lambda k, default=None: getattr(c, k, default)
    return {
        "n": n,
        "document": get("document"),
        "number": get("number"),
        "no_number_reason": get("no_number_reason"),
        "article": get("article"),
        "text": get("text"),
        "mark": KIND_MARK.get(get("kind") or "", ""),
        "unverified": get("unverified"),
        "rank": get("rank"),
    }


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
    ex: Explanation = build(d, all_rules=all_rules)
    ctx = _context(d)
    cites = {c.mark: _cite_view(c, c.mark) for c in ex.citations}

    def name(code: str | None) -> str:
        if code is None:
            return "—"
        return ctx.names.get(code) or term_zh(code)

    def rule_words(rid: str) -> tuple[str | None, Markup | None, list[Markup]]:
        rule = ctx.rules.get(rid)
        if rule is None:
            return None, None, []
        return (
            rule.title,
            code_marks(condition_zh(rule.when)),
            [code_marks(t) for t in then_zh(rule)],
        )

    records = [
        {
            "id": r.id,
            "severity": SEVERITY_ZH.get(r.severity or "", "未分级"),
            "status": STATUS_ZH.get(r.status, r.status),
            "publishable": r.publishable,
            "usable": r.usable_for_sanction,
            "objection": r.under_objection,
            "archived": r.archived,
            "validity_until": r.validity_until,
            "pub_from": r.published_from,
            "pub_min": r.published_min_until,
            "pub_max": r.published_max_until,
            "eligible": r.repair_eligible,
            "earliest": r.repair_earliest_on,
            "unmet": [term_zh(u) for u in r.repair_unmet],
            "never": r.repair_never,
            "routes": [term_zh(u) for u in r.repair_routes],
            "refs": sorted({*r.marks, *r.publication_marks, *r.repair_marks}),
        }
        for r in ex.records
    ]
    lists = [
        {
            "name": name(e.list),
            "id": e.list,
            "active": e.active,
            "since": e.since,
            "until": e.until,
            "because": list(e.because),
            "refs": list(e.marks),
        }
        for e in ex.lists
    ]
    measures = [
        {
            "title": m.title,
            "id": m.id,
            "kind": term_zh(m.kind),
            "target": term_zh(m.target),
            "person": m.person,
            "until": m.until,
            "because": list(m.because),
            "refs": list(m.marks),
        }
        for m in ex.measures
    ]
    matters = [
        {
            "name": name(m.matter),
            "id": m.matter,
            "outcome": outcome_zh(m.outcome) if m.outcome else "无规则适用",
            "why": NO_RULE_ZH.get(m.no_rule or "", "") if m.outcome is None else "",
            "decided": m.outcome is not None,
            "refs": list(m.marks),
        }
        for m in ex.matters
    ]
    deadlines = [
        {
            "name": term_zh(dl.procedure),
            "record": dl.record,
            "from": dl.start,
            "duration": duration_zh(dl.duration),
            "due": dl.due,
            "past": dl.overdue,
            "error": dl.error,
            "refs": list(dl.marks),
        }
        for dl in ex.deadlines
    ]
    grade = None
    if ex.grade is not None:
        g = ex.grade
        grade = {
            "code": g.code,
            "title": g.title,
            "supervision": SUPERVISION_ZH.get(g.supervision, g.supervision),
            "refs": list(g.marks),
        }
    by_rule = {(t["rule"], t["fact"]): t for t in d["trace"]}
    rules: list[dict[str, Any]] = []
    for f in ex.fired:
        title, when, then = rule_words(f.rule.id)
        laws = [cites[n] for n in f.marks]
        rules.append(
            {
                "id": f.rule.id,
                "title": title or f.rule.title,
                "fact": _fact_zh(f.fact),
                "fired": True,
                "when": when,
                "then": then,
                "effect": None if then else by_rule.get((f.rule.id, f.fact), {}).get("effect"),
                "why_not": None,
                "overridden_by": list(f.displaced_by),
                "layer": f.rule.layer,
                "rank": f.rule.rank,
                "laws": laws,
            }
        )
    for u in ex.unfired:
        title, when, _ = rule_words(u.rule)
        t = by_rule.get((u.rule, u.fact), {})
        rules.append(
            {
                "id": u.rule,
                "title": title,
                "fact": _fact_zh(u.fact),
                "fired": False,
                "when": when,
                "then": [],
                "effect": None,
                "why_not": u.why_not,
                "overridden_by": [],
                "layer": None,
                "rank": None,
                "laws": [_cite_view(c, None) for c in t.get("basis", [])],
            }
        )
    for item in rules:
        item["search"] = " ".join(
            [
                item["id"],
                item["title"] or "",
                item["fact"],
                *(
                    f"{x['number'] or ''} {x['document']} {x['article']} {x['text']}"
                    for x in item["laws"]
                ),
            ]
        )
    layers = [
        {"ref": x.ref, "sha": x.sha256[:12], "fired": x.fired, "ranks": list(x.ranks)}
        for x in (ex.ruleset, *ex.layers)
    ]
    displaced = [
        {
            "fact": _fact_zh(x.fact),
            "on": x.on,
            "rules": [r.title or r.id for r in x.rules],
            "by": [r.title or r.id for r in x.by],
        }
        for x in ex.displaced
    ]
    return page(
        "decision.html.j2",
        d=d,
        subject_type=term_zh(ex.subject_type),
        records=records,
        lists=lists,
        measures=measures,
        matters=matters,
        deadlines=deadlines,
        past=[x for x in deadlines if x["past"]],
        grade=grade,
        layers=layers,
        displaced=displaced,
        rules=rules,
        laws=list(cites.values()),
        all_rules=all_rules,
        same=ctx.same,
    )
