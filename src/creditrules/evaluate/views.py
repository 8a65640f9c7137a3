"""What a sanction rule reads: conclusions at its own rank (model/ranks.yaml ``read_at_rank``).

A rule that concludes a sanction (a list entry, a measure, a matter answer) reads the
conclusions about a record or subject (its status, class, publication) as the rules of its
own rank or higher decide them. A conclusion of a rule its own conclusion prevails over (a
lower-ranked instrument's, or one whose article yields to its rank: 另有规定的除外) cannot
switch the sanction off: a city's refusal to collect a penalty as information of its
catalogue leaves 政府采购法's 重大违法记录 in place. Resolution (``conclude.resolve``) keeps a
lower rule from displacing a higher one on the same value; this keeps it from doing so
through a value the higher rule reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from creditrules.compile.ir import CompiledRule, Plan, claims_of, fields_read
from creditrules.errors import RuleConflictError
from creditrules.evaluate.conclude import decide
from creditrules.evaluate.facts import Fact
from creditrules.evaluate.state import EvalState
from creditrules.loader import Ruleset
from creditrules.model.rank import hierarchy


@dataclass(frozen=True)
class View:
    """The values one group of rules reads without the claims of the rules it prevails over:
    for each attribute read, the ids of the claiming rules left out."""

    unseen: tuple[tuple[str, frozenset[str]], ...]


def _plain(key: str) -> str | None:
    """The fact attribute a claim key sets (``status``, ``classify:severity`` → severity)."""
    if ":" not in key:
        return key
    if key.startswith("classify:"):
        return key.split(":", 1)[1]
    return None


def _concludes(rule: CompiledRule, kinds: frozenset[str]) -> bool:
    return any(k.split(":", 1)[0] in kinds for k, _ in claims_of(rule.rule))


_VIEWS: dict[str, dict[str, View]] = {}


def views_of(rs: Ruleset, plan: Plan) -> dict[str, View]:
    """The view of every rule that needs one (cached by plan)."""
    got = _VIEWS.get(plan.digest)
    if got is not None:
        return got
    kinds = hierarchy().read_at_rank
    ranking = rs.ranking()
    claimers: dict[tuple[str, str], list[str]] = {}
    for r in plan.rules:
        for key, _ in claims_of(r.rule):
            attr = _plain(key)
            if attr is not None:
                claimers.setdefault((r.kind, attr), []).append(r.id)
    out: dict[str, View] = {}
    for r in plan.rules:
        if not _concludes(r, kinds):
            continue
        unseen = []
        for attr in sorted(fields_read(r.cond)):
            lower = frozenset(
                c for c in claimers.get((r.kind, attr), []) if ranking.prevails(r.id, c)
            )
            if lower:
                unseen.append((attr, lower))
        if unseen:
            out[r.id] = View(tuple(unseen))
    _VIEWS[plan.digest] = out
    return out


def seen(st: EvalState, view: View, fact: Fact) -> Fact:
    """The fact as a rule with ``view`` reads it."""
    out = dict(fact)
    fk = fact["_key"]
    full = st.by_key[fk]
    for attr, unseen in view.unseen:
        for what in (attr, "classify:" + attr):
            claims = st.claims.get((fk, what))
            if not claims:
                continue
            kept = [c for c in claims if c.rule.id not in unseen]
            if len(kept) == len(claims):
                continue
            if not kept:
                out[attr] = st.base.get((fk, what))
                if what.startswith("classify:") and full.get("_given:" + attr) is not None:
                    out[attr] = full[attr]
                continue
            try:
                out[attr] = decide(st.rs, what, kept, fact=fk).value
            except RuleConflictError:
                # The higher rules alone do not settle it; the value decided with every rule
                # stands (the full resolution raised nothing).
                continue
            if what.startswith("classify:") and full.get("_given:" + attr) is not None:
                out[attr] = full[attr]
    return out


__all__ = ["View", "seen", "views_of"]
