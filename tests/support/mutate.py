"""Mutations of case inputs and ruleset files, as an attacker would make them.

Shared by the fuzz tests (tests/property/test_fuzz.py) and the fuzz script
(tools/fuzz.py). Every mutation says whether the result *must* be refused: a value of
the wrong type for a typed field, an unknown key, a missing required key, a text that is
not Unicode, a number JSON cannot carry. Other mutations may be decided or refused; all
must end in a Decision or one of the library's own errors, within a bound.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass
from typing import Any

DATE_FIELDS = {
    "as_of",
    "birth_date",
    "issued_on",
    "term_until",
    "determined_on",
    "published_on",
    "corrected_on",
    "obligations_performed_on",
    "listed_on",
    "on",
}
BOOL_FIELDS = {"intentional", "first_time", "fault_tolerance", "self_remedied", "pledge"}
TEXT_FIELDS = {"id", "name", "number", "domain", "behavior", "term", "ground", "record"}
ENUM_FIELDS = {"type", "category", "severity", "procedure", "role", "disclosure"}
REQUIRED = {
    (): {"as_of", "subject"},
    ("subject",): {"id", "type"},
    ("records", "*"): {"id", "category"},
    ("records", "*", "basis"): {"type"},
    ("records", "*", "list"): {"id", "listed_on"},
    ("events", "*"): {"type", "on"},
    ("subject", "representatives", "*"): {"id", "role"},
}
#: Values with nothing in common with what a field expects.
NASTY: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**63,
    -(2**63) - 1,
    10**30,
    1.5,
    float("nan"),
    float("inf"),
    "",
    " ",
    "\x00",
    "\ud800",
    "a\udfffb",
    "\u202e\u2066",
    "\ufeff",
    "0000-00-00",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "2026-01-01T00:00:00Z",
    "20260101",
    "P99999Y",
    "P0D",
    "P-1Y",
    "true",
    "1",
    "null",
    "x" * 70_000,
    "信" * 5_000,
    [],
    [None],
    {},
    {"": None},
    {"$and": []},
]


@dataclass
class Mutant:
    data: Any
    label: str
    must_refuse: bool


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, path + (i,))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _shape(path: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("*" if isinstance(p, int) else p for p in path)


def _in_fields(path: tuple[Any, ...]) -> bool:
    return "fields" in path[:-1] or (len(path) >= 1 and path[-1] == "fields")


def _bad_text(v: Any) -> bool:
    """Text that is not Unicode (a lone surrogate) anywhere in a value."""
    if isinstance(v, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, dict):
        return any(_bad_text(k) or _bad_text(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_bad_text(x) for x in v)
    return False


def _not_json_number(v: Any) -> bool:
    if isinstance(v, float):
        return v != v or v in (float("inf"), float("-inf"))
    if isinstance(v, dict):
        return any(_not_json_number(x) for x in v.values())
    if isinstance(v, list):
        return any(_not_json_number(x) for x in v)
    return False


def _is_iso_date(v: Any) -> bool:
    from datetime import date

    if not isinstance(v, str) or len(v) != 10:
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def wrong_for(path: tuple[Any, ...], value: Any) -> bool:
    """Whether ``value`` at ``path`` is something the case model must refuse by type."""
    if not path or _in_fields(path):
        return _bad_text(value) or _not_json_number(value)
    name = path[-1]
    if _bad_text(value) or _not_json_number(value):
        return True
    if isinstance(name, int):
        parent = path[-2] if len(path) >= 2 else None
        if parent == "records" or parent == "events" or parent == "representatives":
            return not isinstance(value, dict)
        if parent in ("matters", "penalties"):
            return not isinstance(value, str)
        return False
    required = name in REQUIRED.get(_shape(path[:-1]), set())
    if value is None:
        return required or name in (
            "records",
            "events",
            "matters",
            "representatives",
            "penalties",
            "fields",
        )
    if name in DATE_FIELDS:
        return not _is_iso_date(value)
    if name in BOOL_FIELDS:
        return not isinstance(value, bool)
    if name in TEXT_FIELDS or name in ENUM_FIELDS:
        return not isinstance(value, str)
    if name in ("records", "events", "matters", "representatives", "penalties"):
        return not isinstance(value, list)
    if name in ("subject", "basis", "list", "fields"):
        return not isinstance(value, dict)
    return False


def deep(depth: int, kind: str = "list") -> Any:
    out: Any = 1
    for _ in range(depth):
        out = [out] if kind == "list" else {"k": out}
    return out


def mutate_case(rng: random.Random, case: dict[str, Any]) -> Mutant:
    """One mutation of a valid case."""
    data = copy.deepcopy(case)
    paths = _paths(data)
    op = rng.choice(
        [
            "replace",
            "replace",
            "replace",
            "delete",
            "unknown_key",
            "deep_fields",
            "many_records",
            "field_value",
            "top_type",
            "enum",
            "huge_text",
        ]
    )
    if op == "replace":
        path = rng.choice(paths[1:])
        value = copy.deepcopy(rng.choice(NASTY))
        _set(data, path, value)
        return Mutant(data, f"replace {_shape(path)} by {_short(value)}", wrong_for(path, value))
    if op == "delete":
        dict_paths = [p for p in paths[1:] if isinstance(p[-1], str)]
        if not dict_paths:
            return Mutant(data, "nothing to delete", False)
        path = rng.choice(dict_paths)
        del _get(data, path[:-1])[path[-1]]
        required = path[-1] in REQUIRED.get(_shape(path[:-1]), set()) and not _in_fields(path)
        return Mutant(data, f"delete {_shape(path)}", required)
    if op == "unknown_key":
        holders = [
            p
            for p in paths
            if isinstance(_get(data, p), dict) and not _in_fields(p + ("x",)) and "fields" not in p
        ]
        path = rng.choice(holders)
        name = rng.choice(["asof", "extra", "id ", "ID", "记录", "\ud800", "__proto__", "sid"])
        _get(data, path)[name] = "x"
        return Mutant(data, f"unknown key {name!r} at {_shape(path)}", True)
    if op == "deep_fields":
        if not data.get("records"):
            data["records"] = (
                [copy.deepcopy(case.get("records", [{}])[0])] if case.get("records") else []
            )
        if not data["records"] or not isinstance(data["records"][0], dict):
            return Mutant(data, "no record", False)
        depth = rng.choice([50, 500, 900, 5_000])
        data["records"][0]["fields"] = {"x": deep(depth, rng.choice(["list", "dict"]))}
        return Mutant(data, f"fields nested {depth} deep", False)
    if op == "many_records":
        recs = data.get("records") or []
        if not recs or not isinstance(recs[0], dict):
            return Mutant(data, "no record", False)
        n = rng.choice([200, 2_000, 20_000])
        data["records"] = [dict(recs[0], id=f"r{i}") for i in range(n)]
        return Mutant(data, f"{n} records", False)
    if op == "field_value":
        recs = data.get("records") or []
        if not recs or not isinstance(recs[0], dict):
            return Mutant(data, "no record", False)
        value = copy.deepcopy(rng.choice(NASTY))
        key = rng.choice(["note", "amount", "", "血型", "blood_type", "\ud83d"])
        recs[0].setdefault("fields", {})
        if not isinstance(recs[0]["fields"], dict):
            recs[0]["fields"] = {}
        recs[0]["fields"][key] = value
        bad = _bad_text(key) or wrong_for(("records", 0, "fields", key), value)
        return Mutant(data, f"fields[{key!r}] = {_short(value)}", bad)
    if op == "top_type":
        value = rng.choice([[], "case", 1, None, [case]])
        return Mutant(value, f"case is {_short(value)}", True)
    if op == "enum":
        enum_paths = [p for p in paths if p and p[-1] in ENUM_FIELDS and not _in_fields(p)]
        if not enum_paths:
            return Mutant(data, "no enum", False)
        path = rng.choice(enum_paths)
        value = rng.choice(["legal person", "LEGAL_PERSON", "negative ", "严重", "other\x00"])
        _set(data, path, value)
        return Mutant(data, f"enum {_shape(path)} = {value!r}", True)
    # huge_text
    text_paths = [p for p in paths[1:] if isinstance(_get(data, p), str) and not _in_fields(p)]
    path = rng.choice(text_paths)
    value = rng.choice(["y" * 1_000_000, "信" * 200_000])
    _set(data, path, value)
    return Mutant(data, f"{len(value)} characters at {_shape(path)}", wrong_for(path, value))


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


# ------------------------------------------------------------------ JSON text (the CLI)


def mutate_json_text(rng: random.Random, case: dict[str, Any]) -> tuple[bytes, str, bool]:
    """Bytes of an input file: a mutated case, or JSON text no parser-made case can be."""
    op = rng.choice(
        ["case", "case", "case", "deep", "bigint", "nan", "bytes", "dup", "truncate", "bom"]
    )
    text = json.dumps(case, ensure_ascii=False)
    if op == "case":
        m = mutate_case(rng, case)
        try:
            body = json.dumps(m.data, ensure_ascii=True).encode()  # lone surrogates as \ud800
        except RecursionError:  # fields nested deeper than json.dumps goes: write them here
            op = "deep"
        else:
            return body, m.label, m.must_refuse
    if op in ("deep", "bigint", "nan"):
        data = copy.deepcopy(case)
        if not data.get("records"):
            return json.dumps(data).encode(), "no record to hold the value", False
        data["records"][0]["fields"] = {"n": "__VALUE__"}
        if op == "deep":
            depth = rng.choice([5_000, 100_000])
            literal, label, must = "[" * depth + "]" * depth, f"JSON nested {depth} deep", True
        elif op == "bigint":
            literal, label, must = "9" * 5_000, "5000-digit number", True
        else:
            lit = rng.choice(["NaN", "Infinity", "-Infinity"])
            literal, label, must = lit, f"{lit} literal (not JSON)", True
        body = json.dumps(data, ensure_ascii=False).replace('"__VALUE__"', literal, 1)
        return body.encode(), label, must
    if op == "bytes":
        raw = bytearray(text.encode())
        for _ in range(rng.randint(1, 5)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw), "bytes flipped", False
    if op == "dup":
        return (
            text.replace('"as_of"', '"as_of": "2020-01-01", "as_of"', 1).encode(),
            "duplicate key",
            True,
        )
    if op == "truncate":
        return text.encode()[: rng.randrange(len(text))], "truncated", True
    return b"\xef\xbb\xbf" + text.encode(), "UTF-8 BOM", False


# ------------------------------------------------------------------ ruleset files


YAML_ATTACKS = [
    ("recursive alias", "x_: &a [*a]\n", True),
    ("recursive mapping alias", "x_: &a {k: *a}\n", True),
    (
        "billion laughs",
        "a_: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}_: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        True,
    ),
    ("deep flow nesting", "x_: " + "[" * 5_000 + "]" * 5_000 + "\n", True),
    (
        "deep block nesting",
        "".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "v\n",
        True,
    ),
    ("tab indentation", "rules:\n\t- id: x\n", True),
    ("NUL byte", "x_: \x00\n", True),
    ("python tag", "x_: !!python/object/apply:os.system [echo]\n", True),
    ("unknown tag", "x_: !foo bar\n", True),
    ("huge int", "x_: " + "9" * 5_000 + "\n", True),
    ("merge key", "x_: {<<: {a: 1}}\n", True),
]


def mutate_yaml_data(rng: random.Random, data: Any) -> tuple[Any, str, bool]:
    """One mutation of a ruleset file's data (written back as YAML by the caller)."""
    data = copy.deepcopy(data)
    paths = _paths(data)
    op = rng.choice(
        ["replace", "replace", "delete", "unknown_key", "self_override", "period", "duplicate"]
    )
    if op == "self_override" or op == "duplicate":
        rules = data.get("rules") if isinstance(data, dict) else None
        if isinstance(rules, list) and rules and isinstance(rules[0], dict):
            r = rng.choice(rules)
            if op == "self_override":
                r["overrides"] = [r.get("id", "x")]
                return data, f"rule {r.get('id')} overrides itself", True
            rules.append(copy.deepcopy(r))
            return data, f"rule {r.get('id')} twice", True
        op = "replace"
    if op == "period":
        spots = [
            p
            for p in paths
            if p and isinstance(_get(data, p), str) and _get(data, p).startswith("P")
        ]
        if spots:
            path = rng.choice(spots)
            value = rng.choice(
                ["P99999Y", "P9999999999D", "P0D", "P1000000W", "PT1H", "P1Y1Y", "P"]
            )
            _set(data, path, value)
            return data, f"period {_shape(path)} = {value}", False
        op = "replace"
    if op == "replace":
        path = rng.choice(paths[1:] or [()])
        value = copy.deepcopy(rng.choice(NASTY + ["P99999Y", "9999-12-31", "r" * 300]))
        if isinstance(value, str) and _bad_text(value):
            value = "\ufffd"  # YAML cannot carry a lone surrogate; the text attacks cover it
        if isinstance(value, float) and value != value:
            value = 1e308
        _set(data, path, value)
        return data, f"replace {_shape(path)} by {_short(value)}", False
    if op == "delete":
        dict_paths = [p for p in paths[1:] if isinstance(p[-1], str)]
        if not dict_paths:
            return data, "nothing to delete", False
        path = rng.choice(dict_paths)
        del _get(data, path[:-1])[path[-1]]
        return data, f"delete {_shape(path)}", False
    holders = [p for p in paths if isinstance(_get(data, p), dict)]
    path = rng.choice(holders)
    _get(data, path)["zz_unknown"] = 1
    return data, f"unknown key at {_shape(path)}", False
