"""What every decision owes its reader: each conclusion cites Chinese law it can be traced to.

``basis_problems`` lists the conclusions of a decision that break this: a conclusion with
no citation, a cited text that is not Chinese (an English gloss), a citation of a document
that has neither a 文号 nor a stated reason for having none, a citation that does not say
whether it quotes or summarises. The scenario runner reports these as failures, so every
scenario checks them.

What counts as a conclusion: a record's status where it is published, usable for sanction
or anything but active, or where it is negative and some rule decided something about it
(a negative record no rule of the ruleset touches is outside what the ruleset governs), a publication window with a date, a repair answer that says something (eligible, unmet
conditions, or never), every list entry, measure and deadline, a matter with an outcome,
and the grade. A record of other information that no rule decides is only carried, and a
matter without a rule says so with ``outcome: null`` and a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from creditrules.model.decision import Decision
from creditrules.validate.citations import english_run

__all__ = ["basis_problems", "conclusions"]

#: Effects that decide something other than a record's status, each with its own basis
#: checked on its own: a measure, a look-back window, the publication window
#: (``records[].publication``), the repair answer (``records[].repair``, its wait period
#: included), a list entry (``lists[]``) and a deadline (``deadlines[]``).
_NOT_ABOUT_STATUS = (
    "measure ",
    "lookback:",
    "publication_min:",
    "publication_max:",
    "repair",
    "list ",
    "deadline ",
)


def _about_status(effect: str) -> bool:
    """Whether a fired rule's effect (its parts joined by ``; ``) decides the status."""
    return any(not part.startswith(_NOT_ABOUT_STATUS) for part in effect.split("; "))


def _record_decided(r: dict[str, Any], negative: bool, touched: bool) -> bool:
    return (
        (negative and touched)
        or r["status"] != "active"
        or r["publishable"]
        or r["usable_for_sanction"]
    )


def conclusions(d: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, conclusion)`` for every conclusion of a decision (JSON form) owing a basis."""
    negative = {r["id"] for r in d["input"].get("records", []) if r.get("category") == "negative"}
    # A rule that only gives a record a measure, a window, a repair finding or a list entry
    # has decided nothing about the record's status: each carries its own citation.
    touched = {
        t["fact"].removeprefix("record:")
        for t in d["trace"]
        if t["fired"] and t["fact"].startswith("record:") and _about_status(t.get("effect") or "")
    }
    for r in d["records"]:
        if _record_decided(r, r["id"] in negative, r["id"] in touched):
            yield f"records[{r['id']}]", r
        pub = r["publication"]
        if pub["min_until"] or pub["max_until"]:
            yield f"records[{r['id']}].publication", pub
        rep = r["repair"]
        if rep["eligible"] or rep["unmet"] or rep["never"]:
            yield f"records[{r['id']}].repair", rep
    for x in d["lists"]:
        yield f"lists[{x['list']}]", x
    for x in d["measures"]:
        yield f"measures[{x['id']}]", x
    for x in d["matters"]:
        if x["outcome"] is not None:
            yield f"matters[{x['matter']}]", x
    for i, x in enumerate(d["deadlines"]):
        yield f"deadlines[{i}]", x
    if d.get("grade"):
        yield "grade", d["grade"]


def basis_problems(decision: Decision | dict[str, Any]) -> list[str]:
    """One line per conclusion whose citations fall short (see the module docstring)."""
    d = (
        decision.model_dump(mode="json", by_alias=True)
        if isinstance(decision, Decision)
        else decision
    )
    out: list[str] = []
    for where, obj in conclusions(d):
        if not obj["basis"]:
            out.append(f"{where}: no citation")
        for c in obj["basis"]:
            at = f"{where}: {c['document']} {c['article']}"
            run = english_run(c["text"])
            if run is not None:
                out.append(f"{at}: the cited text is not Chinese ('{run[:30]}')")
            if not c.get("number") and not c.get("no_number_reason"):
                out.append(f"{at}: no document number and no reason for having none")
            if c.get("kind") not in ("quote", "summary"):
                out.append(f"{at}: the citation does not say whether it quotes or summarises")
    return out
