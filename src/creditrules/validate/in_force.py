"""Every rule from the day its instrument took effect, as a check (CR317).

A ruleset version is in force from its ``effective_from``, but an instrument it carries may
start later (the sector lists of cn.national are written once and carried by every national
version, each list from its own instrument's date). A rule none of whose cited documents was
in force when the ruleset starts would then apply on days its law did not yet exist, a silent
wrong answer for every earlier case. The rule must say so in its condition: an ``as_of`` test
(``{field: as_of, gte: DATE}`` at the top of ``when``) on or after the earliest
``effective_from`` among its documents. A document without ``effective_from`` is taken as in
force throughout, so it asks for no gate.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from creditrules.diagnostics import Diagnostic
from creditrules.loader import Ruleset
from creditrules.model.ruleset import All, Comparison, Condition


def _gate(cond: Condition | None) -> date | None:
    """The first day the condition can hold by its top-level ``as_of`` tests, if any."""
    tests = cond.all if isinstance(cond, All) else [cond] if cond is not None else []
    days: list[date] = []
    for c in tests:
        if not isinstance(c, Comparison) or c.field != "as_of":
            continue
        if c.gte is not None:
            days.append(date.fromisoformat(str(c.gte)))
        elif c.gt is not None:
            days.append(date.fromisoformat(str(c.gt)) + timedelta(days=1))
        elif c.eq is not None:
            days.append(date.fromisoformat(str(c.eq)))
    return max(days) if days else None


def check_in_force(rs: Ruleset) -> Iterator[Diagnostic]:
    """CR317 for the ruleset's own rules."""
    docs = rs.all_documents()
    start = rs.manifest.effective_from
    for rule in rs.rules:
        cited = [docs[c.document] for c in rule.cites if c.document in docs]
        if not cited or any(d.effective_from is None for d in cited):
            continue
        first = min(d.effective_from for d in cited if d.effective_from is not None)
        if first <= start:
            continue
        gate = _gate(rule.when)
        if gate is not None and gate >= first:
            continue
        doc = next(d for d in cited if d.effective_from == first)
        loc = rs.locate("rule", rule.id)
        shown = f" (its gate opens on {gate})" if gate else ""
        yield Diagnostic(
            "CR317",
            f"applies from {start}, the ruleset's first day, but the instruments it cites are in "
            f"force only from {first} ({doc.number or doc.title}){shown}: add "
            f'{{field: as_of, gte: "{first}"}} to its condition',
            loc.span("when") if loc and rule.when is not None else (loc.span() if loc else None),
            rule=rule.id,
        )
