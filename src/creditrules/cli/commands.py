"""The registry of commands: one line per command module.

A command lives in ``creditrules/cli/cmd_<name>.py`` and exposes
``register(subparsers)``, which adds its sub-parser and sets ``func`` (a callable taking
the parsed ``argparse.Namespace`` and returning the exit code). To add a command, write
that module and add its name below; ``creditrules --help`` lists commands in this order.
"""

from __future__ import annotations

COMMANDS: tuple[str, ...] = (
    "rulesets",
    "validate",
    "evaluate",
    "batch",
    "impact",
    "test",
    "explain",
    "replay",
    "log",
    "render",
    "synth",
    "completion",
)
