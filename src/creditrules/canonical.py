"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and the SHA-256 digests
taken over it.

Every digest creditrules publishes — a decision's ``input_sha256``, its ``decision_id``, a
decision log entry's hash — is ``sha256(rfc8785(value))`` in lowercase hex, so anyone can
recompute it with a standard RFC 8785 implementation (the ``rfc8785`` package for Python,
``canonicalize`` for JavaScript, ``json-canonicalization`` for Java and Go).

RFC 8785 represents numbers as IEEE 754 doubles (I-JSON), so an integer beyond
±(2**53 − 1), a NaN or an infinity has no canonical form; nor has a string holding a lone
surrogate. Such a value is bad input: ``InputError`` names where it is.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import rfc8785

from creditrules.errors import InputError

#: The largest integer RFC 8785 (an IEEE 754 double) represents exactly.
MAX_SAFE_INTEGER = 2**53 - 1


def canonical_bytes(value: Any, *, where: str = "") -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value.

    ``where`` prefixes the field path named when the value has no canonical form.
    """
    if _numbers_ok(value):
        try:
            return rfc8785.dumps(value)
        except (ValueError, TypeError, RecursionError):  # UnicodeError is a ValueError
            pass
    path, problem = _first_problem(value, where) or (where, "it has no RFC 8785 canonical form")
    raise InputError([(path or "input", problem)])


def _number_problem(v: int | float) -> str | None:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return f"{v} is not a JSON number"
    if isinstance(v, int) and abs(v) > MAX_SAFE_INTEGER:
        return f"{v} is beyond ±(2**53 − 1) and has no exact RFC 8785 (I-JSON) form; write it as a string"
    if isinstance(v, float) and MAX_SAFE_INTEGER < abs(v) < 1e21:
        # RFC 8785 writes such a float as plain digits, which JSON parsers read back as an
        # integer beyond 2**53: the canonical form would not survive an auditor's tools.
        return f"{v:.17g} is written by RFC 8785 as digits that read back as an integer beyond 2**53; write it as a string"
    return None


def _numbers_ok(value: Any) -> bool:
    """Whether every number in ``value`` has a canonical form that reads back the same,
    and it nests at most ``MAX_DEPTH`` deep (the quick check; ``_first_problem`` finds
    where, when it fails)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        t = type(v)
        if t is dict:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((x, depth + 1) for x in v.values())
        elif t is list or t is tuple:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((x, depth + 1) for x in v)
        elif (t is int or t is float) and _number_problem(v) is not None:
            return False
    return True


def sha256_hex(value: Any, *, where: str = "") -> str:
    """``sha256(rfc8785(value))`` in lowercase hex."""
    return hashlib.sha256(canonical_bytes(value, where=where)).hexdigest()


def is_canonical(text: str | bytes) -> bool:
    """Whether ``text`` is exactly the RFC 8785 form of the JSON it holds."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        return rfc8785.dumps(json.loads(raw)) == raw
    except (ValueError, TypeError, RecursionError):
        return False


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


#: How deep a value may nest (the canonical form is written recursively).
MAX_DEPTH = 200


def _first_problem(value: Any, path: str) -> tuple[str, str] | None:
    """Where (field path) and why a value has no RFC 8785 form, or None; iterative, so a
    deeply nested value cannot exhaust the stack.

    """
    stack: list[tuple[str, Any, int]] = [(path, value, 0)]
    while stack:
        where, v, depth = stack.pop()
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int | float):
            problem = _number_problem(v)
            if problem is not None:
                return where, problem
            continue
        if depth >= MAX_DEPTH:
            return where, f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(v, str):
            if not _utf8(v):
                return where, "the text holds a lone surrogate, which is not Unicode text"
        elif isinstance(v, dict):
            for k, item in reversed(list(v.items())):
                if not isinstance(k, str):
                    return where, f"key {k!r} is not a string"
                if not _utf8(k):
                    return where, "a key holds a lone surrogate, which is not Unicode text"
                stack.append((_join(where, k), item, depth + 1))
        elif isinstance(v, list | tuple):
            for i in reversed(range(len(v))):
                stack.append((_join(where, i), v[i], depth + 1))
        else:
            return where, f"a {type(v).__name__} is not a JSON value"
    return None


def _utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_json(text: str) -> Any:
    """Parse JSON text as RFC 8259 has it, for every reader of input files.

    Python's reader also takes NaN and Infinity, converts integers of up to 4,300 digits
    and fails past them with a bare ``ValueError``, and runs out of stack on arrays nested
    a few thousand deep; here each of those is a ``ValueError`` saying so (a
    ``json.JSONDecodeError`` for syntax, with its line and column), and a key given twice
    is refused instead of the last one silently kept.
    """
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_constant, parse_int=_integer
        )
    except RecursionError:
        raise ValueError("nested too deeply to read") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise json.JSONDecodeError(f"duplicate key '{k}'", "", 0)
        out[k] = v
    return out


def _constant(literal: str) -> Any:
    raise ValueError(f"{literal} is not a JSON number")


def _integer(digits: str) -> int:
    # No reader that uses doubles carries more than about 16 digits exactly; past 30
    # the number cannot be anything a case or a decision holds.
    if len(digits.lstrip("-")) > 30:
        raise ValueError(f"a number of {len(digits):,} digits")
    return int(digits)
