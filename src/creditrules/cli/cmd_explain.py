"""``creditrules explain DECISION.json``: a stored decision in words."""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from creditrules import api
from creditrules.cli.io import read_data
from creditrules.cli.parser import Subparsers
from creditrules.errors import InputError
from creditrules.model.decision import Decision


def register(sub: Subparsers) -> None:
    """Add the ``explain`` command."""
    s = sub.add_parser("explain", help="explain a stored decision")
    s.add_argument("decision")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument(
        "--all", action="store_true", help="also list the rules that did not fire, and why"
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """A file that is not a decision document is bad input (exit 2)."""
    data = read_data(args.decision, "DECISION")
    try:
        decision = Decision.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(
            [("DECISION", f"not a decision document: {where}: {first['msg']}")]
        ) from None
    print(api.explain(decision, lang=args.lang, all_rules=args.all), end="")
    return 0
