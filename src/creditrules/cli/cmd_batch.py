"""``creditrules batch``: re-evaluate a whole platform's cases, in worker processes.

CASES and DECISIONS are JSON Lines (``.jsonl``) or Parquet (``.parquet``, needs pyarrow).
Each case that cannot be read or decided is reported on stderr as
``error: line N: <field>: <problem>`` and counted; the others are decided and written in
input order. The summary goes to stdout. An interrupted run keeps
``DECISIONS.checkpoint`` and resumes there when the same command is run again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from creditrules import batch
from creditrules.cli.io import date_arg
from creditrules.cli.parser import (
    Subparsers,
    add_backend_option,
    add_command,
    add_reveal_personal_option,
    bi,
    default_line,
)
from creditrules.cli.progress import progress


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def register(sub: Subparsers) -> None:
    """Add the ``batch`` command."""
    s = add_command(
        sub,
        "batch",
        zh="批量重新评估大量案件（JSON Lines 或 Parquet），多进程，可中断续跑",
        en="re-evaluate many cases (JSON Lines or Parquet) in worker processes; "
        "an interrupted run resumes",
        exit_codes=[
            (0, "全部案件已决定", "every case decided"),
            (
                1,
                "部分行无法读取或决定（逐行报告于 stderr，其余已写出）",
                "some lines could not be read or decided (each on stderr; the rest written)",
            ),
            (
                2,
                "用法错误、输入文件或规则集不存在、检查点属于另一次运行（不写出任何决定）",
                "bad usage, a missing input or ruleset, a checkpoint of another run "
                "(no decision written)",
            ),
            (
                130,
                "被中断；检查点已保存，重新运行同一命令即可续跑",
                "interrupted; run the same command again to resume",
            ),
        ],
    )
    s.add_argument(
        "--ruleset",
        required=True,
        metavar="ID[@VERSION]|DIR",
        help=bi(
            "规则集：ID 按每个案件的日期取施行的版本",
            "ID picks the version in force on each case's date",
        ),
    )
    s.add_argument(
        "--input",
        required=True,
        metavar="CASES",
        help=bi(
            "案件：.jsonl 每行一个案件，或 .parquet 每行一个案件",
            "cases: .jsonl one case a line, or .parquet one case a row",
        ),
    )
    s.add_argument(
        "--output",
        required=True,
        metavar="DECISIONS",
        help=bi(
            "决定：.jsonl 每行一个决定，或 .parquet（决定 JSON 及可筛选的列）",
            "decisions: .jsonl one a line, or .parquet (the Decision as JSON beside "
            "columns to filter on)",
        ),
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
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help=bi(
            "工作进程数（每个进程只加载一次规则集）",
            "worker processes (each loads the rulesets once)",
        ),
    )
    s.add_argument(
        "--changed-since",
        type=date_arg,
        default=None,
        metavar="DATE",
        help=bi(
            "只写出与该较早日期的决定结论不同的决定，并汇总变化",
            "write only decisions whose conclusions differ from those as of this earlier "
            "date, and sum up what changed",
        ),
    )
    add_backend_option(s, default="durable_rules")
    add_reveal_personal_option(s)
    s.set_defaults(func=run)


def _summary_lines(r: batch.BatchResult, opts: batch.BatchOptions) -> list[str]:
    s = r.summary
    lines = []
    if r.resumed_from:
        lines.append(f"续跑 / resumed after line {r.resumed_from}")
    lines.append(
        f"案件 / cases: {s.read} read, {s.decided} decided, {s.bad} bad line(s), "
        f"{s.written} decision(s) written to {opts.output}"
    )
    status = ", ".join(f"{k} {v}" for k, v in sorted(s.by_status.items())) or "none"
    lines.append(f"记录 / records: {s.records} ({status})")
    lines.append(
        f"名单 / list entries in force: {s.active_list_entries}; "
        f"可修复 / records repairable now: {s.repairable}"
    )
    if opts.changed_since:
        lines.append(
            f"自 / since {opts.changed_since}: {s.written} changed "
            f"({s.new} with no decision then), {s.unchanged} unchanged; "
            f"{s.status_changes} record status change(s), "
            f"{s.list_entries_ending} list entr(ies) ending, "
            f"{s.becoming_repairable} record(s) becoming repairable"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    """Run the batch; the summary on stdout, one ``error:`` line per bad case on stderr."""
    opts = batch.BatchOptions(
        ruleset=args.ruleset,
        input=Path(args.input),
        output=Path(args.output),
        as_of=args.as_of,
        workers=args.workers,
        changed_since=args.changed_since,
        backend=args.backend,
        reveal_personal=args.reveal_personal,
    )

    def bad_line(line: int, problem: str) -> None:
        print(f"error: line {line}: {problem}", file=sys.stderr)

    try:
        with progress("评估案件 / evaluating cases", rate="件") as bar:
            result = batch.run(opts, on_progress=bar.update, on_bad_line=bad_line)
    except batch.BatchInterrupted as exc:
        print(
            f"interrupted: {exc}; checkpoint kept, run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    for line in _summary_lines(result, opts):
        print(line)
    return 1 if result.summary.bad else 0
