"""Read and check a case: shape, identifiers, cross-references, forbidden information.

Every problem names its field path (``records[0].fields.blood_type``) so the CLI can
print one line each and exit 2. Nothing here guesses: a case with a problem is
refused whole.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from datetime import date
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import ValidationError

from creditrules.calendar import Duration, parse_duration
from creditrules.canonical import sha256_hex
from creditrules.errors import InputError
from creditrules.evaluate.input_limits import bounds_problems
from creditrules.identifiers import identifier_problem as _identifier_problem
from creditrules.loader import Ruleset
from creditrules.model.case import Basis, Case, Event, ListEntry, Record, Representative, Subject
from creditrules.model.ruleset import ListVocab

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
        problems = bounds_problems(case.model_dump())
        if problems:
            raise InputError(problems)
    else:
        if not isinstance(data, dict):
            raise InputError(
                [("(input)", "a case is a mapping with as_of, subject, records, events, matters")]
            )
        problems = bounds_problems(data)
        if problems:
            raise InputError(problems)
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
                elif err["type"] == "value_error":  # the models' own checks say it all
                    msg = str(err["ctx"]["error"])
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
    forbidden = forbidden_names(rs)
    lists = {lv.id: lv for lv in rs.vocabulary().lists}
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
        for fpath in _field_keys(rec.fields, f"records[{i}].fields"):
            hit = forbidden.get(normal_name(fpath.rsplit(".", 1)[-1]))
            if hit:
                problems.append((fpath, f"{hit[0]} may not be collected ({hit[1]})"))
        for fname in ("determined_on", "published_on", "corrected_on", "obligations_performed_on"):
            d = getattr(rec, fname)
            if d is not None and d > case.as_of:
                problems.append((f"records[{i}].{fname}", f"{d} is after as_of {case.as_of}"))
        if rec.list is not None:
            problems += _list_problems(rec, i, lists)
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
    matters = sorted(m.id for m in rs.vocabulary().matters)
    for i, m in enumerate(case.matters):
        if m not in matters:
            close = difflib.get_close_matches(m, matters, n=1, cutoff=0.6)
            problems.append(
                (
                    f"matters[{i}]",
                    f"'{m}' is not a matter of this ruleset's vocabulary; "
                    + (
                        f"did you mean '{close[0]}'?" if close else f"matters: {', '.join(matters)}"
                    ),
                )
            )
    for i, ev in enumerate(case.events):
        if ev.record is not None and ev.record not in seen:
            problems.append((f"events[{i}].record", f"no record has id '{ev.record}'"))
        if ev.on > case.as_of:
            problems.append((f"events[{i}].on", f"{ev.on} is after as_of {case.as_of}"))
    if problems:
        raise InputError(problems)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def forbidden_names(rs: Ruleset) -> dict[str, tuple[str, str]]:
    """The data items the ruleset's law forbids collecting, by normalised name (every
    alias too): the item's title and the articles that forbid it."""
    forbidden: dict[str, tuple[str, str]] = {}
    for f in rs.all_forbidden():
        cite = ", ".join(
            f"{rs.all_documents()[c.document].number or c.document} {c.article}" for c in f.cites
        )
        for name in [f.name, *f.aliases]:
            forbidden[normal_name(name)] = (f.title, cite)
    return forbidden


def forbidden_in(data: dict[str, Any], rs: Ruleset) -> list[tuple[str, str]]:
    """Forbidden data items in a canonical input's ``records[].fields`` (as ``check_case``
    refuses them), for inputs that did not come through ``check_case``: a stored decision."""
    forbidden = forbidden_names(rs)
    problems: list[tuple[str, str]] = []
    records = data.get("records") if isinstance(data, dict) else None
    for i, rec in enumerate(records if isinstance(records, list) else []):
        fields = rec.get("fields") if isinstance(rec, dict) else None
        for fpath in _field_keys(fields or {}, f"records[{i}].fields"):
            hit = forbidden.get(normal_name(fpath.rsplit(".", 1)[-1]))
            if hit:
                problems.append((fpath, f"{hit[0]} may not be collected ({hit[1]})"))
    return problems


def normal_name(name: str) -> str:
    """A data item's name as compared with forbidden names: ``Blood-Type``, ``bloodType``
    and ``blood type`` are all ``blood_type``."""
    snake = _CAMEL.sub("_", name.strip())
    return re.sub(r"[\s\-./]+", "_", snake).strip("_").lower()


