"""Refresh what the guides (docs/zh/guide.md, docs/en/guide.md) show of their worked example.

A block marked ``<!-- 文件: research/rules.yaml -->`` (``<!-- file: ... -->`` in English)
is replaced by that file under docs/zh/examples/; one marked ``<!-- 输出: CR302 -->``
(``<!-- output: ... -->``) by what ``creditrules validate research`` prints for a copy of
the example with the edit the guide describes. The replay excerpt is written by hand.
tests/unit/test_docs_guide.py checks every block independently. Run from anywhere::

    python tools/sync_guide.py          # rewrite the guides
    python tools/sync_guide.py --check  # exit 1 if a guide is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from creditrules.cli.main import main as cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "zh" / "examples"
GUIDES = [REPO / "docs" / "zh" / "guide.md", REPO / "docs" / "en" / "guide.md"]
BLOCK = re.compile(r"(<!-- (文件|file|输出|output): (\S+) -->\n```\w*\n)(.*?)(\n```)", re.S)

#: The edit behind each diagnostic a guide shows: file, old text, new text.
EDITS = {
    "CR302": ("rules.yaml", "field: behavior, in", "field: behaviour, in"),
    "CR501": ("documents.yaml", "    implements: [js.credit_regulation]\n", ""),
}


def diagnostic(code: str) -> str:
    """What ``creditrules validate research`` prints after the edit of ``code``."""
    name, old, new = EDITS[code]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(EXAMPLES / "research", Path(tmp) / "research")
        path = Path(tmp) / "research" / name
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"the edit for {code} no longer applies to {name}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        out = io.StringIO()
        here = os.getcwd()
        try:
            os.chdir(tmp)
            with contextlib.redirect_stdout(out):
                cli(["validate", "research"])
        finally:
            os.chdir(here)
    return out.getvalue().rstrip("\n")


def refresh(text: str) -> str:
    """The guide with every file and diagnostic block brought up to date."""

    def one(m: re.Match[str]) -> str:
        kind, what = m.group(2), m.group(3)
        if kind in ("文件", "file"):
            body = (EXAMPLES / what).read_text(encoding="utf-8").rstrip("\n")
        elif what in EDITS:
            body = diagnostic(what)
        else:
            body = m.group(4)
        return m.group(1) + body + m.group(5)

    return BLOCK.sub(one, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a guide is out of date")
    args = parser.parse_args(argv)
    stale = 0
    for guide in GUIDES:
        old = guide.read_text(encoding="utf-8")
        new = refresh(old)
        if new != old:
            stale += 1
            if args.check:
                print(f"out of date: {guide.relative_to(REPO)}", file=sys.stderr)
            else:
                guide.write_text(new, encoding="utf-8")
                print(f"wrote {guide.relative_to(REPO)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
