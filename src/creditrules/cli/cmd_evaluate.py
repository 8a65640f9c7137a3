"""``creditrules evaluate``: one case against a ruleset, the Decision on stdout.

Every warning of the decision goes to stderr as ``warning: <field>: <message>``; the
Decision (JSON) or its explanation (text) is all that goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from creditrules import api
from creditrules import log as decision_log
from creditrules.cli.io import date_arg, print_warnings, read_data, warning_lines
from creditrules.cli.parser import (
    Subparsers,
    add_backend_option,
    add_command,
    add_reveal_personal_option,
    bi,
    default_line,
)
from creditrules.errors import InputError, LogError
from creditrules.log.entry import decided_at_text


def register(sub: Subparsers) -> None:
    """Add the ``evaluate`` command."""
    s = add_command(
        sub,
        "evaluate",
        zh="按规则集评估一个案件，输出决定（JSON）或其说明（文本）",
        en="evaluate a case against a ruleset; print the Decision (JSON) or its explanation",
        exit_codes=[
            (0, "已作出决定（警告在 stderr）", "decided (warnings on stderr)"),
            (
                2,
                "输入有误、规则集不存在或有错误、用法错误（stdout 为空）",
                "bad input, unknown or broken ruleset, bad usage (nothing on stdout)",
            ),
        ],
    )
    s.add_argument(
        "--ruleset",
        required=True,
        metavar="ID[@VERSION]|DIR",
        help=bi(
            "规则集：ID 取评估日期施行的版本，ID@VERSION 指定版本，也可为文件夹路径",
            "ID picks the version in force on the case's date, ID@VERSION names one, "
            "or a ruleset folder",
        ),
    ).completer = _complete_ruleset  # type: ignore[attr-defined]
    s.add_argument(
        "--input",
        required=True,
        metavar="FILE",
        help=bi("案件文件（JSON 或 YAML）", "case file (JSON or YAML)"),
    )
    s.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=bi(
            "评估日期 YYYY-MM-DD，优先于案件中的 as_of",
            "evaluation date YYYY-MM-DD, overrides the case's as_of",
        )
        + default_line("案件中的 as_of", "the case's as_of"),
    )
    s.add_argument(
        "--format",
        choices=["json", "text"],
        default="json",
        help=bi(
            "json 为决定文档；text 为说明", "json: the Decision document; text: its explanation"
        ),
    )
    s.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help=bi(
            "说明的语言（仅 --format text）", "language of the explanation (--format text only)"
        ),
    )
    add_backend_option(s, default="durable_rules")
    add_reveal_personal_option(s)
    s.add_argument(
        "--log",
        metavar="URL",
        help=bi(
            "同时把决定追加到哈希链决定日志；URL 为文件路径、sqlite:///PATH 或 postgresql://…",
            "append the decision to a hash-chained decision log: a file path or "
            "sqlite:///PATH, or postgresql://...",
        )
        + default_line("不记日志", "no log"),
    )
    s.add_argument(
        "--decided-at",
        metavar="TIME",
        help=bi(
            "调用方作出决定的时间，ISO 8601 含时区，如 2026-11-21T09:30:00+08:00（--log 时必填）",
            "the caller's time of the decision, ISO 8601 with offset, e.g. "
            "2026-11-21T09:30:00+08:00 (required with --log)",
        ),
    )
    s.add_argument(
        "--entry-id",
        metavar="ID",
        help=bi(
            "日志记录的编号（须在日志中唯一）",
            "the log entry's id (must be new to the log)",
        )
        + default_line("随机 UUID", "a random UUID"),
    )
    s.set_defaults(func=run)


def _complete_ruleset(**_: Any) -> list[str]:
    """Shell completion for ``--ruleset``: bundled ids and id@version refs."""
    refs: list[str] = []
    for e in api.list_rulesets():
        refs += [e.id, f"{e.id}@{e.version}"]
    return list(dict.fromkeys(refs))


def run(args: argparse.Namespace) -> int:
    """Load the ruleset in force on the case's date (or the one named) and evaluate."""
    case = read_data(args.input, "--input")
    as_of = args.as_of
    if as_of is None and isinstance(case, dict) and isinstance(case.get("as_of"), str):
        try:
            as_of = date.fromisoformat(case["as_of"])
        except ValueError:
            raise InputError([("as_of", f"'{case['as_of']}' is not a date YYYY-MM-DD")]) from None
    if args.log is None and (args.decided_at is not None or args.entry_id is not None):
        given = "--decided-at" if args.decided_at is not None else "--entry-id"
        raise InputError([(given, "applies only with --log")])
    if args.log is not None:
        if args.decided_at is None:
            raise InputError(
                [("--decided-at", "required with --log: the caller's time of the decision")]
            )
        try:
            decided_at_text(args.decided_at)
        except InputError as exc:
            raise InputError([("--decided-at", msg) for _, msg in exc.problems]) from None
    rs = api.load_ruleset(args.ruleset, as_of=as_of)
    decision = api.evaluate(
        rs, case, as_of=args.as_of, backend=args.backend, reveal_personal=args.reveal_personal
    )
    entry = None
    if args.log is not None:
        try:
            entry = decision_log.append(
                args.log, decision, decided_at=args.decided_at, entry_id=args.entry_id
            )
        except LogError as exc:
            raise InputError([("--log", str(exc))]) from None
    warnings = warning_lines(decision)
    if args.format == "text":
        print(api.explain(decision, lang=args.lang), end="")
    else:
        print(
            json.dumps(
                decision.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2
            )
        )
    print_warnings(warnings)
    if entry is not None:
        print(f"logged: entry {entry.seq} {entry.entry_id} {entry.entry_hash}", file=sys.stderr)
    return 0
