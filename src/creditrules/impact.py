"""What changes if: a case corpus decided under two ruleset versions, every change reported.

``impact(old, new, cases)`` decides every case under both rulesets (each loaded once; the
cases' own dates, or one ``as_of``) and returns each case whose conclusions differ, with
the conclusions that differ and the rules whose firing differs, grouped by rule and by the
article each of those rules cites: what policy staff need before publishing an amendment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creditrules.api import evaluate
from creditrules.errors import CreditRulesError
from creditrules.loader import Ruleset

__all__ = ["CONCLUSIONS", "CaseChange", "ImpactReport", "impact"]

#: The parts of a decision compared (the trace, ids and ruleset hash always differ).
CONCLUSIONS = ("records", "lists", "measures", "matters", "deadlines", "grade")


@dataclass
class CaseChange:
    """One case whose decision changes: where in it, and which rules fire differently."""

    line: int
    subject: str
    parts: list[str]
    rules: list[str]
    old_error: str | None = None
    new_error: str | None = None


@dataclass
class ImpactReport:
    old: str
    new: str
    cases: int = 0
    changed: list[CaseChange] = field(default_factory=list)
    by_rule: dict[str, int] = field(default_factory=dict)
    by_article: dict[str, int] = field(default_factory=dict)
    rule_articles: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "cases": self.cases,
            "changed": len(self.changed),
            "by_rule": dict(sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_article": dict(sorted(self.by_article.items(), key=lambda kv: (-kv[1], kv[0]))),
            "rule_articles": self.rule_articles,
            "changes": [c.__dict__ for c in self.changed],
        }


def _fired(d: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """What each rule did to each fact it fired on: a rule counts as changed when it fires on
    other facts, with another effect (a period of P2Y instead of P1Y), or on other articles."""
    return {
        (
            t["rule"],
            t["fact"],
            t.get("effect") or "",
            repr([(b["number"], b["article"], b["text"]) for b in t["basis"]]),
        )
        for t in d["trace"]
        if t["fired"]
    }


def _articles(d: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in d["trace"]:
        if t["rule"] not in out:
            out[t["rule"]] = [
                f"{b.get('number') or b['document']} {b['article']}" for b in t["basis"]
            ]
    return out


def _decide(rs: Ruleset, case: Any, as_of: date | None) -> tuple[dict[str, Any] | None, str | None]:
    try:
        d = evaluate(rs, case, as_of=as_of).model_dump(mode="json", by_alias=True)
        return d, None
    except CreditRulesError as exc:
        return None, str(exc)


def impact(
    old: Ruleset,
    new: Ruleset,
    cases: Iterable[tuple[int, Any]],
    *,
    as_of: date | None = None,
) -> ImpactReport:
    """Decide each (line, case) under both rulesets and report what differs."""
    report = ImpactReport(old.ref, new.ref)
    for line, case in cases:
        report.cases += 1
        a, a_err = _decide(old, case, as_of)
        b, b_err = _decide(new, case, as_of)
        subject = "?"
        if a is not None:
            subject = a["subject"]["id"]
        elif b is not None:
            subject = b["subject"]["id"]
        if a is None or b is None:
            if a_err == b_err:
                continue  # refused alike: not a change of the rules
            report.changed.append(CaseChange(line, subject, ["decision"], [], a_err, b_err))
            continue
        parts = [k for k in CONCLUSIONS if a.get(k) != b.get(k)]
        if not parts:
            continue
        rules = sorted({f[0] for f in _fired(a) ^ _fired(b)})
        report.changed.append(CaseChange(line, subject, parts, rules))
        arts = _articles(a) | _articles(b)
        for r in rules:
            report.by_rule[r] = report.by_rule.get(r, 0) + 1
            report.rule_articles.setdefault(r, arts.get(r, []))
            for art in arts.get(r, []):
                report.by_article[art] = report.by_article.get(art, 0) + 1
    return report
