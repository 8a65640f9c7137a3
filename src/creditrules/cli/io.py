"""What every command shares: reading input files, argument types, and failing well.

Bad input is reported as ``error: <field>: <problem>`` lines on stderr with exit 2 and
nothing on stdout (CONTRACT.md); commands raise ``InputError`` and ``main`` prints it.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from creditrules.canonical import read_json
from creditrules.errors import InputError
from creditrules.source import load_yaml_text


def fail(lines: list[str]) -> int:
    """Print one ``error:`` line per problem on stderr; the usage/bad-input exit code."""
    for line in lines:
        # Whatever a problem quotes of the input, the line can be written (a lone
        # surrogate is shown as its escape, never a UnicodeEncodeError).
        text = f"error: {line}".encode("utf-8", "backslashreplace").decode("utf-8")
        print(text, file=sys.stderr)
    return 2


def read_data(path: str, what: str) -> Any:
    """Read a JSON or YAML file; problems raise InputError naming the file position."""
    p = Path(path)
    if not p.is_file():
        raise InputError([(what, f"no such file: {path}")])
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError([(what, f"{path} is not UTF-8 text")]) from None
    if p.suffix.lower() in (".yaml", ".yml"):
        loaded, diags = load_yaml_text(text, path)
        if diags or loaded is None:
            raise InputError([(what, f"{d.span}: {d.message}") for d in diags])
        return loaded.data
    try:
        return read_json(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [(what, f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:
        raise InputError([(what, f"{path}: invalid JSON: {exc}")]) from None


def date_arg(text: str) -> date:
    """argparse type for ISO dates (``YYYY-MM-DD``)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


def width(text: str) -> int:
    """Terminal columns ``text`` takes: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def print_json(data: Any) -> None:
    """JSON on stdout as every command writes it: UTF-8 kept, two-space indent."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def existing_paths(paths: list[str], what: str = "PATH") -> list[Path]:
    """The paths as ``Path``; any that does not exist is bad input (exit 2), all named."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError([(what, f"no such file or folder: {p}") for p in missing])
    return [Path(p) for p in paths]


def warning_lines(decision: Any) -> list[str]:
    """``<field>: <message>`` for each of the decision's warnings (none for a Decision
    model without ``warnings``)."""
    out = []
    for w in getattr(decision, "warnings", None) or []:
        field = w.get("field") if isinstance(w, dict) else getattr(w, "field", None)
        message = w.get("message") if isinstance(w, dict) else getattr(w, "message", w)
        out.append(f"{field}: {message}" if field else str(message))
    return out


def print_warnings(lines: list[str]) -> None:
    """Each warning as ``warning: <field>: <message>`` on stderr (stdout stays the data)."""
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)
