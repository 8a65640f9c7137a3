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
from importlib import metadata

import argcomplete

from creditrules import __version__
from creditrules.cli.commands import COMMANDS
from creditrules.cli.io import fail
from creditrules.cli.parser import USAGE_EXIT, Parser, bi, exit_codes_epilog
from creditrules.diagnostics import Diagnostic
from creditrules.errors import (
    CreditRulesError,
    InputError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
)

EXIT_CODES = [
    (0, "成功", "success"),
    (
        1,
        "有诊断错误、情景失败或重放结果不一致",
        "diagnostics, failing scenarios, or a replay that differs",
    ),
    USAGE_EXIT,
]


def version_text() -> str:
    """What ``creditrules --version`` prints: this package and the engine it drives."""
    try:
        engine = metadata.version("durable_rules")
    except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
        engine = "not installed"
    return f"creditrules {__version__} (durable_rules {engine})"


def build_parser() -> argparse.ArgumentParser:
    """The ``creditrules`` parser with every registered command."""
    p = Parser(
        prog="creditrules",
        description=bi(
            "社会信用法律规则：校验、评估、说明、重放",
            "China's public-credit law as rules: validate, evaluate, explain, replay.",
        ),
        epilog=exit_codes_epilog(EXIT_CODES)
        + "\n\n各命令的选项与退出码 / options and exit codes of a command:"
        + "\n  creditrules COMMAND --help"
        + "\nshell 补全 / shell completion:"
        + "\n  creditrules completion bash|zsh|fish",
    )
    p.add_argument(
        "--version",
        action="version",
        version=version_text(),
        help=bi("显示版本并退出", "show the version and exit"),
    )
    sub = p.add_subparsers(
        dest="command",
        required=True,
        parser_class=Parser,
        metavar="COMMAND",
        title="命令 / commands",
    )
    for name in COMMANDS:
        importlib.import_module(f"creditrules.cli.cmd_{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``creditrules`` script.

    Bare ``creditrules`` prints the help on stdout and exits 0, as git-style tools do
    (pip, cargo, docker): asking for nothing is asking what there is.
    """
    parser = build_parser()
    argcomplete.autocomplete(parser)  # answers the shell's completion request, else no-op
    given = sys.argv[1:] if argv is None else argv
    if not given:
        parser.print_help()
        return 0
    args = parser.parse_args(given)
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
