"""``creditrules rulesets``: the bundled rulesets and when each is in force."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from creditrules import api
from creditrules.cli.io import print_json, width
from creditrules.cli.parser import Subparsers, add_command, bi
from creditrules.loader import Entry


def register(sub: Subparsers) -> None:
    """Add the ``rulesets`` command."""
    s = add_command(
        sub,
        "rulesets",
        zh="列出内置规则集及其施行期间",
        en="list the bundled rulesets and when each is in force",
        exit_codes=[(0, "已列出", "listed")],
    )
    s.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi(
            "text 为对齐的表格；json 为数组，每个版本一个对象",
            "text is an aligned table; json is an array with one object per version",
        ),
    )
    s.set_defaults(func=run)


def as_json(e: Entry) -> dict[str, Any]:
    """One version as ``rulesets --format json`` prints it (a stable shape: fields may be
    added, none renamed): ``effective_to`` is the first day it is no longer in force,
    ``last_day`` the last day it is, both null while it is in force."""
    m = e.manifest
    return {
        "id": e.id,
        "version": e.version,
        "ref": f"{e.id}@{e.version}",
        "title": m.title,
        "number": m.number,
        "issuer": m.issuer,
        "effective_from": str(m.effective_from),
        "effective_to": str(m.effective_to) if m.effective_to else None,
        "last_day": str(m.effective_to - timedelta(days=1)) if m.effective_to else None,
        "extends": m.extends,
    }


def run(args: argparse.Namespace) -> int:
    """Print one aligned row (or one JSON object) per bundled ruleset version."""
    entries = api.list_rulesets()
    if args.format == "json":
        print_json([as_json(e) for e in entries])
        return 0
    rows = [("id", "version", "number", "in force from", "last day", "title")]
    for e in entries:
        m = e.manifest
        last = str(m.effective_to - timedelta(days=1)) if m.effective_to else "(in force)"
        rows.append((e.id, e.version, m.number or "", str(m.effective_from), last, m.title))
    widths = [max(width(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print(
            "  ".join(c + " " * (w - width(c)) for c, w in zip(r[:5], widths, strict=True))
            + "  "
            + r[5]
        )
    return 0
