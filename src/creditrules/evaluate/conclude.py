"""Turn fired rules into values: rank, defaults, overrides and conflicts.

The hierarchy of law comes first: a rule of a lower-ranked instrument may not displace
the conclusion of a higher-ranked one (立法法 第九十九条 ff., model/ranks.yaml), nor may a
rule whose article says 另有规定的除外 stand against a rule of a rank it yields to. Within
that, law is written as defaults with exceptions. A rule marked ``default`` gives way to
other rules deciding the same value (all of them, or those of the ranks its ``defers``
names); a rule that ``overrides`` another wins over it; two remaining rules that disagree
are a conflict, raised — never a silent winner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creditrules.errors import RuleConflictError
from creditrules.loader import Ruleset
from creditrules.model.rank import Ranking
from creditrules.model.ruleset import Rule
from creditrules.model.vocab import ORDER_OF_OUTCOMES


@dataclass
class Claim:
    """One fired rule's answer for one value of one fact."""

    rule: Rule
    value: Any


@dataclass
class Resolution:
    """The value decided, who decided it, and who was overridden."""

    value: Any
    deciders: list[Rule]
    overridden: dict[str, list[str]] = field(default_factory=dict)
    several: bool = False


def resolve(
    claims: list[Claim],
    *,
    fact: str,
    attribute: str,
    precedence: list[str] | None = None,
    several: bool = False,
    ranking: Ranking | None = None,
) -> Resolution:
    """Pick the value among the claims of fired rules, or raise a conflict.

    ``precedence`` is the ruleset's declared order of values for the attribute (first
    wins), the declared precedence between rules that disagree. With ``several``, rules
    that still disagree all stand (each deadline of each authority is reported).
    """
    live = claims
    overridden: dict[str, list[str]] = {}
    if any(not c.rule.default for c in live):
        kept = []
        for c in live:
            if not c.rule.default:
                kept.append(c)
                continue
            beaten = [
                o.rule.id
                for o in live
                if not o.rule.default
                and (ranking is None or ranking.gives_way(c.rule.id, o.rule.id))
            ]
            if beaten:
                overridden.setdefault(c.rule.id, []).extend(beaten)
            else:
                kept.append(c)
        live = kept
    if ranking is not None and len(live) > 1 and not several:
        # The hierarchy of law: a lower rule's different answer gives way to a higher one's.
        # (Deadlines of several authorities each stand: each binds its own authority.)
        kept = []
        for c in live:
            above = [
                o.rule.id
                for o in live
                if o is not c
                and _key(o.value) != _key(c.value)
                and ranking.prevails(o.rule.id, c.rule.id)
            ]
            if above:
                overridden.setdefault(c.rule.id, []).extend(above)
            else:
                kept.append(c)
        live = kept
    winners = []
    for c in live:
        # A rule naming itself in ``overrides`` (validation refuses it, CR306) is not beaten
        # by itself.
        beaten_by = [
            o.rule.id for o in live if o.rule.id != c.rule.id and c.rule.id in o.rule.overrides
        ]
        if beaten_by:
            overridden.setdefault(c.rule.id, []).extend(beaten_by)
        else:
            winners.append(c)
    if not winners:
        # Every claim is set aside by another: the declared overrides go round in a circle,
        # and nothing says which rule prevails.
        ids = [c.rule.id for c in live]
        raise RuleConflictError(
            f"conflict on {attribute} of {fact}: {', '.join(ids)} override each other in a "
            "circle; only one of them may override the others",
            rules=ids,
            attribute=attribute,
            fact=fact,
        )
    values = {_key(c.value) for c in winners}
    if len(values) > 1 and precedence:
        ranked = [c for c in winners if str(c.value).lower() in precedence]
        if len(ranked) == len(winners):
            best = min(precedence.index(str(c.value).lower()) for c in winners)
            top = [c for c in winners if precedence.index(str(c.value).lower()) == best]
            for c in winners:
                if c not in top:
                    overridden.setdefault(c.rule.id, []).extend(t.rule.id for t in top)
            winners = top
            values = {_key(c.value) for c in winners}
    if len(values) > 1 and several:
        return Resolution(
            [c.value for c in winners], [c.rule for c in winners], overridden, several=True
        )
    if len(values) > 1:
        ids = [c.rule.id for c in winners]
        shown = ", ".join(f"{c.rule.id} says {c.value!r}" for c in winners)
        raise RuleConflictError(
            f"conflict on {attribute} of {fact}: {shown}; declare which rule overrides the other",
            rules=ids,
            attribute=attribute,
            fact=fact,
        )
    return Resolution(winners[0].value, [c.rule for c in winners], overridden)


def _key(v: Any) -> Any:
    return repr(v)


def decide(rs: Ruleset, what: str, claims: list[Claim], *, fact: str) -> Resolution:
    """How an evaluation decides one value of one fact from the claims of the rules that
    fired on it (raises ``RuleConflictError``). The evaluation loop and the conflict check
    of ``creditrules validate`` (``evaluate/conflicts.py``) both call this, so the check
    proves exactly what evaluation does."""
    if what.startswith("matter:"):
        return combine_matters(claims)
    return resolve(
        claims,
        fact=fact,
        attribute=what,
        precedence=rs.precedence().get(what),
        several=what.startswith("deadline:"),
        ranking=rs.ranking(),
    )


def combine_matters(claims: list[Claim]) -> Resolution:
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
