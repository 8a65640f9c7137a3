"""The hierarchy of law, as a check: no override runs against rank (CR506); and a measure
that bars a matter is never answered with less than deny (CR507).

A rule may not be declared to win over a rule of a higher-ranked instrument (立法法
第九十九条 ff.; model/ranks.yaml), nor over a rule whose article it cites yields to
(另有规定的除外), unless that rule is a default whose instrument leaves the point to rules
of the overriding rule's rank (``defers``, cited). The engine would not let such an override
stand: the higher rule's conclusion prevails, so the declared override is a mistake of the
author, reported before any case meets it.
"""

from __future__ import annotations

from collections.abc import Iterator

from creditrules.diagnostics import Diagnostic
from creditrules.loader import Ruleset


def check_rank(rs: Ruleset) -> Iterator[Diagnostic]:
    """CR506 for the ruleset's own rules."""
    ranking = rs.ranking()
    rules = {r.id: r for r in rs.all_rules()}
    for rule in rs.rules:
        loc = rs.locate("rule", rule.id)
        for i, other_id in enumerate(rule.overrides):
            other = rules.get(other_id)
            if other is None or not ranking.prevails(other_id, rule.id):
                continue
            if other.default and ranking.gives_way(other_id, rule.id):
                continue
            mine, theirs = ranking.rank(rule.id), ranking.rank(other_id)
            h = ranking.h
            why = h.why(theirs, mine) if theirs and mine and h.above(theirs, mine) else ()
            because = (
                f" ({why[0].instrument} {why[0].article})"
                if why
                else " (its cited article yields to that rank: 另有规定的除外)"
            )
            yield Diagnostic(
                "CR506",
                f"overrides '{other_id}', a rule of a {theirs} ({other.cites[0].document}), "
                f"from a {mine}: a lower-ranked instrument may not displace a higher-ranked one{because}",
                loc.span("overrides", i) if loc else None,
                rule=rule.id,
            )


def check_bars(rs: Ruleset) -> Iterator[Diagnostic]:
    """CR507: a matter answer that names a measure barring the matter is deny."""
    measures = rs.all_measures()
    for rule in rs.rules:
        spec = rule.then.matter
        if spec is None or spec.outcome == "deny":
            continue
        loc = rs.locate("rule", rule.id)
        for i, mid in enumerate(spec.measures):
            m = measures.get(mid)
            if m is not None and spec.matter in m.bars:
                yield Diagnostic(
                    "CR507",
                    f"answers '{spec.outcome}' for {spec.matter} with measure '{mid}', which bars it",
                    loc.span("then", "matter", "measures", i) if loc else None,
                    rule=rule.id,
                )
