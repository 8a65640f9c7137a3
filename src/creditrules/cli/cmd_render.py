"""``creditrules render PATH --out DIR``: rulesets as Chinese documentation."""

from __future__ import annotations

import argparse
from pathlib import Path

from creditrules.cli.parser import Subparsers
from creditrules.render import render_tree


def register(sub: Subparsers) -> None:
    """Add the ``render`` command."""
    s = sub.add_parser("render", help="render rulesets as documentation")
    s.add_argument("path")
    s.add_argument("--out", required=True)
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each file written."""
    written = render_tree(Path(args.path), Path(args.out))
    for p in written:
        print(p)
    return 0
