"""Bounds on a case before its shape is read: what JSON can carry, and how much of it.

A case is refused here, one problem per value with its field path, when it holds
something no JSON document carries exactly (a lone surrogate, NaN, an integer beyond
±(2^53 − 1), which RFC 8785 digests cannot write; a Python object that is not a JSON
value), a control character in a value other than free text, or more than the bounds
below. The bounds are far above any real subject and keep every evaluation finite and
short: without them a case of 20,000 records or a text of a million characters is
decided, slowly, and a value nested thousands of levels deep exhausts Python's stack in
whatever walks it first. The walk is iterative for that reason.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

#: Most records, events, representatives, matters and penalties a case may hold.
MAX_ITEMS = {
    "records": 1_000,
    "events": 2_000,
    "representatives": 100,
    "matters": 100,
    "penalties": 50,
}
#: Characters in one text value; in ``records[].fields`` (free text) more are allowed.
MAX_TEXT = 1_000
MAX_FREE_TEXT = 10_000
#: Nesting of ``records[].fields`` below ``fields`` itself, and values in one record's ``fields``.
MAX_FIELDS_DEPTH = 16
MAX_FIELDS_VALUES = 1_000
#: Past this the integer is not an exact IEEE double: RFC 8785 (and any JSON reader that
#: uses doubles) cannot carry it.
MAX_SAFE_INT = 2**53 - 1
#: Nesting of the whole case: its own shape goes five levels deep
#: (``records[0].basis.penalties[0]``), ``fields`` the rest.
MAX_DEPTH = 3 + MAX_FIELDS_DEPTH + 2
#: At most this many problems are reported; the rest are counted.
MAX_PROBLEMS = 20

_FREE_CONTROLS = {"\t", "\n", "\r"}


def _text_problem(text: str, free: bool) -> str | None:
    limit = MAX_FREE_TEXT if free else MAX_TEXT
    if len(text) > limit:
        return f"text of {len(text):,} characters; at most {limit:,} are accepted"
    for ch in text:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF:
            return f"not Unicode text: a lone surrogate U+{o:04X}"
        if (o < 0x20 or o == 0x7F) and not (free and ch in _FREE_CONTROLS):
            return f"control character U+{o:04X} in text"
    return None


def _scalar_problem(value: object, free: bool) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _text_problem(value, free)
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            return f"the number {str(value)[:20]}… is beyond ±(2^53 − 1), which JSON cannot carry exactly"
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"{value} is not a JSON number"
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return None
    return f"a {type(value).__name__} is not a JSON value"


def _shown(key: str) -> str:
    """A key as a field path can show it: a lone surrogate or a control character, which
    no terminal or UTF-8 writer takes, as its ``\\uXXXX`` escape."""
    return "".join(
        f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF or ord(c) < 0x20 or ord(c) == 0x7F else c
        for c in key
    )


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = _shown(key)
    return f"{path}.{key}" if path else key


def bounds_problems(data: Any) -> list[tuple[str, str]]:
    """Every value of a raw case that JSON cannot carry, or past the bounds, by field path."""
    problems: list[tuple[str, str]] = []
    counted: dict[str, int] = {}
    # (value, path, level, depth below ``fields`` or -1 outside it, the fields it belongs to)
    stack: list[tuple[Any, str, int, int, str]] = [(data, "", 0, -1, "")]
    while stack:
        if len(problems) > MAX_PROBLEMS:
            break
        value, path, level, depth, owner = stack.pop()
        free = depth >= 0
        if level > MAX_DEPTH:
            problems.append((path, f"nested more than {MAX_DEPTH} levels deep"))
            continue
        if free:
            counted[owner] = counted.get(owner, 0) + 1
            if counted[owner] == MAX_FIELDS_VALUES + 1:
                problems.append((owner, f"more than {MAX_FIELDS_VALUES:,} values"))
            if depth > MAX_FIELDS_DEPTH:
                problems.append((path, f"nested more than {MAX_FIELDS_DEPTH} levels below fields"))
                continue
        if isinstance(value, dict):
            items = list(value.items())
            for k, v in reversed(items):
                if not isinstance(k, str):
                    problems.append((path or "(input)", f"key {k!r} is not text"))
                    continue
                sub = _join(path, k)
                p = _text_problem(k, free)
                if p:
                    problems.append((sub, f"the key: {p}"))
                    continue
                if not free and k == "fields" and path.startswith("records["):
                    stack.append((v, sub, level + 1, 0, sub))
                else:
                    stack.append((v, sub, level + 1, depth + 1 if free else -1, owner))
        elif isinstance(value, list | tuple):
            name = path.rsplit(".", 1)[-1]
            limit = None if free else MAX_ITEMS.get(name)
            if limit is not None and len(value) > limit:
                problems.append(
                    (path, f"{len(value):,} items; one case may hold at most {limit:,} {name}")
                )
                continue
            if not free and len(value) > max(MAX_ITEMS.values()):
                problems.append((path, f"{len(value):,} items is more than any case holds"))
                continue
            for i in reversed(range(len(value))):
                stack.append(
                    (value[i], _join(path, i), level + 1, depth + 1 if free else -1, owner)
                )
        else:
            p = _scalar_problem(value, free)
            if p:
                problems.append((path or "(input)", p))
    problems.sort(key=lambda pm: pm[0])
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [("(input)", "more problems not shown")]
    return problems
