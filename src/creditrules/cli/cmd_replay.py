"""``creditrules replay DECISION.json``: re-evaluate a stored decision and compare."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from creditrules import api
from creditrules.cli.io import read_data
from creditrules.cli.parser import Subparsers, add_command, add_decision_argument, bi, default_line


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
    add_decision_argument(s)
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
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 identical, 1 differs (the differences on stdout), 2 cannot replay (on stderr)."""
    data = read_data(args.decision, "DECISION")
    roots = [Path(p) for p in args.rulesets] if args.rulesets else None
    original = read_data(args.input, "--input") if args.input else None
    report = api.replay(data, roots=roots, original=original)
    stream = sys.stdout if report.status != "cannot_replay" else sys.stderr
    print(report.render(), file=stream)
    return report.exit_code
