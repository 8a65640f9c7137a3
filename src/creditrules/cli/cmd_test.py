"""``creditrules test PATH...``: run scenario files, the policy staff's test runner."""

from __future__ import annotations

import argparse
from pathlib import Path

from creditrules.cli.parser import Subparsers
from creditrules.scenarios import run_paths


def register(sub: Subparsers) -> None:
    """Add the ``test`` command."""
    s = sub.add_parser("test", help="run scenario files")
    s.add_argument("paths", nargs="+")
    s.add_argument("--backend", choices=["durable_rules", "reference", "both"], default="both")
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 when every scenario passes, 1 otherwise (each failure at ``file:line``)."""
    report = run_paths([Path(p) for p in args.paths], backend=args.backend)
    print(report.render())
    return 0 if report.failed == 0 else 1
