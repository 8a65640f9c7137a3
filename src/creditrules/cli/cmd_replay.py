"""``creditrules replay DECISION.json``: re-evaluate a stored decision and compare."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from creditrules import api
from creditrules.cli.io import read_data
from creditrules.cli.parser import Subparsers


def register(sub: Subparsers) -> None:
    """Add the ``replay`` command."""
    s = sub.add_parser("replay", help="replay a stored decision")
    s.add_argument("decision")
    s.add_argument("--rulesets", action="append", help="folder to search for the ruleset version")
    s.add_argument(
        "--input", help="the original (unmasked) input, checked against the stored input_sha256"
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 identical, 1 differs (the differences on stdout), 2 cannot replay (on stderr)."""
    data = read_data(args.decision, "DECISION")
    roots = [Path(p) for p in args.rulesets] if args.rulesets else None
    original = read_data(args.input, "--input") if args.input else None
    report = api.replay(data, roots=roots, original=original)
    stream = sys.stdout if report.status != "cannot_replay" else sys.stderr
    print(report.render(), file=stream)
    return report.exit_code
