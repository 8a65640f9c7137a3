"""Citations that carry the law: Chinese texts, document numbers, and support.

Three checks on what a decision will show its reader:

- CR701: every article text is Chinese. A run of three or more Latin-letter words, or a
  "[译述]"/gloss marker, is an English text (an English gloss is not the law).
- CR702: a rule's citations support what it concludes. Each conclusion has a topic (a
  period, a deadline, a list, a measure, a matter, a repair answer, a status, a class, a
  grade); a cited article supports a topic when it declares it in ``decides`` or its text
  says it in the words of that topic (``TOPIC_WORDS``). At least one citation of the rule
  (or, for a period or deadline whose duration is a parameter, one of the parameter's
  citations) must support each topic the rule concludes. The same holds for a parameter
  used as a duration: its citations must support a period.
- CR703: a document cited without a 文号 states why (``no_number_reason``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from creditrules.diagnostics import Diagnostic, Span
from creditrules.loader import Ruleset
from creditrules.model.ruleset import Article, Citation, Rule, Then, Topic

__all__ = ["TOPIC_WORDS", "check_citation_law", "english_run", "rule_topics", "supports"]

#: Three Latin-letter words in a row: an English sentence, not a Chinese article.
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[\s,.;:'’()/-]+[A-Za-z]{2,}){2,}")
_GLOSS = re.compile(r"\[译述\]|\bgloss\b", re.IGNORECASE)

_DURATION = r"[0-9０-９一二三四五六七八九十百两半]+\s*(?:个)?\s*(?:年|月|日|天|周|工作日)"
_MEASURE = r"措施|惩戒|激励|限制|禁止|不得|取消|暂停|优先|便利|监管|检查|约束|从严|倾斜|奖励|消费|提示|应用|使用|警示|记入"

#: The words by which an article's text shows that it decides a topic (regular expressions).
TOPIC_WORDS: dict[Topic, re.Pattern[str]] = {
    "period": re.compile(_DURATION + r"|期限|有效期|公示期|届满|期满|期间"),
    "deadline": re.compile(_DURATION + r"|期限|时限|日内|月内|每月|下月|每季|季度|年内"),
    "list": re.compile(r"名单|名录|列入|纳入|移出"),
    "measure": re.compile(_MEASURE),
    "matter": re.compile(
        _MEASURE
        + r"|采购|招标|投标|资金|补贴|扶持|评优|评先|表彰|审批|告知承诺|晋升|任用|准入|融资"
    ),
    "repair": re.compile(
        r"修复|移出|删除|撤销|更正|停止公布|停止公示|终止公示|提前|申请|承诺|纠正|履行|不得"
    ),
    "status": re.compile(
        r"公示|公开|公布|发布|查询|使用|共享|有效期|期限|届满|删除|撤销|更正|异议|归集|报送|记录|记载|保存|修复|标识|应用|依据|认定|纳入|列入"
    ),
    "classification": re.compile(r"严重|一般|轻微|较重|情节|分类|程度"),
    "grade": re.compile(r"等级|级|评价|分类"),
}

#: Which topic a value written by ``set``/``classify`` concludes; other values are not checked.
_SET_TOPICS: dict[str, Topic] = {
    "status": "status",
    "publishable": "status",
    "usable_for_sanction": "status",
    "archived": "status",
    "negative": "status",
    "severity": "classification",
}


def english_run(text: str) -> str | None:
    """The first English run (or gloss marker) in a text, or None if it reads as Chinese."""
    m = _GLOSS.search(text) or _ENGLISH.search(text)
    return m.group(0) if m else None


def rule_topics(then: Then) -> list[Topic]:
    """The topics a rule's conclusion decides, in a stable order."""
    out: list[Topic] = []

    def add(t: Topic) -> None:
        if t not in out:
            out.append(t)

    for key in ("set", "classify"):
        for attr in getattr(then, key) or {}:
            if attr in _SET_TOPICS:
                add(_SET_TOPICS[attr])
    if then.period is not None:
        add("period")
    if then.list is not None:
        add("list")
    if then.measure is not None:
        add("measure")
    if then.matter is not None:
        add("matter")
    if then.deadline is not None:
        add("deadline")
    if any(
        getattr(then, k) is not None
        for k in ("repair_unmet", "repair_never", "repair_route", "repair_after")
    ):
        add("repair")
    if then.grade is not None:
        add("grade")
    return out


