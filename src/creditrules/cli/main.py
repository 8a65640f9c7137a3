"""``creditrules`` — the command-line face of the library.

The parser is built from the registry in ``creditrules.cli.commands``: each command is a
module ``cmd_<name>`` with a ``register(subparsers)`` function. Errors the library raises
are turned into exit codes here, once for every command.

Exit codes: 0 success; 1 diagnostics, failing scenarios or a replay that differs;
2 bad usage or bad input (one line per problem naming the field, never a traceback,
nothing on stdout).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from creditrules.cli.commands import COMMANDS
from creditrules.cli.io import fail
from creditrules.cli.parser import Parser
from creditrules.diagnostics import Diagnostic
from creditrules.errors import (
    CreditRulesError,
    InputError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
)


def build_parser() -> argparse.ArgumentParser:
    """The ``creditrules`` parser with every registered command."""
    p = Parser(
        prog="creditrules",
        description="China's public-credit law as rules: validate, evaluate, explain, replay.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"creditrules.cli.cmd_{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``creditrules`` script."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except InputError as exc:
        return fail([f"{path}: {msg}" for path, msg in exc.problems])
    except RulesetNotFoundError as exc:
        return fail([f"--ruleset: {exc}"])
    except RulesetError as exc:
        lines = [str(exc)] + [
            (d.render() if isinstance(d, Diagnostic) else str(d)).splitlines()[0]
            for d in exc.diagnostics
        ]
        return fail(lines)
    except RuleConflictError as exc:
        return fail([f"ruleset conflict: {exc}"])
    except CreditRulesError as exc:
        return fail([str(exc)])
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
