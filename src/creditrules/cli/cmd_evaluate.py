"""``creditrules evaluate``: one case against a ruleset, the Decision on stdout."""

from __future__ import annotations

import argparse
import json
from datetime import date

from creditrules import api
from creditrules.cli.io import date_arg, read_data
from creditrules.cli.parser import Subparsers
from creditrules.errors import InputError


def register(sub: Subparsers) -> None:
    """Add the ``evaluate`` command."""
    s = sub.add_parser("evaluate", help="evaluate a case")
    s.add_argument("--ruleset", required=True, help="ID, ID@VERSION or a ruleset folder")
    s.add_argument("--input", required=True, help="case file (JSON or YAML)")
    s.add_argument("--as-of", type=date_arg, default=None)
    s.add_argument("--format", choices=["json", "text"], default="json")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument(
        "--backend", choices=["durable_rules", "reference", "both"], default="durable_rules"
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the ruleset in force on the case's date (or the one named) and evaluate."""
    case = read_data(args.input, "--input")
    as_of = args.as_of
    if as_of is None and isinstance(case, dict) and isinstance(case.get("as_of"), str):
        try:
            as_of = date.fromisoformat(case["as_of"])
        except ValueError:
            raise InputError([("as_of", f"'{case['as_of']}' is not a date YYYY-MM-DD")]) from None
    rs = api.load_ruleset(args.ruleset, as_of=as_of)
    decision = api.evaluate(rs, case, as_of=args.as_of, backend=args.backend)
    if args.format == "text":
        print(api.explain(decision, lang=args.lang), end="")
    else:
        print(
            json.dumps(
                decision.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2
            )
        )
    return 0
