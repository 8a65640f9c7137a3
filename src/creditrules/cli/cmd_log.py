"""``creditrules log verify|show URL``: check a decision log's hash chain, list its entries.

``verify`` prints ``intact: N entries`` and the head (``SEQ:HASH``, what an auditor
keeps) and exits 0, or names the first entry altered, removed, reordered or inserted and
exits 1. ``show`` lists entries (text table or JSON) without verifying them.
"""

from __future__ import annotations

import argparse

from creditrules import log as decision_log
from creditrules.cli.io import date_arg, print_json, print_warnings, width
from creditrules.cli.parser import Parser, Subparsers, add_command, bi, default_line
from creditrules.errors import InputError, LogError
from creditrules.identifiers import mask_identifier
from creditrules.log import LogEntry

_URL_HELP = bi(
    "决定日志：文件路径或 sqlite:///PATH（SQLite），或 postgresql://…",
    "the decision log: a file path or sqlite:///PATH (SQLite), or postgresql://...",
)


def register(sub: Subparsers) -> None:
    """Add the ``log`` command and its ``verify`` and ``show`` actions."""
    s = add_command(
        sub,
        "log",
        zh="核验决定日志的哈希链，或列出其中的决定",
        en="verify a decision log's hash chain, or list the decisions in it",
        exit_codes=[
            (0, "日志完整 / 已列出", "the log is intact / listed"),
            (
                1,
                "日志被改动（指明第一条被改、删、换序或插入的记录）",
                "tampered with (names the first entry altered, removed, reordered or inserted)",
            ),
            (2, "无法读取日志、用法错误", "cannot read the log, bad usage"),
        ],
    )
    actions: Subparsers = s.add_subparsers(
        dest="log_action",
        required=True,
        parser_class=Parser,
        metavar="ACTION",
        title="操作 / actions",
        help=bi("verify 核验，show 列出", "verify or show"),
    )

    def need_action(_args: argparse.Namespace) -> int:
        s.print_usage()  # argparse requires an action before this could run
        return 2

    s.set_defaults(func=need_action)
    v = add_command(
        actions,
        "verify",
        zh="核验哈希链：每条记录的哈希、与前一条的链接、链头",
        en="verify the hash chain: each entry's hash, its link to the one before, the head",
        exit_codes=[
            (0, "完整（输出记录数与链头）", "intact (the entry count and head are printed)"),
            (
                1,
                "被改动：指明第一条被改、删、换序或插入的记录",
                "tampered with: names the first entry altered, removed, reordered or inserted",
            ),
            (2, "无法读取日志", "cannot read the log"),
        ],
    )
    v.add_argument("url", metavar="URL", help=_URL_HELP)
    v.add_argument(
        "--head",
        metavar="SEQ:HASH",
        help=bi(
            "审计人此前保存的链头（verify 输出的 head），核对其仍在链中",
            "a head the auditor kept (as verify printed it); checks it is still in the chain",
        ),
    )
    v.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi("text 为文字报告；json 为一个对象", "text: a report; json: one object"),
    )
    v.set_defaults(func=run_verify)

    w = add_command(
        actions,
        "show",
        zh="列出日志中的决定（不作核验，核验用 verify）",
        en="list the decisions in a log (not verified: verify does that)",
        exit_codes=[(0, "已列出（可能为空）", "listed (perhaps none)")],
    )
    w.add_argument("url", metavar="URL", help=_URL_HELP)
    w.add_argument(
        "--subject",
        metavar="ID",
        help=bi(
            "只列此主体（统一社会信用代码或身份证号；自然人在日志中为遮蔽形式）",
            "only this subject (credit code or ID number; natural persons are stored masked)",
        )
        + default_line("全部主体", "every subject"),
    )
    w.add_argument(
        "--since",
        type=date_arg,
        metavar="DATE",
        help=bi(
            "只列 decided_at 日期不早于此日的决定，日期写作 YYYY-MM-DD",
            "only decisions whose decided_at falls on or after this date (YYYY-MM-DD)",
        )
        + default_line("全部日期", "every date"),
    )
    w.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi(
            "text 为对齐的表；json 为数组，每条记录含完整决定",
            "text: an aligned table; json: an array, each entry with its whole decision",
        ),
    )
    w.set_defaults(func=run_show)


def run_verify(args: argparse.Namespace) -> int:
    """0 intact, 1 tampered with (the first bad entry named), 2 cannot read."""
    try:
        report = decision_log.verify(args.url, head=args.head)
    except LogError as exc:
        raise InputError([("URL", str(exc))]) from None
    if args.format == "json":
        print_json(report.to_json())
    else:
        print(report.render())
    return report.exit_code


def run_show(args: argparse.Namespace) -> int:
    """The entries, oldest first, as a table or JSON."""
    try:
        found = _select(args)
    except LogError as exc:
        raise InputError([("URL", str(exc))]) from None
    if args.format == "json":
        print_json([e.to_json() for e in found])
        return 0
    rows: list[tuple[str, ...]] = [
        ("seq", "decided_at", "entry_id", "subject", "ruleset", "as_of", "entry_hash")
    ]
    rows += [_row(e) for e in found]
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


def _select(args: argparse.Namespace) -> list[LogEntry]:
    with decision_log.open_log(args.url) as dl:
        found = list(dl.entries(subject=args.subject, since=args.since))
        if args.subject is not None and mask_identifier(args.subject) != args.subject:
            # A natural person's id is stored masked: match that too, and say what it means.
            masked = list(dl.entries(subject=mask_identifier(args.subject), since=args.since))
            if masked:
                print_warnings(
                    [
                        f"--subject: {len(masked)} entr{'y' if len(masked) == 1 else 'ies'} "
                        f"match the masked id {mask_identifier(args.subject)} "
                        "(natural persons' ids are stored masked); another person with the "
                        "same visible characters would match too"
                    ]
                )
                found = sorted(found + masked, key=lambda e: e.seq)
    return found


def _row(e: LogEntry) -> tuple[str, ...]:
    d = e.decision
    rs = d.get("ruleset") or {}
    return (
        str(e.seq),
        e.decided_at,
        e.entry_id,
        e.subject,
        f"{rs.get('id')}@{rs.get('version')}",
        str(d.get("as_of")),
        e.entry_hash[:12],
    )
