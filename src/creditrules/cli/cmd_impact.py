"""``creditrules impact``: decide a case corpus under two ruleset versions and report every
decision that changes, grouped by rule and by cited article."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from creditrules import api
from creditrules.batch import read_cases
from creditrules.canonical import read_json
from creditrules.cli.io import date_arg
from creditrules.cli.parser import Subparsers, add_command, bi, default_line
from creditrules.errors import InputError
from creditrules.impact import impact


def register(sub: Subparsers) -> None:
    """Add the ``impact`` command."""
    s = add_command(
        sub,
        "impact",
        zh="在两个规则集版本下评估同一批案件，按规则和所引条款列出每个改变的决定",
        en="decide a case corpus under two ruleset versions; report every decision that "
        "changes, grouped by rule and cited article",
        exit_codes=[
            (0, "没有决定改变", "no decision changes"),
            (1, "有决定改变（见报告）", "some decisions change (see the report)"),
        ],
    )
    s.add_argument(
        "--ruleset",
        required=True,
        metavar="OLD",
        help=bi("现行版本：ID@VERSION 或文件夹", "the version in use: ID@VERSION or a folder"),
    )
    s.add_argument(
        "--against",
        required=True,
        metavar="NEW",
        help=bi("拟发布的版本：ID@VERSION 或文件夹", "the amended version: ID@VERSION or a folder"),
    )
    s.add_argument(
        "--input",
        required=True,
        metavar="CASES",
        help=bi("案件：.jsonl 或 .parquet", "cases: .jsonl or .parquet"),
    )
    s.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=bi("所有案件的评估日期", "evaluation date of every case")
        + default_line("各案件的 as_of", "each case's as_of"),
    )
    s.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi("text 为报告；json 为全部改变", "text: the report; json: every change"),
    )
    s.set_defaults(func=run)


def _cases(path: Path) -> list[tuple[int, object]]:
    out: list[tuple[int, object]] = []
    problems = []
    for line, raw in read_cases(path):
        if isinstance(raw, str):
            try:
                out.append((line, read_json(raw)))
            except ValueError as exc:
                problems.append((f"--input line {line}", f"invalid JSON: {exc}"))
        else:
            out.append((line, raw))
    if problems:
        raise InputError(problems)
    return out


def run(args: argparse.Namespace) -> int:
    """Load both versions once, decide every case under each, print what changes."""
    path = Path(args.input)
    if not path.is_file():
        raise InputError([("--input", f"no such file: {args.input}")])
    old = api.load_ruleset(args.ruleset)
    new = api.load_ruleset(args.against)
    report = impact(old, new, _cases(path), as_of=args.as_of)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 1 if report.changed else 0
    print(
        f"{report.old} → {report.new}: {len(report.changed)} of {report.cases} decision(s) change"
    )
    if report.by_rule:
        print("按规则 / by rule:")
        for rule, n in sorted(report.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            arts = "; ".join(report.rule_articles.get(rule, []))
            print(f"  {n:6d}  {rule}  ({arts})")
        print("按条款 / by article:")
        for art, n in sorted(report.by_article.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {n:6d}  {art}")
    for c in report.changed:
        what = ", ".join(c.parts)
        why = ", ".join(c.rules) or (c.new_error or c.old_error or "")
        print(f"line {c.line}: {c.subject}: {what}: {why}")
    return 1 if report.changed else 0