def _field_keys(value: object, path: str) -> list[str]:
    """Every key of ``fields``, nested mappings included, as a field path."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            sub = f"{path}.{k}"
            out += [sub, *_field_keys(v, sub)]
    elif isinstance(value, list):
        for j, v in enumerate(value):
            out += _field_keys(v, f"{path}[{j}]")
    return out


def _calendar_end(start: date, d: Duration) -> date:
    return start + relativedelta(years=d.years, months=d.months, weeks=d.weeks, days=d.days)


def _list_problems(rec: Record, i: int, lists: dict[str, ListVocab]) -> list[tuple[str, str]]:
    """A list entry against the vocabulary of its list: the records it may sit on, its
    grounds, and the terms its law allows."""
    entry = rec.list
    assert entry is not None
    at = f"records[{i}].list"
    lv = lists.get(entry.id)
    if lv is None:
        close = difflib.get_close_matches(entry.id, sorted(lists), n=1, cutoff=0.6)
        return [
            (
                f"{at}.id",
                f"'{entry.id}' is not a list of this ruleset's vocabulary"
                + (f"; did you mean '{close[0]}'?" if close else ""),
            )
        ]
    out: list[tuple[str, str]] = []
    if rec.category not in lv.categories:
        out.append(
            (
                f"{at}.id",
                f"{lv.title} ({lv.id}) may sit only on {' or '.join(lv.categories)} records; "
                f"this record is {rec.category} (records[{i}].category)",
            )
        )
    ground = None
    if entry.ground is not None:
        grounds = {g.id: g for g in lv.grounds}
        ground = grounds.get(entry.ground)
        if not grounds:
            out.append((f"{at}.ground", f"{lv.title} ({lv.id}) has no grounds (列入事由) to give"))
        elif ground is None:
            close = difflib.get_close_matches(entry.ground, sorted(grounds), n=1, cutoff=0.6)
            out.append(
                (
                    f"{at}.ground",
                    f"'{entry.ground}' is not a ground of {lv.title} ({lv.source or lv.id}); "
                    + (
                        f"did you mean '{close[0]}'?" if close else f"grounds: {', '.join(grounds)}"
                    ),
                )
            )
    if entry.term is None:
        return out
    try:
        term = parse_duration(entry.term)
    except ValueError as exc:
        return out + [(f"{at}.term", str(exc))]
    if ground is not None and ground.no_term:
        out.append(
            (
                f"{at}.term",
                f"the law sets no term for ground '{ground.id}' ({ground.source or lv.title}); "
                "leave list.term null",
            )
        )
    elif lv.term is not None:
        if term.kind != "calendar":
            return out + [(f"{at}.term", f"'{entry.term}' is not a calendar term such as P2Y")]
        end = _calendar_end(entry.listed_on, term)
        low = lv.term.min and _calendar_end(entry.listed_on, parse_duration(lv.term.min))
        high = lv.term.max and _calendar_end(entry.listed_on, parse_duration(lv.term.max))
        if (low and end < low) or (high and end > high):
            bounds = f"{lv.term.min or '—'} to {lv.term.max or '—'}"
            out.append(
                (
                    f"{at}.term",
                    f"{entry.term} is outside the terms the law allows for {lv.title}, "
                    f"{bounds} ({lv.term.source})",
                )
            )
    return out


def case_schema(rs: Ruleset) -> dict[str, Any]:
    """The JSON Schema of a case for ``rs``: the input model, with the list ids, matters,
    list grounds and the domains and behaviours of the ruleset's vocabulary."""
    schema: dict[str, Any] = Case.model_json_schema(by_alias=True)
    voc = rs.vocabulary()
    defs = schema["$defs"]
    defs["ListEntry"]["properties"]["id"]["enum"] = [v.id for v in voc.lists]
    grounds = sorted({g.id for v in voc.lists for g in v.grounds})
    defs["ListEntry"]["properties"]["ground"]["anyOf"][0]["enum"] = grounds
    schema["properties"]["matters"]["items"]["enum"] = [v.id for v in voc.matters]
    # Domains and behaviours are open (a value outside them is a warning, W102): examples.
    for name, section in (("domain", voc.domains), ("behavior", voc.behaviors)):
        defs["Record"]["properties"][name]["examples"] = [v.id for v in section]
    return schema


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
