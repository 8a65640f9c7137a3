"""``creditrules validate PATH...``: check ruleset folders and print their diagnostics."""

from __future__ import annotations

import argparse

from creditrules import api
from creditrules.cli.parser import Subparsers
from creditrules.diagnostics import render_json, render_text


def register(sub: Subparsers) -> None:
    """Add the ``validate`` command."""
    s = sub.add_parser("validate", help="check ruleset folders")
    s.add_argument("paths", nargs="+")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 clean (warnings allowed), 1 when any diagnostic is an error."""
    diags = api.validate(*args.paths)
    if args.format == "json":
        print(render_json(diags))
    else:
        print(render_text(diags))
    return 1 if any(d.severity == "error" for d in diags) else 0
