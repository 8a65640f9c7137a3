"""``creditrules rulesets``: the bundled rulesets and when each is in force."""

from __future__ import annotations

import argparse
from datetime import timedelta

from creditrules import api
from creditrules.cli.io import width
from creditrules.cli.parser import Subparsers


def register(sub: Subparsers) -> None:
    """Add the ``rulesets`` command."""
    s = sub.add_parser("rulesets", help="list bundled rulesets")
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print one aligned row per bundled ruleset version."""
    rows = [("id", "version", "number", "in force from", "last day", "title")]
    for e in api.list_rulesets():
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
