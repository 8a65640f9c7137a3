"""Rulesets as static HTML pages in Chinese, each rule beside the law it cites.

One page per ruleset version and an index page, for policy staff who will not read YAML.
Every page stands alone: its style sheet and its one script (the search box that filters
the rules by id, text or article) are inline, and its Content-Security-Policy admits only
those two, by hash, so a page opened from disk loads nothing from anywhere. Ruleset text
is untrusted: the templates autoescape everything, and nothing the ruleset says becomes
markup except the ``code`` marks this module adds around field names it has escaped.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from creditrules.explain.terms import ZH_TERMS as _ZH_TERMS
from creditrules.loader import Ruleset, parent_versions
from creditrules.model.ruleset import Citation, Document
from creditrules.render.words import KIND_MARK, condition_zh, duration_zh, then_zh

#: What a rule is written about.
FACT_ZH = {"subject": "信用主体", "record": "信用信息", "event": "事件"}
#: The periods a rule may compute.
PERIOD_ZH = {
    "validity": "使用期限",
    "publication_min": "最短公示期",
    "publication_max": "最长公示期",
    "repair_wait": "修复等待期",
    "list_term": "名单期限",
    "lookback": "回溯期",
}
#: The reliability tags of a parameter (docs/zh/guide.md): A and B are settled by the
#: sources, C and U are not, and stay configurable.
TAG_ZH = {
    "A": "A 已核实",
    "B": "B 有出处",
    "C": "C 未确证，可配置",
    "U": "U 未知，可配置",
}
SCOPE_ZH = {"national": "全国", "local": "地方"}


def term_zh(code: str | None) -> str:
    """The Chinese name of a stable id (list, matter, measure kind, ...), or the id as written."""
    if code is None:
        return "—"
    return _ZH_TERMS.get(code, code)


def outcome_zh(code: str | None) -> str:
    """准予 / 优先 / 限制 / 禁止."""
    return "无规则" if code is None else _ZH_TERMS.get(code, code)


_CODE = re.compile(r"`([^`]*)`")


def code_marks(text: str) -> Markup:
    """Escape ``text``, then show its backticked field names and values as ``<code>``."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


# ---------------------------------------------------------------- the Jinja environment


