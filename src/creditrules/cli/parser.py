"""The argument parser every command uses, and the conventions of its help text.

Help is bilingual, Chinese first, for the policy staff who read it: every description and
option help is the Chinese line, then the English line (``bi``). Option names, choices and
metavars stay English (they are typed). Every option shows its default, or says it is
required, and every command's ``--help`` ends with its exit codes (``add_command``). Lines
wrap by display width, a CJK character taking two columns.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, NoReturn, TypeAlias

#: What ``register(subparsers)`` receives: pass it to ``add_command``.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

#: The codes every command shares; a command lists its own with ``add_command``.
USAGE_EXIT = (
    2,
    "用法错误或输入有误（每个问题一行，指明字段）",
    "bad usage or bad input (one line per problem, naming the field)",
)


def bi(zh: str, en: str) -> str:
    """Bilingual help: the Chinese line first, then the English line."""
    return f"{zh}\n{en}"


def default_line(zh: str, en: str) -> str:
    """The help line for a default that is not a plain value (e.g. "the case's as_of")."""
    return f"\n默认 / default: {zh} / {en}"


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: CJK (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


#: Wide (CJK) characters: Chinese text may break between any two of them.
_WIDE = (
    "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
#: One wide character, a run of other non-space characters (a word), or spaces.
_TOKEN = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")


def wrap(text: str, width: int) -> list[str]:
    """Wrap one paragraph to ``width`` display columns (words kept whole where they fit)."""
    lines: list[str] = []
    line = ""
    for tok in _TOKEN.findall(" ".join(text.split())):
        if tok.isspace():
            if line:
                line += " "
            continue
        if line and cells(line + tok) > width:
            lines.append(line.rstrip())
            line = ""
        line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser with bilingual help whose usage errors are one ``error:`` line
    after the usage, exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # our own -h, with bilingual help
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 / arguments"
        self._optionals.title = "选项 / options"
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=bi("显示本帮助并退出", "show this help and exit"),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and epilogs (the exit-code table) and adds
    each option's default, or ``必填/required``, to its help line. Help lines wrap by
    display width, each language on its own lines."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return [line for part in text.splitlines() for line in wrap(part, width)]

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "%(default)" in text or action.help is argparse.SUPPRESS:
            return action.help
        if action.required and action.option_strings:
            return f"{text}\n必填 / required"
        default = action.default
        if default is None or default is False or default is argparse.SUPPRESS:
            return action.help
        if isinstance(default, list | tuple) and not default:
            return action.help
        return f"{text}\n默认 / default: %(default)s"


def exit_codes_epilog(codes: Sequence[tuple[int, str, str]]) -> str:
    """The ``退出码 / exit codes`` table that ends a command's help."""
    rows = [f"  {code}  {zh}\n     {en}" for code, zh, en in codes]
    return "退出码 / exit codes:\n" + "\n".join(rows)


def add_command(
    sub: Subparsers,
    name: str,
    *,
    zh: str,
    en: str,
    exit_codes: Sequence[tuple[int, str, str]],
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add a command's sub-parser with bilingual help and its exit codes as the epilog.

    ``zh``/``en`` are the one-line summary shown by ``creditrules --help``;
    ``description`` (already bilingual, may span lines) is shown by ``COMMAND --help``.
    """
    codes = list(exit_codes)
    if all(c != 2 for c, _, _ in codes):
        codes.append(USAGE_EXIT)
    return sub.add_parser(
        name,
        help=bi(zh, en),
        description=description or bi(zh, en),
        epilog=exit_codes_epilog(sorted(codes)),
    )


def add_backend_option(parser: argparse.ArgumentParser, *, default: str) -> None:
    """``--backend``, shared by the commands that evaluate cases."""
    parser.add_argument(
        "--backend",
        choices=["durable_rules", "reference", "both"],
        default=default,
        help=bi(
            "规则引擎；both 同时运行两者并要求结果一致",
            "rule engine; both runs the two and requires them to agree",
        ),
    )


def add_reveal_personal_option(parser: argparse.ArgumentParser) -> None:
    """``--reveal-personal``, shared by the commands that make decisions."""
    parser.add_argument(
        "--reveal-personal",
        action="store_true",
        help=bi(
            "在决定（及其说明和日志记录）中保留自然人的身份证号码和姓名原文；"
            "不给出时一律遮蔽，决定的 masked 列出遮蔽之处",
            "keep natural persons' identifiers and names in full in the decision (and in "
            "its explanation and log entry); without it they are masked and the "
            "decision's masked lists each masked value",
        ),
    )


def add_decision_argument(parser: argparse.ArgumentParser, *, optional: bool = False) -> None:
    """The stored ``DECISION.json`` positional, shared by the commands that read one."""
    parser.add_argument(
        "decision",
        nargs="?" if optional else None,
        metavar="DECISION.json",
        help=bi("evaluate 输出的决定文档", "a Decision document as evaluate prints it"),
    )
