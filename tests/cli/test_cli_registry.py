"""The command registry: every ``cmd_*`` module is registered and registers itself."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import creditrules.cli
from creditrules.cli.commands import COMMANDS
from creditrules.cli.main import build_parser

CLI = Path(creditrules.cli.__file__).parent


def test_every_command_module_is_in_the_registry() -> None:
    modules = sorted(p.stem.removeprefix("cmd_") for p in CLI.glob("cmd_*.py"))
    assert sorted(COMMANDS) == modules
    assert len(set(COMMANDS)) == len(COMMANDS)


def test_each_command_registers_its_name_and_a_handler() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == list(COMMANDS)
    for name, p in sub.choices.items():
        assert callable(p.get_default("func")), f"{name} sets no func"
        mod = importlib.import_module(f"creditrules.cli.cmd_{name}")
        assert mod.__doc__, f"cmd_{name} has no docstring"