@cache
def _asset(name: str) -> str:
    return (resources.files("creditrules.render") / "templates" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def environment() -> Environment:
    """Templates from the package, every value escaped unless it is ``Markup``."""
    env = Environment(
        loader=PackageLoader("creditrules.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = code_marks
    env.filters["term"] = term_zh
    env.filters["outcome"] = outcome_zh
    env.filters["duration"] = duration_zh
    return env


def page(template: str, **context: Any) -> str:
    """A whole HTML page: the template with the inline style sheet, script and CSP."""
    css = _asset("page.css")
    js = _asset("search.js")
    csp = (
        "default-src 'none'; "
        f"style-src 'sha256-{_sha256(css)}'; "
        f"script-src 'sha256-{_sha256(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        environment()
        .get_template(template)
        .render(css=Markup(css), js=Markup(js), csp=csp, **context)
    )


# ---------------------------------------------------------------- what a page shows


@dataclass
class CiteView:
    """One cited article, resolved against the ruleset's registry of documents."""

    document: str
    title: str
    number: str | None
    no_number_reason: str | None
    rank: str | None
    article: str
    text: str | None
    mark: str
    unverified: str | None
    quote: str | None

    @property
    def search(self) -> str:
        return " ".join(
            x for x in (self.number, self.title, self.article, self.text, self.quote) if x
        )


def cite_view(c: Citation, docs: dict[str, Document]) -> CiteView:
    """The article a citation names; ``text`` is None when the registry lacks it (validate
    reports that as an error; the page says so rather than leaving the rule bare)."""
    doc = docs.get(c.document)
    art = next((a for a in doc.articles if a.id == c.article), None) if doc else None
    return CiteView(
        document=c.document,
        title=doc.title if doc else c.document,
        number=doc.number if doc else None,
        no_number_reason=doc.no_number_reason if doc else None,
        rank=doc.rank if doc else None,
        article=c.article,
        text=art.text if art else None,
        mark=KIND_MARK[art.kind] if art else "",
        unverified=art.unverified if art else None,
        quote=c.quote,
    )


@dataclass
class RuleView:
    id: str
    title: str
    applies_to: str
    default: bool
    condition: Markup
    conclusions: list[Markup]
    overrides: list[str]
    defers_to: list[str]
    note: str | None
    cites: list[CiteView]
    search: str = ""


@dataclass
class Row:
    """A line of a summary table (periods, matters): what, and the rule it comes from."""

    what: str
    detail: str
    rule: str


@dataclass
class RulesetPage:
    """Everything one ruleset version's page shows."""

    rs: Ruleset
    rules: list[RuleView]
    periods: list[Row]
    deadlines: list[Row]
    matters: list[Row]
    measures: list[dict[str, Any]]
    lists: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    parameters: list[dict[str, Any]]
    parents: list[tuple[str, str, str]] = field(default_factory=list)


def _rule_view(rs: Ruleset, rule: Any, docs: dict[str, Document]) -> RuleView:
    cites = [cite_view(c, docs) for c in rule.cites]
    conclusions = [code_marks(t) for t in then_zh(rule)]
    view = RuleView(
        id=rule.id,
        title=rule.title,
        applies_to=FACT_ZH.get(rule.applies_to, rule.applies_to),
        default=rule.default,
        condition=code_marks(condition_zh(rule.when)),
        conclusions=conclusions,
        overrides=list(rule.overrides),
        defers_to=list(rule.defers.to) if rule.defers else [],
        note=rule.note,
        cites=cites,
    )
    view.search = " ".join(
        [
            rule.id,
            rule.title,
            condition_zh(rule.when),
            *then_zh(rule),
            *(c.search for c in cites),
        ]
    ).replace("`", "")
    return view


def _duration(rs: Ruleset, text: str) -> str:
    try:
        return duration_zh(rs.duration(text))
    except KeyError:
        return text


def ruleset_page(rs: Ruleset) -> RulesetPage:
    """What the page of one ruleset version shows: its own rules, measures, lists, notes and
    parameters (those of the versions it extends are on their own pages)."""
    docs = rs.all_documents()
    rules = [_rule_view(rs, r, docs) for r in rs.rules]
    periods, deadlines, matters = [], [], []
    for r in rs.rules:
        t = r.then
        if t.period:
            periods.append(
                Row(
                    PERIOD_ZH.get(t.period.name, t.period.name),
                    f"自 {t.period.from_} 起 {_duration(rs, t.period.duration)}"
                    + ("（届满后方可申请修复）" if t.period.gates_repair else ""),
                    r.id,
                )
            )
        if t.list and t.list.term:
            periods.append(
                Row(
                    f"名单期限（{term_zh(t.list.id)}）",
                    f"自 {t.list.since} 起 {_duration(rs, t.list.term)}",
                    r.id,
                )
            )
        if t.deadline:
            deadlines.append(
                Row(
                    term_zh(t.deadline.procedure),
                    _duration(rs, t.deadline.duration),
                    r.id,
                )
            )
        if t.matter:
            matters.append(
                Row(
                    _vocab_title(rs, "matters", t.matter.matter),
                    outcome_zh(t.matter.outcome),
                    r.id,
                )
            )
    measures = [
        {
            "id": mid,
            "title": m.title,
            "kind": term_zh(m.kind),
            "target": term_zh(m.target),
            "bars": [_vocab_title(rs, "matters", b) for b in m.bars],
            "rests_on": list(m.rests_on),
            "of_list": m.of_list,
            "cites": [cite_view(c, docs) for c in m.cites],
        }
        for mid, m in rs.measures.items()
    ]
    lists = [
        {
            "id": lid,
            "title": ld.title,
            "scope": SCOPE_ZH.get(ld.scope, ld.scope),
            "serious": ld.serious,
            "decided_by": ld.decided_by,
            "term": _duration(rs, ld.term) if ld.term else None,
            "measures": list(ld.measures),
            "matters": [
                (_vocab_title(rs, "matters", k), outcome_zh(v)) for k, v in ld.matters.items()
            ],
            "note": ld.note,
            "cites": [
                cite_view(c, docs)
                for c in [
                    *ld.criteria,
                    *(ld.removal.conditions if ld.removal else []),
                    *(ld.removal.procedure if ld.removal else []),
                    *(ld.removal.remedies if ld.removal else []),
                ]
            ],
        }
        for lid, ld in rs.lists.items()
    ]
    notes = [
        {
            "id": n.id,
            "text": n.text.strip(),
            "scenarios": list(n.scenarios),
            "cites": [cite_view(c, docs) for c in n.cites],
        }
        for n in rs.notes
    ]
    parameters = [
        {
            "name": p.name,
            "title": p.title,
            "value": _duration(rs, str(p.value)),
            "tag": TAG_ZH.get(p.tag, p.tag),
            "note": p.note,
            "cites": [cite_view(c, docs) for c in p.cites],
        }
        for p in rs.parameters.values()
    ]
    parents = []
    if rs.manifest.extends:
        versions = parent_versions(rs)
        if versions:
            parents = [
                (
                    e.id,
                    e.version,
                    f"{e.manifest.effective_from} – {e.manifest.effective_to or ''}",
                )
                for e in versions
            ]
        elif rs.parent is not None:
            parents = [(rs.parent.id, rs.parent.version, "")]
    return RulesetPage(
        rs, rules, periods, deadlines, matters, measures, lists, notes, parameters, parents
    )


def _vocab_title(rs: Ruleset, kind: str, code: str) -> str:
    for v in getattr(rs.vocabulary(), kind):
        if v.id == code:
            return str(v.title)
    return term_zh(code)


def render_ruleset_html(rs: Ruleset) -> str:
    """One ruleset version as a standalone HTML page."""
    return page("ruleset.html.j2", p=ruleset_page(rs), m=rs.manifest)


@dataclass
class IndexRow:
    id: str
    version: str
    title: str
    number: str | None
    effective_from: str
    effective_to: str | None
    href: str


def render_index_html(rows: Iterable[IndexRow]) -> str:
    """The index page: every ruleset version rendered, with a link to its page."""
    return page("index.html.j2", rows=list(rows))


def render_tree_html(
    entries: list[tuple[Ruleset, Path]],
    out: Path,
    on_page: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write each ruleset's page to its path under ``out``, then ``out/index.html``."""
    rows = []
    written = []
    for rs, target in entries:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_ruleset_html(rs), encoding="utf-8")
        written.append(target)
        if on_page is not None:
            on_page(target)
        m = rs.manifest
        rows.append(
            IndexRow(
                rs.id,
                rs.version,
                m.title,
                m.number,
                str(m.effective_from),
                str(m.effective_to) if m.effective_to else None,
                target.relative_to(out).as_posix(),
            )
        )
    index = out / "index.html"
    out.mkdir(parents=True, exist_ok=True)
    index.write_text(render_index_html(rows), encoding="utf-8")
    written.append(index)
    return written
