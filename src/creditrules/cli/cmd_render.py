"""``creditrules render PATH --out DIR``: rulesets as Chinese documentation."""

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
            "输出文件夹（每个版本一页，另有 README.md 索引）",
            "output folder (a page per version and a README.md index)",
        ),
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each file written."""
    (path,) = existing_paths([args.path])
    if not (path / MANIFEST).is_file() and not any(path.rglob(MANIFEST)):
        raise InputError([("PATH", f"no {MANIFEST} under {args.path}")])
    with progress("渲染 / rendering") as bar:
        written = render_tree(path, Path(args.out), on_progress=bar.update)
    for p in written:
        print(p)
    return 0