def supports(article: Article, topic: Topic) -> bool:
    """Whether the article decides the topic: declared in ``decides`` or said in its words."""
    return topic in article.decides or bool(TOPIC_WORDS[topic].search(article.text))


def _articles(rs: Ruleset, cites: list[Citation]) -> list[Article]:
    docs = rs.all_documents()
    out = []
    for c in cites:
        doc = docs.get(c.document)
        art = next((a for a in doc.articles if a.id == c.article), None) if doc else None
        if art is not None:  # unresolved citations are CR303/CR304
            out.append(art)
    return out


def _durations(then: Then) -> list[str]:
    """The durations a conclusion computes with (periods, list terms, deadlines)."""
    out = [
        then.period.duration if then.period else None,
        then.list.term if then.list else None,
        then.deadline.duration if then.deadline else None,
    ]
    return [d for d in out if d]


def _param_cites(rs: Ruleset, then: Then) -> list[Citation]:
    params = rs.all_parameters()
    out: list[Citation] = []
    for d in _durations(then):
        if d.startswith("param:") and d.removeprefix("param:") in params:
            out += params[d.removeprefix("param:")].cites
    return out


def _check_rule_support(rs: Ruleset, rule: Rule) -> Iterator[Diagnostic]:
    if not rule.cites:
        return  # CR305
    own = _articles(rs, rule.cites)
    params = _articles(rs, _param_cites(rs, rule.then))
    loc = rs.locate("rule", rule.id)
    for topic in rule_topics(rule.then):
        pool = own + (params if topic in ("period", "deadline", "list") else [])
        if pool and not any(supports(a, topic) for a in pool):
            cited = "、".join(f"{c.document} {c.article}" for c in rule.cites)
            yield Diagnostic(
                "CR702",
                f"the rule concludes a {topic}, but no article it cites ({cited}) decides one",
                loc.span("cites") if loc else None,
                rule=rule.id,
            )


def _check_parameter_support(rs: Ruleset) -> Iterator[Diagnostic]:
    used: set[str] = set()
    for r in rs.all_rules():
        for d in _durations(r.then):
            if d.startswith("param:"):
                used.add(d.removeprefix("param:"))
    for name, p in rs.parameters.items():
        if name not in used or not p.cites:
            continue
        arts = _articles(rs, p.cites)
        if arts and not any(supports(a, "period") or supports(a, "deadline") for a in arts):
            loc = rs.locate("parameter", name)
            cited = "、".join(f"{c.document} {c.article}" for c in p.cites)
            yield Diagnostic(
                "CR702",
                f"parameter '{name}' is a duration, but no article it cites ({cited}) sets a period",
                loc.span("cites") if loc else None,
                help="cite the article that sets the period, or register the provision under a label with `unverified:` saying why its article is not known",
            )


def check_citation_law(rs: Ruleset) -> list[Diagnostic]:
    """CR701, CR702 and CR703 on this ruleset's own documents, rules and parameters."""
    diags: list[Diagnostic] = []
    for key, doc in rs.documents.items():
        loc = rs.locate("document", key)
        if not doc.number and not (doc.no_number_reason or "").strip():
            diags.append(
                Diagnostic(
                    "CR703",
                    f"document '{key}' has no number and says no reason for having none",
                    loc.span("key") if loc else None,
                )
            )
        for i, art in enumerate(doc.articles):
            for field, value in (("text", art.text), ("unverified", art.unverified or "")):
                run = english_run(value)
                if run is not None:
                    span: Span | None = loc.span("articles", i, field) if loc else None
                    diags.append(
                        Diagnostic(
                            "CR701",
                            f"{key} {art.id}: the {field} is not Chinese ('{run[:40]}')",
                            span,
                        )
                    )
    for rule in rs.rules:
        diags += _check_rule_support(rs, rule)
    diags += _check_parameter_support(rs)
    return diags
