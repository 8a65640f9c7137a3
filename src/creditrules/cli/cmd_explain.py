"""``creditrules explain DECISION.json``: a stored decision in words, or as an HTML page."""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from creditrules import api
from creditrules.cli.io import read_data
from creditrules.cli.parser import Subparsers, add_command, add_decision_argument, bi
from creditrules.errors import InputError
from creditrules.model.decision import Decision
from creditrules.render.decision import decision_page


def register(sub: Subparsers) -> None:
    """Add the ``explain`` command."""
    s = add_command(
        sub,
        "explain",
        zh="以文字说明一份已存的决定，并列出依据的法条",
        en="explain a stored decision in words, with the articles it rests on",
        exit_codes=[
            (0, "已输出说明", "explained"),
            (
                2,
                "文件不存在、无法读取或不是决定文档",
                "the file is missing, unreadable or not a decision",
            ),
        ],
    )
    add_decision_argument(s)
    s.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help=bi("说明的语言", "language of the explanation"),
    )
    s.add_argument(
        "--format",
        choices=["text", "html"],
        default="text",
        help=bi(
            "text：终端里阅读的文字；html：独立的静态网页，只有中文（先列结论，再列依据的"
            "条文和适用的规则，不联网即可打开），输出到 stdout，如 > decision.html",
            "text: words for the terminal; html: a standalone static page, Chinese only (the "
            "answer first, then the articles it rests on and the rules that fired; opens "
            "without a network), on stdout, e.g. > decision.html",
        ),
    )
    s.add_argument(
        "--all",
        action="store_true",
        help=bi(
            "全部内容：条文全文、每条适用的规则、未适用的规则及其原因（不带此项时一条信息的说明不超过一屏）",
            "everything: articles in full, every rule that fired, those that did not and why "
            "(without it one record's explanation fits a screen)",
        ),
    )
    s.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """A file that is not a decision document is bad input (exit 2)."""
    data = read_data(args.decision, "DECISION")
    try:
        decision = Decision.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(
            [("DECISION", f"not a decision document: {where}: {first['msg']}")]
        ) from None
    if args.format == "html":
        if args.lang != "zh":
            raise InputError(
                [("--lang", "--format html is in Chinese only; --lang en is not yet supported")]
            )
        print(decision_page(decision, all_rules=args.all), end="")
        return 0
    print(api.explain(decision, lang=args.lang, all_rules=args.all), end="")
    return 0
