"""Read and check a case: shape, identifiers, cross-references, forbidden information.

Every problem names its field path (``records[0].fields.blood_type``) so the CLI can
print one line each and exit 2. Nothing here guesses: a case with a problem is
refused whole.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from creditrules.calendar import parse_duration
from creditrules.canonical import sha256_hex
from creditrules.errors import InputError
from creditrules.identifiers import identifier_problem as _identifier_problem
from creditrules.identifiers import mask_identifier, mask_person_name
from creditrules.loader import Ruleset
from creditrules.model.case import Basis, Case, Event, ListEntry, Record, Representative, Subject

_KNOWN_KEYS = {
    name
    for model in (Case, Subject, Representative, Record, Basis, ListEntry, Event)
    for name in model.model_fields
}

_ORG_TYPES = {"legal_person", "unincorporated_org", "individual_business", "government_body"}


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_case(data: Any, *, as_of: date | None = None) -> Case:
    """Validate the shape of a case (dict or Case); ``as_of`` overrides the input's."""
    if isinstance(data, Case):
        case = data
    else:
        if not isinstance(data, dict):
            raise InputError(
                [("(input)", "a case is a mapping with as_of, subject, records, events, matters")]
            )
        raw = dict(data)
        if as_of is not None:
            raw["as_of"] = as_of.isoformat()
        try:
            case = Case.model_validate(raw)
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    name = str(err["loc"][-1])
                    close = difflib.get_close_matches(name, sorted(_KNOWN_KEYS), n=1, cutoff=0.6)
                    msg = "unknown field" + (f"; did you mean '{close[0]}'?" if close else "")
                elif err["type"].startswith(("date_", "datetime_")):
                    msg = f"{err.get('input')!r} is not a date YYYY-MM-DD"
                elif err["type"] == "literal_error":
                    msg = f"{err.get('input')!r} is not allowed; {err['msg'].removeprefix('Input should be ')}"
                problems.append((_path(tuple(err["loc"])) or "(input)", msg))
            raise InputError(problems) from None
    if as_of is not None and case.as_of != as_of:
        case = case.model_copy(update={"as_of": as_of})
    return case


def check_case(case: Case, rs: Ruleset, *, allow_masked: bool = False) -> None:
    """Checks that need the law: identifiers, references, dates, forbidden information.

    ``allow_masked`` accepts identifiers already masked (``3206************35``), as a
    stored decision keeps them; replay uses it.
    """
    problems: list[tuple[str, str]] = []
    kind: Literal["organisation", "person"] = (
        "organisation" if case.subject.type in _ORG_TYPES else "person"
    )

    def identifier_problem(code: str, *, kind: Literal["organisation", "person"]) -> str | None:
        if allow_masked and "*" in code:
            return None
        return _identifier_problem(code, kind=kind)

    p = identifier_problem(case.subject.id, kind=kind)
    if p:
        problems.append(
            (
                "subject.id",
                f"{p} ({'统一社会信用代码' if kind == 'organisation' else '居民身份证号码'} expected for {case.subject.type})",
            )
        )
    for i, rep in enumerate(case.subject.representatives):
        p = identifier_problem(rep.id, kind="person")
        if p:
            problems.append((f"subject.representatives[{i}].id", p))
    forbidden: dict[str, tuple[str, str]] = {}
    for f in rs.all_forbidden():
        cite = ", ".join(
            f"{rs.all_documents()[c.document].number or c.document} {c.article}" for c in f.cites
        )
        for name in [f.name, *f.aliases]:
            forbidden[name.lower()] = (f.title, cite)
    seen: dict[str, int] = {}
    for i, rec in enumerate(case.records):
        if rec.id in seen:
            problems.append(
                (
                    f"records[{i}].id",
                    f"record id '{rec.id}' is used twice (also records[{seen[rec.id]}])",
                )
            )
        seen.setdefault(rec.id, i)
        for name in rec.fields:
            hit = forbidden.get(name.lower())
            if hit:
                problems.append(
                    (f"records[{i}].fields.{name}", f"{hit[0]} may not be collected ({hit[1]})")
                )
        for fname in ("determined_on", "published_on", "corrected_on", "obligations_performed_on"):
            d = getattr(rec, fname)
            if d is not None and d > case.as_of:
                problems.append((f"records[{i}].{fname}", f"{d} is after as_of {case.as_of}"))
        if rec.list is not None:
            if rec.list.term is not None:
                try:
                    parse_duration(rec.list.term)
                except ValueError as exc:
                    problems.append((f"records[{i}].list.term", str(exc)))
            if rec.list.listed_on > case.as_of:
                problems.append(
                    (
                        f"records[{i}].list.listed_on",
                        f"{rec.list.listed_on} is after as_of {case.as_of}",
                    )
                )
        if rec.category == "negative" and rec.determined_on is None:
            problems.append(
                (
                    f"records[{i}].determined_on",
                    "a negative record needs the date it was determined (认定之日)",
                )
            )
    for i, ev in enumerate(case.events):
        if ev.record is not None and ev.record not in seen:
            problems.append((f"events[{i}].record", f"no record has id '{ev.record}'"))
        if ev.on > case.as_of:
            problems.append((f"events[{i}].on", f"{ev.on} is after as_of {case.as_of}"))
    if problems:
        raise InputError(problems)


def canonical(case: Case) -> dict[str, Any]:
    """The canonical JSON form of a case (what decisions store and hash)."""
    return case.model_dump(mode="json")


def sha256_of(data: Any) -> str:
    """SHA-256 (hex) of the RFC 8785 canonical JSON of ``data`` (``creditrules.canonical``)."""
    return sha256_hex(data)


def legacy_sha256_of(data: Any) -> str:
    """The digest decisions carried before RFC 8785 (sorted keys, compact separators,
    Python's number forms): differs from ``sha256_of`` only for inputs with non-integer
    numbers or keys outside the Basic Multilingual Plane. Replay accepts either, so a
    stored decision made earlier still checks against its original input."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def redacted(data: dict[str, Any]) -> dict[str, Any]:
    """A canonical input with natural persons' identifiers and names masked.

    Organisations' credit codes and names are public registration data and stay; a
    natural person's ID number and name do not belong in a stored or logged decision.
    """
    out: dict[str, Any] = json.loads(json.dumps(data))
    subject = out["subject"]
    if subject["type"] not in _ORG_TYPES:
        subject["id"] = mask_identifier(subject["id"])
        if subject.get("name"):
            subject["name"] = mask_person_name(subject["name"])
    for rep in subject.get("representatives", []):
        rep["id"] = mask_identifier(rep["id"])
        if rep.get("name"):
            rep["name"] = mask_person_name(rep["name"])
    return out
