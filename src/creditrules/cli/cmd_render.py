"""``creditrules render PATH --out DIR [--format markdown|html]``: rulesets as Chinese
documentation with the quoted law."""

from __future__ import annotations

import argparse
from pathlib import Path

from creditrules.cli.io import existing_paths
from creditrules.cli.parser import Subparsers, add_command, bi
from creditrules.cli.progress import progress
from creditrules.errors import InputError
from creditrules.loader import MANIFEST
from creditrules.render import render_tree


def register(sub: Subparsers) -> None:
    """Add the ``render`` command."""
    s = add_command(
        sub,
        "render",
        zh="将规则集渲染为附有法条原文的中文文档",
        en="render rulesets as Chinese documentation with the quoted law",
        exit_codes=[
            (0, "已写出文件（每行一个路径）", "files written (one path per line)"),
            (
                2,
                "用法错误、路径不存在、其下没有规则集或规则集有错误",
                "bad usage, a path that does not exist or holds no ruleset, or a broken ruleset",
            ),
        ],
    )
    s.add_argument(
        "path",
        metavar="PATH",
        help=bi("规则集文件夹，或其上级文件夹", "a ruleset folder, or a folder above several"),
    )
    s.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=bi(
            "输出文件夹（每个版本一页，另有索引页：markdown 为 README.md，html 为 index.html）",
            "output folder (a page per version and an index: README.md for markdown, "
            "index.html for html)",
        ),
    )
    s.add_argument(
        "--format",
        choices=["markdown", "html"],
        default="markdown",
        help=bi(
            "markdown：文档站用的页面（docs/rulesets）；html：独立的静态网页，"
            "每条规则与所引法条并列，带检索框，不联网即可打开",
            "markdown: pages for the documentation site (docs/rulesets); html: standalone "
            "static pages, each rule beside the law it cites, with a search box, opened "
            "without a network",
        ),
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each file written."""
    (path,) = existing_paths([args.path])
    if not (path / MANIFEST).is_file() and not any(path.rglob(MANIFEST)):
        raise InputError([("PATH", f"no {MANIFEST} under {args.path}")])
    with progress("渲染 / rendering") as bar:
        written = render_tree(path, Path(args.out), fmt=args.format, on_progress=bar.update)
    for p in written:
        print(p)
    return 0
