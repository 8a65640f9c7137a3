"""The auditor's recipes in docs/decision-log.md (and its Chinese original) work: the
Python + rfc8785 script and the sqlite3 + sha256sum loop accept an intact log and reject
one with an entry altered."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import rfc8785

import creditrules
from creditrules import log
from support import logs
from support.services import missing

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "docs" / "decision-log.md", REPO / "docs" / "zh" / "decision-log.md"]


def _blocks(doc: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)


def _recipe(doc: Path, lang: str, marker: str) -> str:
    found = [b for b in _blocks(doc, lang) if marker in b]
    assert len(found) == 1, f"{doc}: no single {lang} block with {marker!r}"
    return found[0]


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    case = json.loads(logs.EXAMPLE.read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    out: dict[str, Any] = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    return out


@pytest.fixture
def logged(tmp_path: Path, base: dict[str, Any]) -> Path:
    db = tmp_path / "decisions.db"
    for i in range(4):
        log.append(db, logs.small_decision(base, i), decided_at=logs.decided_at(i))
    return db


def _alter(db: Path, seq: int) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER decision_log_no_update")
    (text,) = conn.execute("SELECT entry FROM decision_log WHERE seq = ?", (seq,)).fetchone()
    doc = json.loads(text)
    doc["decision"]["as_of"] = "2020-01-01"
    conn.execute(
        "UPDATE decision_log SET entry = ? WHERE seq = ?", (rfc8785.dumps(doc).decode(), seq)
    )
    conn.close()


@pytest.mark.parametrize("doc", DOCS, ids=["en", "zh"])
def test_python_recipe(doc: Path, logged: Path) -> None:
    script = _recipe(doc, "python", "rfc8785.dumps(doc)")
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script], cwd=logged.parent, capture_output=True, text=True
    )
    ok = run()
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == f"intact: head {log.verify(logged).head}"
    _alter(logged, 2)
    bad = run()
    assert bad.returncode != 0 and "entry 2: altered" in bad.stderr


def _missing(why: str) -> None:
    # CI installs the shell: there its absence fails the run instead of skipping the recipe.
    missing(why)


@pytest.mark.parametrize("doc", DOCS, ids=["en", "zh"])
def test_shell_recipe(doc: Path, logged: Path) -> None:
    if shutil.which("sqlite3") is None or shutil.which("sha256sum") is None:
        _missing("the sqlite3 command-line shell is not installed (.ci/run installs it)")
    script = _recipe(doc, "sh", "for i in $(seq 1")
    run = lambda: subprocess.run(  # noqa: E731
        ["bash", "-c", script], cwd=logged.parent, capture_output=True, text=True
    )
    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip() == f"intact: head {log.verify(logged).head}"
    _alter(logged, 3)
    bad = run()
    assert bad.returncode == 1 and bad.stdout.strip() == "entry 3: broken"


@pytest.mark.parametrize("doc", DOCS, ids=["en", "zh"])
def test_one_entry_recipe(doc: Path, logged: Path) -> None:
    if shutil.which("sqlite3") is None or shutil.which("sha256sum") is None:
        _missing("the sqlite3 command-line shell is not installed (.ci/run installs it)")
    line = _recipe(doc, "sh", 'WHERE seq = 5" | tr').splitlines()[0]
    out = subprocess.run(
        ["bash", "-c", line.replace("seq = 5", "seq = 3")],
        cwd=logged.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert out == next(e for e in log.entries(logged) if e.seq == 3).entry_hash
