"""``creditrules replay DECISION.json``: re-evaluate a stored decision and compare."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from creditrules import api
from creditrules import log as decision_log
from creditrules.cli.io import read_data
from creditrules.cli.parser import Subparsers, add_command, add_decision_argument, bi, default_line
from creditrules.errors import InputError, LogError
from creditrules.log.entry import problems as entry_problems


def register(sub: Subparsers) -> None:
    """Add the ``replay`` command."""
    s = add_command(
        sub,
        "replay",
        zh="按决定所记规则集版本（内容哈希）重新评估，核对结果是否一致",
        en="re-evaluate a stored decision on its ruleset version (by content hash) and compare",
        exit_codes=[
            (0, "完全一致", "identical"),
            (1, "不一致（差异输出到 stdout）", "differs (the differences on stdout)"),
            (2, "无法重放（原因输出到 stderr）", "cannot replay (why, on stderr)"),
        ],
    )
    add_decision_argument(s, optional=True)
    s.add_argument(
        "--rulesets",
        action="append",
        metavar="DIR",
        help=bi(
            "查找规则集版本的文件夹，可重复；先于内置规则集查找",
            "folder to search for the ruleset version, repeatable; searched before the "
            "bundled ones",
        )
        + default_line("只查内置规则集", "the bundled rulesets only"),
    )
    s.add_argument(
        "--input",
        metavar="FILE",
        help=bi(
            "原始（未遮蔽的）输入，与所存 input_sha256 核对",
            "the original (unmasked) input, checked against the stored input_sha256",
        ),
    )
    s.add_argument(
        "--log",
        metavar="URL",
        help=bi(
            "从决定日志中取决定（与 --decision 同用，代替 DECISION.json）",
            "take the decision from a decision log (with --decision, instead of DECISION.json)",
        ),
    )
    s.add_argument(
        "--decision",
        metavar="ENTRY_ID",
        dest="decision_entry",
        help=bi("日志记录的 entry_id", "the log entry's entry_id"),
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 identical, 1 differs (the differences on stdout), 2 cannot replay (on stderr)."""
    if args.log is not None or args.decision_entry is not None:
        data = from_log(args)
    elif args.decision is None:
        raise InputError([("DECISION.json", "give a decision file, or --log URL --decision ID")])
    else:
        data = read_data(args.decision, "DECISION")
    roots = [Path(p) for p in args.rulesets] if args.rulesets else None
    original = read_data(args.input, "--input") if args.input else None
    report = api.replay(data, roots=roots, original=original)
    stream = sys.stdout if report.status != "cannot_replay" else sys.stderr
    print(report.render(), file=stream)
    return report.exit_code


def from_log(args: argparse.Namespace) -> dict[str, Any]:
    """The decision of the log entry ``--decision`` names, after checking the entry's own
    hash (the whole chain is ``creditrules log verify``'s to check)."""
    if args.decision is not None:
        raise InputError([("DECISION.json", "give a decision file or --log, not both")])
    if args.log is None or args.decision_entry is None:
        missing = "--log" if args.log is None else "--decision"
        raise InputError([(missing, "--log URL and --decision ENTRY_ID go together")])
    try:
        with decision_log.open_log(args.log) as dl:
            entry = dl.get(args.decision_entry)
    except LogError as exc:
        raise InputError([("--log", str(exc))]) from None
    if entry is None:
        raise InputError(
            [("--decision", f"no entry of {args.log} has entry_id {args.decision_entry}")]
        )
    bad = entry_problems(entry)
    if bad:
        raise InputError(
            [
                (
                    "--decision",
                    f"entry {entry.seq} was altered ({bad[0]}); run creditrules log verify",
                )
            ]
        )
    return entry.decision
