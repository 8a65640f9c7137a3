"""Privacy by default: mask what a decision says about natural persons, and list it.

A case names natural persons in these places (CONTRACT.md v1 "Input"):

* ``subject.id``, ``subject.name`` and ``subject.birth_date`` when the subject is a
  natural person or a civil servant (a civil servant is a natural person);
* ``subject.representatives[].id`` and ``.name``: legal representatives, principals,
  directly responsible persons and actual controllers are people whatever the subject;
* ``records[].fields``: further data items, free text that may name anyone.

A decision repeats two of them: ``subject.id`` and ``measures[].person``. Unless the
caller asks for them (``reveal_personal=True``, ``--reveal-personal``), every one is masked
(``creditrules.identifiers``): an identifier keeps its first 4 and last 2 characters, a
name its first character, a birth date is left out (null), a text item of ``fields``
becomes stars. The decision's ``subject.id`` is masked for every subject type, as
CONTRACT v1 shows it; an organisation's credit code and name stay in full in ``input``
(public registration data). ``masked`` lists each value masked, as a JSON Pointer into
the decision (RFC 6901), so a reader knows which values are not the input's.

Masking is done here, once, on the Decision: explanations and logs show what the Decision
holds and do no masking of their own.
"""

from __future__ import annotations

import json
from typing import Any

from creditrules.identifiers import mask_identifier, mask_person_name
from creditrules.model.decision import Decision

__all__ = [
    "PERSON_TYPES",
    "READ_BY_RULES",
    "mask_decision",
    "mask_input",
    "mask_text",
    "pointer",
    "unmasked_personal_values",
]

#: Subject types that are natural persons (a civil servant is one).
PERSON_TYPES = frozenset({"natural_person", "civil_servant"})

#: Masked input values that a rule reads: a decision re-evaluated from input masked here
#: would not be the same decision. (A birth date says whether the subject is a minor.)
#: Identifiers, names and ``fields`` are never read by a rule.
READ_BY_RULES = frozenset({"/input/subject/birth_date"})


def pointer(*parts: str | int) -> str:
    """The JSON Pointer (RFC 6901) of a path: ``~`` and ``/`` in a key are escaped."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def mask_text(text: str) -> str:
    """Mask free text completely: one ``*`` per character (a text may hold anything)."""
    return "*" * len(text)


def _mask_fields(value: Any, path: tuple[str | int, ...], masked: list[str]) -> Any:
    if isinstance(value, str):
        if value:
            masked.append(pointer(*path))
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _mask_fields(v, (*path, k), masked) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_fields(v, (*path, i), masked) for i, v in enumerate(value)]
    return value


def mask_input(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of a canonical input with what names a natural person masked, and the JSON
    Pointers (into a decision, ``/input/...``) of each value masked. Masking a masked
    input again changes nothing."""
    masked: list[str] = []
    return _mask_input(data, masked), masked


def _mask_input(data: dict[str, Any], masked: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(data))
    subject = out.get("subject") or {}
    if subject.get("type") in PERSON_TYPES:
        if subject.get("id"):
            subject["id"] = mask_identifier(subject["id"])
            masked.append("/input/subject/id")
        if subject.get("name"):
            subject["name"] = mask_person_name(subject["name"])
            masked.append("/input/subject/name")
        if subject.get("birth_date") is not None:
            subject["birth_date"] = None
            masked.append("/input/subject/birth_date")
    for i, rep in enumerate(subject.get("representatives") or []):
        if rep.get("id"):
            rep["id"] = mask_identifier(rep["id"])
            masked.append(pointer("input", "subject", "representatives", i, "id"))
        if rep.get("name"):
            rep["name"] = mask_person_name(rep["name"])
            masked.append(pointer("input", "subject", "representatives", i, "name"))
    for i, rec in enumerate(out.get("records") or []):
        if rec.get("fields"):
            rec["fields"] = _mask_fields(rec["fields"], ("input", "records", i, "fields"), masked)
    return out


def mask_decision(decision: Decision, *, reveal_personal: bool = False) -> Decision:
    """Mask the decision in place (see the module docstring) and return it.

    With ``reveal_personal`` nothing is masked and ``masked`` is empty: the caller has
    asked, explicitly, for the identifiers and names in full.
    """
    if reveal_personal:
        decision.masked = []
        return decision
    masked: list[str] = []
    decision.subject.id = mask_identifier(decision.subject.id)
    masked.append("/subject/id")
    for i, m in enumerate(decision.measures):
        if m.person:
            m.person = mask_identifier(m.person)
            masked.append(pointer("measures", i, "person"))
    decision.input = _mask_input(decision.input, masked)
    decision.masked = masked
    return decision


def unmasked_personal_values(case: dict[str, Any]) -> list[str]:
    """The identifiers and names of natural persons a case (its canonical JSON) names in
    full: what must not appear in a decision, explanation or log made without
    ``reveal_personal``. Used by tests and by callers that audit their own outputs."""
    out: list[str] = []
    subject = case.get("subject") or {}
    if subject.get("type") in PERSON_TYPES:
        out += [v for v in (subject.get("id"), subject.get("name")) if v]
    for rep in subject.get("representatives") or []:
        out += [v for v in (rep.get("id"), rep.get("name")) if v]
    return out
