"""The argument parser class every command's sub-parser uses."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TypeAlias

#: What ``register(subparsers)`` receives: call ``subparsers.add_parser(...)`` on it.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one ``error:`` line after the usage, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)
