"""``creditrules test PATH...``: run scenario files, the policy staff's test runner.

The same runner serves pytest (the plugin in ``creditrules.scenarios.pytest_plugin``).
"""

from __future__ import annotations

import argparse
from typing import Any

from creditrules.cli.io import existing_paths, print_json
from creditrules.cli.parser import Subparsers, add_backend_option, add_command, bi
from creditrules.cli.progress import progress
from creditrules.scenarios import RunReport, run_paths


def register(sub: Subparsers) -> None:
    """Add the ``test`` command."""
    s = add_command(
        sub,
        "test",
        zh="运行情景测试文件（每个失败指明 文件:行）",
        en="run scenario files (each failure at file:line)",
        exit_codes=[
            (0, "全部情景通过", "every scenario passed"),
            (
                1,
                "有情景失败或情景文件格式有误",
                "a scenario failed, or a scenario file is malformed",
            ),
            (2, "用法错误或路径不存在", "bad usage, or a path that does not exist"),
        ],
    )
    s.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=bi(
            "情景文件（.yaml），或其所在文件夹（含子文件夹）",
            "scenario files (.yaml), or folders holding them (searched recursively)",
        ),
    )
    add_backend_option(s, default="both")
    s.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=bi(
            "text 每个失败一行，末行为“N passed, M failed”；json 为对象（passed、failed、results）",
            "text: one line per failure, then 'N passed, M failed'; "
            "json: an object (passed, failed, results)",
        ),
    )
    s.set_defaults(func=run)


def as_json(report: RunReport) -> dict[str, Any]:
    """The report as ``test --format json`` prints it (a stable shape: fields may be
    added, none renamed). ``scenario`` is null for a file that could not be read."""
    return {
        "passed": report.passed,
        "failed": report.failed,
        "results": [
            {
                "file": r.file,
                "scenario": r.name,
                "line": r.line,
                "ruleset": r.ruleset,
                "passed": r.passed,
                "failures": [{"line": f.line, "message": f.message} for f in r.failures],
            }
            for r in report.results
        ],
    }


def run(args: argparse.Namespace) -> int:
    """0 when every scenario passes, 1 otherwise (each failure at ``file:line``)."""
    paths = existing_paths(args.paths)
    with progress("情景 / scenarios") as bar:
        report = run_paths(paths, backend=args.backend, on_progress=bar.update)
    if args.format == "json":
        print_json(as_json(report))
    else:
        print(report.render())
    return 0 if report.failed == 0 else 1
