"""``creditrules`` — the command-line face of the library.

Exit codes: 0 success; 1 diagnostics, failing scenarios or a replay that differs;
2 bad usage or bad input (one line per problem naming the field, never a traceback,
nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from creditrules import api
from creditrules.diagnostics import Diagnostic, render_json, render_text
from creditrules.errors import (
    CreditRulesError,
    InputError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
)
from creditrules.model.decision import Decision
from creditrules.source import load_yaml_text


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return 2


def _read_data(path: str, what: str) -> Any:
    """Read a JSON or YAML file; problems raise InputError naming the file position."""
    p = Path(path)
    if not p.is_file():
        raise InputError([(what, f"no such file: {path}")])
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError([(what, f"{path} is not UTF-8 text")]) from None
    if p.suffix.lower() in (".yaml", ".yml"):
        loaded, diags = load_yaml_text(text, path)
        if diags or loaded is None:
            raise InputError([(what, f"{d.span}: {d.message}") for d in diags])
        return loaded.data
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            [(what, f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}")]
        ) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise json.JSONDecodeError(f"duplicate key '{k}'", "", 0)
        out[k] = v
    return out


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


# ------------------------------------------------------------------ commands


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def cmd_rulesets(args: argparse.Namespace) -> int:
    rows = [("id", "version", "number", "in force from", "last day", "title")]
    for e in api.list_rulesets():
        m = e.manifest
        last = str(m.effective_to - timedelta(days=1)) if m.effective_to else "(in force)"
        rows.append((e.id, e.version, m.number or "", str(m.effective_from), last, m.title))
    widths = [max(_width(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print(
            "  ".join(c + " " * (w - _width(c)) for c, w in zip(r[:5], widths, strict=True))
            + "  "
            + r[5]
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    diags = api.validate(*args.paths)
    if args.format == "json":
        print(render_json(diags))
    else:
        print(render_text(diags))
    return 1 if any(d.severity == "error" for d in diags) else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    case = _read_data(args.input, "--input")
    as_of = args.as_of
    if as_of is None and isinstance(case, dict) and isinstance(case.get("as_of"), str):
        try:
            as_of = date.fromisoformat(case["as_of"])
        except ValueError:
            raise InputError([("as_of", f"'{case['as_of']}' is not a date YYYY-MM-DD")]) from None
    rs = api.load_ruleset(args.ruleset, as_of=as_of)
    decision = api.evaluate(rs, case, as_of=args.as_of, backend=args.backend)
    if args.format == "text":
        print(api.explain(decision, lang=args.lang), end="")
    else:
        print(
            json.dumps(
                decision.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2
            )
        )
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    data = _read_data(args.decision, "DECISION")
    try:
        decision = Decision.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(
            [("DECISION", f"not a decision document: {where}: {first['msg']}")]
        ) from None
    print(api.explain(decision, lang=args.lang, all_rules=args.all), end="")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    data = _read_data(args.decision, "DECISION")
    roots = [Path(p) for p in args.rulesets] if args.rulesets else None
    original = _read_data(args.input, "--input") if args.input else None
    report = api.replay(data, roots=roots, original=original)
    stream = sys.stdout if report.status != "cannot_replay" else sys.stderr
    print(report.render(), file=stream)
    return report.exit_code


def cmd_test(args: argparse.Namespace) -> int:
    from creditrules.scenarios import run_paths  # noqa: PLC0415 - the runner sits above the façade

    report = run_paths([Path(p) for p in args.paths], backend=args.backend)
    print(report.render())
    return 0 if report.failed == 0 else 1


def cmd_render(args: argparse.Namespace) -> int:
    from creditrules.render import render_tree  # noqa: PLC0415

    written = render_tree(Path(args.path), Path(args.out))
    for p in written:
        print(p)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="creditrules",
        description="China's public-credit law as rules: validate, evaluate, explain, replay.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    s = sub.add_parser("rulesets", help="list bundled rulesets")
    s.set_defaults(func=cmd_rulesets)
    s = sub.add_parser("validate", help="check ruleset folders")
    s.add_argument("paths", nargs="+")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_validate)
    s = sub.add_parser("evaluate", help="evaluate a case")
    s.add_argument("--ruleset", required=True, help="ID, ID@VERSION or a ruleset folder")
    s.add_argument("--input", required=True, help="case file (JSON or YAML)")
    s.add_argument("--as-of", type=_date_arg, default=None)
    s.add_argument("--format", choices=["json", "text"], default="json")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument(
        "--backend", choices=["durable_rules", "reference", "both"], default="durable_rules"
    )
    s.set_defaults(func=cmd_evaluate)
    s = sub.add_parser("test", help="run scenario files")
    s.add_argument("paths", nargs="+")
    s.add_argument("--backend", choices=["durable_rules", "reference", "both"], default="both")
    s.set_defaults(func=cmd_test)
    s = sub.add_parser("explain", help="explain a stored decision")
    s.add_argument("decision")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument(
        "--all", action="store_true", help="also list the rules that did not fire, and why"
    )
    s.set_defaults(func=cmd_explain)
    s = sub.add_parser("replay", help="replay a stored decision")
    s.add_argument("decision")
    s.add_argument("--rulesets", action="append", help="folder to search for the ruleset version")
    s.add_argument(
        "--input", help="the original (unmasked) input, checked against the stored input_sha256"
    )
    s.set_defaults(func=cmd_replay)
    s = sub.add_parser("render", help="render rulesets as documentation")
    s.add_argument("path")
    s.add_argument("--out", required=True)
    s.set_defaults(func=cmd_render)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``creditrules`` script."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except InputError as exc:
        return _fail([f"{path}: {msg}" for path, msg in exc.problems])
    except RulesetNotFoundError as exc:
        return _fail([f"--ruleset: {exc}"])
    except RulesetError as exc:
        lines = [str(exc)] + [
            (d.render() if isinstance(d, Diagnostic) else str(d)).splitlines()[0]
            for d in exc.diagnostics
        ]
        return _fail(lines)
    except RuleConflictError as exc:
        return _fail([f"ruleset conflict: {exc}"])
    except CreditRulesError as exc:
        return _fail([str(exc)])
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
