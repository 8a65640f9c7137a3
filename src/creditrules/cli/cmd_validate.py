"""``creditrules validate PATH...``: check ruleset folders and print their diagnostics."""

from __future__ import annotations

import argparse

from creditrules import api
from creditrules.cli.io import existing_paths
from creditrules.cli.parser import Subparsers, add_command, bi
from creditrules.diagnostics import render_json, render_text


def register(sub: Subparsers) -> None:
    """Add the ``validate`` command."""
    s = add_command(
        sub,
        "validate",
        zh="检查规则集文件夹，逐条给出诊断（文件:行:列、代码、帮助）",
        en="check ruleset folders; one diagnostic per problem (file:line:col, code, help)",
        exit_codes=[
            (0, "没有错误（可能有警告）", "no errors (warnings allowed)"),
            (1, "发现错误诊断", "error diagnostics found"),
            (2, "用法错误或路径不存在", "bad usage, or a path that does not exist"),
        ],
    )
    s.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=bi(
            "规则集文件夹，或其上级文件夹（检查其下全部规则集）",
            "a ruleset folder, or a folder above several (all are checked)",
        ),
    )
    s.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi(
            "text 每条诊断数行，末行为合计；json 为诊断数组（code、slug、severity、message、file、line、column、help）",
            "text: each diagnostic, then the totals; json: an array of diagnostics "
            "(code, slug, severity, message, file, line, column, help)",
        ),
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 clean (warnings allowed), 1 when any diagnostic is an error."""
    diags = api.validate(*existing_paths(args.paths))
    if args.format == "json":
        print(render_json(diags))
    else:
        print(render_text(diags))
    return 1 if any(d.severity == "error" for d in diags) else 0
