"""``creditrules synth``: seeded realistic cases as JSON Lines, for benchmarks and batch runs.

The same seed, count and ruleset give the same lines on every machine
(``creditrules.synth``). Each line is one case as ``evaluate`` reads it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from creditrules import synth
from creditrules.cli.parser import Subparsers, add_command, bi
from creditrules.errors import InputError


def _count(text: str, lo: int, hi: int | None, what: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < lo or (hi is not None and n > hi):
        bound = f"{lo}–{hi}" if hi is not None else f"at least {lo}"
        raise argparse.ArgumentTypeError(f"{what} must be {bound}, got {n}")
    return n


def register(sub: Subparsers) -> None:
    """Add the ``synth`` command."""
    s = add_command(
        sub,
        "synth",
        zh="按种子生成逼真的信用主体案件（JSON Lines，每行一个案件），供基准测试和批量评估使用",
        en="generate realistic credit-subject cases from a seed (JSON Lines, one case a line) "
        "for benchmarks and batch runs",
        exit_codes=[(0, "已生成", "written")],
    )
    s.add_argument(
        "--seed",
        type=lambda t: _count(t, 0, None, "--seed"),
        default=0,
        help=bi("随机种子（相同种子生成相同案件）", "random seed (the same seed, the same cases)"),
    )
    s.add_argument(
        "--subjects",
        type=lambda t: _count(t, 1, None, "--subjects"),
        default=100,
        metavar="N",
        help=bi("生成的主体数", "how many subjects"),
    )
    s.add_argument(
        "--records",
        type=lambda t: _count(t, 1, 30, "--records"),
        default=None,
        metavar="N",
        help=bi("每个主体的记录数（1–30）", "records per subject (1–30)")
        + "\n默认 / default: 1–30 随机 / drawn from 1–30",
    )
    s.add_argument(
        "--ruleset",
        default=None,
        metavar="ID[@VERSION]",
        help=bi(
            "按该规则集施行的日期和地区生成（身份证号、信用代码的行政区划）",
            "dates in force and areas (of identifiers) of this ruleset",
        )
        + "\n默认 / default: 十年内所有地区 / every area over ten years",
    )
    s.add_argument(
        "--output",
        default=None,
        metavar="FILE",
        help=bi("写入的文件（.jsonl）", "file to write (.jsonl)") + "\n默认 / default: stdout",
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the generated cases, one JSON object a line."""
    try:
        synth.profile(args.ruleset)  # an unknown id is bad input before anything is written
    except ValueError as exc:
        raise InputError([("--ruleset", str(exc))]) from None
    cases = synth.subjects(
        seed=args.seed, n=args.subjects, ruleset=args.ruleset, n_records=args.records
    )
    if args.output is None:
        for case in cases:
            sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")
        return 0
    out = Path(args.output)
    if not out.parent.is_dir():
        raise InputError([("--output", f"no such folder: {out.parent}")])
    with out.open("w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    return 0
