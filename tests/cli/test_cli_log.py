"""Golden transcripts of the decision-log commands: ``evaluate --log``, ``log verify``,
``log show`` and ``replay --log``. Hashes and temporary paths are shown as placeholders
(a ruleset change moves every hash; the transcripts should not move with it)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from test_cli_golden import EXAMPLE, REPO, Run, check_golden, no_traceback, run

from creditrules import log

LOG = "LOG.db"


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


def _evaluate(path: Path, entry_id: str, at: str) -> list[str]:
    return [
        "evaluate",
        "--ruleset",
        "cn.js.nantong",
        "--input",
        EXAMPLE,
        "--format",
        "text",
        "--log",
        str(path),
        "--decided-at",
        at,
        "--entry-id",
        entry_id,
    ]


def _subst(path: Path) -> dict[str, str]:
    """Real path and hashes → placeholders (``<hash N>`` for entry N's hash and its
    12-digit prefix, ``<ruleset hash>``)."""
    out = {str(path): LOG}
    if path.is_file():
        for e in log.entries(path):
            out[e.entry_hash] = f"<hash {e.seq}>"
            out[e.entry_hash[:12]] = f"<hash {e.seq}>"
            out[e.decision["ruleset"]["sha256"][:12]] = "<ruleset hash>"
    return out


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("log") / LOG
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        from creditrules.cli.main import main

        assert main(_evaluate(path, "req-1", "2026-11-21T09:30:00+08:00")) == 0
        assert main(_evaluate(path, "req-2", "2026-11-22T10:00:00+08:00")) == 0
    return path


def _copy_altered(src: Path, dst: Path, seq: int) -> Path:
    dst.write_bytes(src.read_bytes())
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("DROP TRIGGER decision_log_no_update")
    (text,) = conn.execute("SELECT entry FROM decision_log WHERE seq = ?", (seq,)).fetchone()
    doc: dict[str, Any] = json.loads(text)
    doc["decision"]["matters"][0]["outcome"] = "allow"
    conn.execute(
        "UPDATE decision_log SET entry = ? WHERE seq = ?", (rfc8785.dumps(doc).decode(), seq)
    )
    conn.close()
    return dst


def test_evaluate_with_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / LOG
    r = run(capsys, _evaluate(path, "req-1", "2026-11-21T09:30:00+08:00"))
    no_traceback(r)
    assert r.code == 0
    plain = run(
        capsys, ["evaluate", "--ruleset", "cn.js.nantong", "--input", EXAMPLE, "--format", "text"]
    )
    assert r.out == plain.out, "logging changes nothing on stdout"
    (entry,) = log.entries(path)
    assert r.err == f"logged: entry 1 req-1 {entry.entry_hash}\n"
    shown = Run(
        [a.replace(str(path), LOG) for a in r.argv],
        r.code,
        "(the explanation, as without --log)\n",
        r.err,
    )
    for real, placeholder in _subst(path).items():
        shown.err = shown.err.replace(real, placeholder)
    check_golden("evaluate-log", shown)


CASES: dict[str, tuple[list[str], int]] = {
    "log-verify-intact": (["log", "verify", LOG], 0),
    "log-verify-json": (["log", "verify", LOG, "--format", "json"], 0),
    "log-show": (["log", "show", LOG], 0),
    "log-show-since": (["log", "show", LOG, "--since", "2026-11-22"], 0),
    "log-show-subject": (["log", "show", LOG, "--subject", "91320600MA1MXXXX9Y"], 0),
    "replay-log-identical": (["replay", "--log", LOG, "--decision", "req-2"], 0),
    "help-log-verify": (["log", "verify", "--help"], 0),
    "help-log-show": (["log", "show", "--help"], 0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_commands(name: str, logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, code = CASES[name]
    r = run(capsys, [str(logged) if a == LOG else a for a in argv], _subst(logged))
    no_traceback(r)
    assert (r.code, r.err) == (code, "")
    check_golden(name, r)


def test_verify_kept_head(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = log.verify(logged).head
    r = run(capsys, ["log", "verify", str(logged), "--head", head], _subst(logged))
    assert (r.code, r.err) == (0, "")
    assert r.out.splitlines()[-1] == "kept head 2:<hash 2> is in the chain"
    other = run(capsys, ["log", "verify", str(logged), "--head", "2:" + "0" * 64], _subst(logged))
    assert other.code == 1 and other.out.startswith("entry 2 is not the entry whose hash you kept")
    nobody = run(capsys, ["log", "show", str(logged), "--subject", "913206007205788826"])
    assert nobody.out.splitlines()[1:] == []


def test_verify_names_the_altered_entry(
    logged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    altered = _copy_altered(logged, tmp_path / "altered.db", 1)
    subst = {**_subst(logged), str(altered): LOG}
    r = run(capsys, ["log", "verify", str(altered)], subst)
    no_traceback(r)
    assert (r.code, r.err) == (1, "")
    assert r.out.startswith("entry 1 altered: ")
    check_golden("log-verify-altered", r)
    replayed = run(capsys, ["replay", "--log", str(altered), "--decision", "req-1"], subst)
    assert replayed.code == 2 and replayed.out == ""
    assert replayed.err.startswith("error: --decision: entry 1 was altered"), replayed.err


def test_show_json_holds_whole_decisions(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, ["log", "show", str(logged), "--format", "json"])
    data = json.loads(r.out)
    assert [e["entry_id"] for e in data] == ["req-1", "req-2"]
    assert {e["decision"]["decision_id"] for e in data} == {data[0]["decision_id"]}
    assert data[1]["prev_hash"] == data[0]["entry_hash"]


BAD: dict[str, tuple[list[str], str]] = {
    "error-log-verify-missing": (["log", "verify", "no/such/log.db"], "URL"),
    "error-log-show-missing": (["log", "show", "no/such/log.db"], "URL"),
    "error-log-verify-bad-head": (["log", "verify", LOG, "--head", "12:abc"], "--head"),
    "error-evaluate-log-no-time": (
        ["evaluate", "--ruleset", "cn.js.nantong", "--input", EXAMPLE, "--log", LOG],
        "--decided-at",
    ),
    "error-evaluate-log-naive-time": (
        [
            "evaluate",
            "--ruleset",
            "cn.js.nantong",
            "--input",
            EXAMPLE,
            "--log",
            LOG,
            "--decided-at",
            "2026-11-21T09:30:00",
        ],
        "--decided-at",
    ),
    "error-evaluate-time-without-log": (
        [
            "evaluate",
            "--ruleset",
            "cn.js.nantong",
            "--input",
            EXAMPLE,
            "--decided-at",
            "2026-11-21T09:30:00+08:00",
        ],
        "--decided-at",
    ),
    "error-evaluate-log-scheme": (
        [
            "evaluate",
            "--ruleset",
            "cn.js.nantong",
            "--input",
            EXAMPLE,
            "--log",
            "mysql://x/y",
            "--decided-at",
            "2026-11-21T09:30:00+08:00",
        ],
        "--log",
    ),
    "error-replay-log-unknown-entry": (
        ["replay", "--log", LOG, "--decision", "nope"],
        "--decision",
    ),
    "error-replay-log-without-decision": (["replay", "--log", LOG], "--decision"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_log_input(name: str, logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, field = BAD[name]
    before = log.verify(logged).entries
    r = run(capsys, [str(logged) if a == LOG else a for a in argv], _subst(logged))
    no_traceback(r)
    assert r.code == 2 and r.out == ""
    lines = r.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}: "), r.err
    assert log.verify(logged).entries == before, "a refused request appends nothing"
    check_golden(name, r)


def test_show_a_natural_person_by_full_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A natural person's id is stored masked: the full id finds the masked entries, and
    stderr says another person with the same visible characters would match too."""
    from creditrules.identifiers import mask_identifier

    person = "320602198001011234"
    path = tmp_path / LOG
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        from creditrules.cli.main import main

        assert main(_evaluate(path, "req-1", "2026-11-21T09:30:00+08:00")) == 0
    capsys.readouterr()
    (entry,) = log.entries(path)
    decision = entry.decision
    decision["input"]["subject"]["id"] = mask_identifier(person)
    log.append(path, decision, decided_at="2026-11-21T10:00:00+08:00", entry_id="person")
    r = run(capsys, ["log", "show", str(path), "--subject", person, "--format", "json"])
    assert r.code == 0
    assert [e["entry_id"] for e in json.loads(r.out)] == ["person"]
    assert r.err.startswith("warning: --subject: 1 entry match the masked id 3206************34")
    exact = run(capsys, ["log", "show", str(path), "--subject", mask_identifier(person)])
    assert exact.err == "" and len(exact.out.splitlines()) == 2
