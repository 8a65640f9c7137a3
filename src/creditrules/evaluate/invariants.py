"""What no decision may say: the checks run on every Decision before it is returned.

A decision that breaks one of these contradicts itself, so it is a defect of a ruleset or
of creditrules, never an answer: ``check`` raises ``ContradictionError`` naming each
contradiction by its JSON Pointer into the decision, and the caller gets no decision.

1. A record that is not publishable has no publication window running on ``as_of``.
2. A record a rule found not usable for sanction is the ground of no sanction measure,
   unless every rule that applies the measure to it is of a higher rank than every rule that
   made it unusable (立法法 第九十九条: a measure a law attaches to the penalty itself, as
   政府采购法 第二十二条（五） does to a 重大违法记录, stands though a departmental rule stops
   the record's use in credit sanctions; the trace shows both). Where no rule of the ruleset
   decides a record's use for sanction, ``usable_for_sanction`` is false for want of a
   finding and this check does not apply.
3. A matter a measure of the decision bars is denied.
4. A record's unmet repair conditions each appear once, and a record with an unmet
   condition, or one that can never be repaired, is not eligible for repair.
"""

from __future__ import annotations

from datetime import date

from creditrules.errors import ContradictionError
from creditrules.loader import Ruleset
from creditrules.model.decision import Decision, RecordOut


def publication_running(r: RecordOut, as_of: date) -> bool:
    """Whether the record's publication window, as the decision shows it, covers ``as_of``."""
    pub = r.publication
    if pub.from_ is None or date.fromisoformat(pub.from_) > as_of:
        return False
    return pub.max_until is None or as_of <= date.fromisoformat(pub.max_until)


def contradictions(decision: Decision, rs: Ruleset) -> list[tuple[str, str]]:
    """Every contradiction in ``decision`` (empty when there is none), as (pointer, message)."""
    out: list[tuple[str, str]] = []
    as_of = date.fromisoformat(decision.as_of)
    not_usable = {r.id for r in decision.records if not r.usable_for_sanction}
    for i, r in enumerate(decision.records):
        at = f"/records/{i}"
        if not r.publishable and publication_running(r, as_of):
            out.append(
                (
                    f"{at}/publication",
                    f"record {r.id} is not publishable but its publication window "
                    f"{r.publication.from_} → {r.publication.max_until or '…'} runs on {as_of}",
                )
            )
        unmet = r.repair.unmet
        twice = sorted({u for u in unmet if unmet.count(u) > 1})
        if twice:
            out.append((f"{at}/repair/unmet", f"record {r.id} states {', '.join(twice)} twice"))
        if r.repair.eligible and (unmet or r.repair.never):
            out.append(
                (
                    f"{at}/repair/eligible",
                    f"record {r.id} is eligible for repair with "
                    + ("unmet conditions" if unmet else "repair never possible"),
                )
            )
    measures = rs.all_measures()
    barred: dict[str, list[str]] = {}
    for i, m in enumerate(decision.measures):
        decl = measures.get(m.id)
        if decl is None:
            continue
        on = sorted(r for r in set(m.because) & not_usable if _contradicted(decision, rs, m.id, r))
        if decl.kind == "sanction" and on:
            out.append(
                (
                    f"/measures/{i}",
                    f"sanction measure {m.id} rests on record {', '.join(on)}, "
                    "which is not usable for sanction",
                )
            )
        for matter in decl.bars:
            barred.setdefault(matter, []).append(m.id)
    for i, mo in enumerate(decision.matters):
        if mo.matter in barred and mo.outcome != "deny":
            out.append(
                (
                    f"/matters/{i}/outcome",
                    f"matter {mo.matter} is {mo.outcome} although "
                    f"{', '.join(sorted(set(barred[mo.matter])))} bars it",
                )
            )
    return out


def _contradicted(decision: Decision, rs: Ruleset, measure: str, record: str) -> bool:
    """Some rule, not itself overridden, made ``record`` unusable for sanction, and not every
    rule applying ``measure`` to it prevails over every such rule."""
    fact = "record:" + record
    applying: list[str] = []
    unusable: list[str] = []
    for t in decision.trace:
        if t.fact != fact or not t.fired or t.effect is None:
            continue
        effects = t.effect.split("; ")
        if f"measure {measure}" in effects:
            applying.append(t.rule)
        if "usable_for_sanction = False" in effects and not t.overridden_by:
            unusable.append(t.rule)
    ranking = rs.ranking()
    return bool(unusable) and not (
        applying and all(ranking.prevails(hi, lo) for hi in applying for lo in unusable)
    )


def check(decision: Decision, rs: Ruleset) -> Decision:
    """``decision`` if it does not contradict itself; ``ContradictionError`` otherwise."""
    problems = contradictions(decision, rs)
    if problems:
        raise ContradictionError(problems)
    return decision


__all__ = ["check", "contradictions", "publication_running"]
