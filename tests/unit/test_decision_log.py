"""The decision log on SQLite and PostgreSQL: entries chain by RFC 8785 hashes that an
auditor can recompute, tampering with any single entry is named by verify, and writers
in threads and processes (even one killed mid-write) never lose an entry or fork the chain.

PostgreSQL runs in a throwaway cluster this module starts (``support.pgserver``); without
PostgreSQL binaries on the machine those cases are skipped, saying so.
"""

from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

import creditrules
from creditrules import log
from creditrules.errors import InputError, LogError
from creditrules.log.entry import GENESIS
from support import logs
from support.pgserver import cluster, find_bindir
from support.services import missing

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    """The example case's decision (a real one; ``small_decision`` trims it)."""
    case = json.loads(logs.EXAMPLE.read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    out: dict[str, Any] = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    return out


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[str]:
    bindir = find_bindir()
    if bindir is None:
        missing(
            "PostgreSQL binaries (initdb, pg_ctl) not found on PATH or under "
            "/usr/lib/postgresql/*/bin; .ci/run installs the postgresql package"
        )
    with cluster(bindir) as c:
        yield c.url()


@pytest.fixture(scope="module")
def sqlite_logs(tmp_path_factory: pytest.TempPathFactory) -> logs.Backend:
    return logs.sqlite_backend(tmp_path_factory.mktemp("logs"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, sqlite_logs: logs.Backend) -> logs.Backend:
    if request.param == "sqlite":
        return sqlite_logs
    admin: str = request.getfixturevalue("pg_admin")
    return logs.postgres_backend(admin)


# ---------------------------------------------------------------- entries and hashes


def test_entries_chain_and_hash_by_the_documented_recipe(
    backend: logs.Backend, base: dict[str, Any]
) -> None:
    """The recipe of docs/decision-log.md, with nothing of creditrules: sha256 of the
    RFC 8785 bytes of the entry document, each ``prev`` the hash before."""
    url = backend.new()
    with log.open_log(url, create=True) as dl:
        made = [
            dl.append(logs.small_decision(base, i), decided_at=logs.decided_at(i)) for i in range(5)
        ]
        stored = list(dl.entries())
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    prev = GENESIS
    for e, m in zip(stored, made, strict=True):
        doc = json.loads(e.text)
        assert set(doc) == {"decided_at", "decision", "entry_id", "format", "prev", "seq"}
        assert rfc8785.dumps(doc) == e.text.encode("utf-8")
        assert hashlib.sha256(rfc8785.dumps(doc)).hexdigest() == e.entry_hash == m.entry_hash
        assert doc["prev"] == prev == e.prev_hash
        assert doc["format"] == "creditrules.log/1"
        prev = e.entry_hash
    report = log.verify(url)
    assert report.ok and report.entries == 5 and report.head == f"5:{prev}"


@given(
    seq=st.integers(1, 2**53 - 1),
    entry_id=st.text(min_size=1, max_size=40),
    prev=st.text("0123456789abcdef", min_size=64, max_size=64),
    offset=st.integers(-12 * 60, 14 * 60),
)
def test_spliced_entry_bytes_are_rfc8785(seq: int, entry_id: str, prev: str, offset: int) -> None:
    """The writer splices seq and prev into pre-canonicalised bytes under its lock; the
    result must be exactly RFC 8785's for the document."""
    from datetime import datetime, timedelta, timezone

    when = datetime(2026, 11, 21, 9, 30, tzinfo=timezone(timedelta(minutes=offset)))
    decision = {"decision_id": "x", "input": {"subject": {"id": entry_id}}, "n": [1.5, 1e21]}
    try:
        ready = log.entry.pending(entry_id=entry_id, decided_at=when.isoformat(), decision=decision)
    except InputError:
        return  # an id holding a lone surrogate is refused, as it should be
    e = ready.at(seq, prev)
    doc = {
        "decided_at": when.isoformat(),
        "decision": decision,
        "entry_id": entry_id,
        "format": log.FORMAT,
        "prev": prev,
        "seq": seq,
    }
    assert e.text.encode("utf-8") == rfc8785.dumps(doc)


def test_two_requests_for_one_case_are_two_entries(
    sqlite_logs: logs.Backend, base: dict[str, Any]
) -> None:
    """decision_id stays the content address of input + ruleset; entry_id is per request."""
    url = sqlite_logs.new()
    a = log.append(url, base, decided_at="2026-11-21T09:30:00+08:00")
    b = log.append(url, base, decided_at="2026-11-21T09:30:00+08:00")
    assert a.entry_id != b.entry_id
    assert a.decision_id == b.decision_id == base["decision_id"]
    assert a.entry_hash != b.entry_hash


def test_evaluate_with_log_appends(sqlite_logs: logs.Backend) -> None:
    case = json.loads(logs.EXAMPLE.read_text(encoding="utf-8"))
    url = sqlite_logs.new()
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    d = creditrules.evaluate(rs, case, log=url, decided_at="2026-11-21T09:30:00Z", entry_id="req-1")
    (entry,) = log.entries(url)
    assert entry.entry_id == "req-1" and entry.decided_at == "2026-11-21T09:30:00+00:00"
    assert entry.decision == d.model_dump(mode="json", by_alias=True)
    with pytest.raises(InputError) as exc:
        creditrules.evaluate(rs, case, log=url)
    assert exc.value.problems[0][0] == "decided_at"
    with pytest.raises(InputError) as exc:
        creditrules.evaluate(rs, case, decided_at="2026-11-21T09:30:00Z")
    assert exc.value.problems[0][0] == "decided_at"
    with pytest.raises(InputError) as exc:
        creditrules.evaluate(rs, case, log=url, decided_at="2026-11-21T09:30:00")
    assert "UTC offset" in exc.value.problems[0][1]
    assert len(log.entries(url)) == 1


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://host/log", "not ftp://"),
        ("sqlite://log.db", "sqlite:///PATH"),
        ("sqlite:///", "sqlite:///PATH"),
        ("postgresql://nobody:secret@127.0.0.1:1/x", "cannot connect"),
    ],
)
def test_bad_urls_are_log_errors(url: str, says: str) -> None:
    with pytest.raises(LogError) as exc:
        log.verify(url)
    assert says in str(exc.value)
    assert "secret" not in str(exc.value)


def test_missing_and_foreign_files_are_not_logs(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="no such log file"):
        log.verify(tmp_path / "none.db")
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(LogError, match="not a creditrules decision log"):
        log.verify(other)
    (tmp_path / "text.db").write_text("hello", encoding="utf-8")
    with pytest.raises(LogError):
        log.verify(tmp_path / "text.db")


def test_duplicate_entry_id_and_bad_values_are_refused(
    backend: logs.Backend, base: dict[str, Any]
) -> None:
    url = backend.new()
    log.append(url, base, decided_at="2026-11-21T09:30:00+08:00", entry_id="one")
    with pytest.raises(LogError, match="already in the log"):
        log.append(url, base, decided_at="2026-11-21T09:31:00+08:00", entry_id="one")
    big = copy.deepcopy(base)
    big["input"]["records"][0]["fields"] = {"amount": 2**60}
    with pytest.raises(InputError) as exc:
        log.append(url, big, decided_at="2026-11-21T09:30:00+08:00")
    assert exc.value.problems[0][0] == "decision.input.records[0].fields.amount"
    with pytest.raises(InputError) as exc:
        log.append(url, {"not": "a decision"}, decided_at="2026-11-21T09:30:00+08:00")
    assert exc.value.problems[0][0].startswith("decision.")
    assert log.verify(url).entries == 1


def test_the_log_refuses_updates_and_deletes(backend: logs.Backend, base: dict[str, Any]) -> None:
    """Triggers: no program changes the log by mistake (the chain catches the rest)."""
    copy_url = backend.new()
    for i in range(3):
        log.append(copy_url, logs.small_decision(base, i), decided_at=logs.decided_at(i))
    if backend.name == "sqlite":
        import sqlite3

        conn: Any = sqlite3.connect(copy_url, isolation_level=None)
        errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    else:
        import psycopg

        conn = psycopg.connect(copy_url, autocommit=True)
        errors = (psycopg.Error,)
    for sql in (
        "UPDATE decision_log SET decided_at = 'x' WHERE seq = 1",
        "DELETE FROM decision_log WHERE seq = 3",
        "UPDATE decision_log_head SET seq = 2",
        "DELETE FROM decision_log_head",
    ):
        with pytest.raises(errors, match="append-only|only moves|kept"):
            conn.execute(sql)
    conn.close()
    assert log.verify(copy_url).ok


# ---------------------------------------------------------------- tampering


def _check(backend: logs.Backend, url: str, op: str, k: int, n: int, base: dict[str, Any]) -> None:
    target = backend.copy(url)
    conn = backend.connect(target)
    try:
        kind, seq = logs.tamper(op, conn, backend.ph, k, n, base)
    finally:
        conn.close()
    report = log.verify(target)
    backend.discard(target)
    assert not report.ok, f"{op} of entry {k} of {n} went unnoticed"
    assert report.exit_code == 1
    assert report.problem is not None
    assert (report.problem.kind, report.problem.seq) == (kind, seq), report.render()
    assert f"entry {seq} " in report.render().splitlines()[0], report.render()


@pytest.mark.parametrize("op", logs.OPS)
def test_tampering_with_any_entry_of_a_small_log_is_named(
    sqlite_logs: logs.Backend, base: dict[str, Any], op: str
) -> None:
    n = 25
    url = sqlite_logs.build(n, base)
    for k in range(1, n + 1):
        _check(sqlite_logs, url, op, k, n, base)


def test_a_forged_entry_after_the_head_is_named(
    backend: logs.Backend, base: dict[str, Any]
) -> None:
    n = 20
    url = backend.build(n, base)
    _check(backend, url, "insert", n + 1, n, base)


def _positions(n: int, extra: int) -> list[int]:
    rng = random.Random(n)
    return sorted({1, 2, n // 2, n - 1, n} | {rng.randint(1, n) for _ in range(extra)})


@pytest.mark.parametrize("op", logs.OPS)
def test_tampering_with_a_500_entry_log_is_named(
    backend: logs.Backend, base: dict[str, Any], op: str
) -> None:
    n = 500
    url = backend.build(n, base)
    for k in _positions(n, 3):
        _check(backend, url, op, k, n, base)


@pytest.mark.slow
@pytest.mark.parametrize("op", logs.OPS)
def test_tampering_with_a_10000_entry_log_is_named(
    backend: logs.Backend, base: dict[str, Any], op: str
) -> None:
    n = 10_000
    url = backend.build(n, base)
    for k in _positions(n, 10):
        _check(backend, url, op, k, n, base)


def test_a_kept_head_catches_a_rewritten_chain(backend: logs.Backend, base: dict[str, Any]) -> None:
    """Someone who rewrites every hash from entry 5 on, head row included, leaves a chain
    that verifies on its own; the head an auditor kept does not match it."""
    url = backend.copy(backend.build(20, base))
    kept = log.verify(url).head
    assert log.verify(url, head=kept).ok
    conn = backend.connect(url)
    try:
        logs.alter(conn, backend.ph, 5, rehash=True)
        prev = logs._row(conn, backend.ph, 5)[6]
        for seq in range(6, 21):
            row = logs._row(conn, backend.ph, seq)
            doc = json.loads(row[7])
            doc["prev"] = prev
            text = rfc8785.dumps(doc).decode()
            prev = log.hash_text(text)
            ph = backend.ph
            conn.execute(
                f"UPDATE decision_log SET entry = {ph}, entry_hash = {ph}, prev_hash = {ph} "
                f"WHERE seq = {ph}",
                (text, prev, doc["prev"], seq),
            )
        conn.execute(f"UPDATE decision_log_head SET entry_hash = {backend.ph}", (prev,))
    finally:
        conn.close()
    assert log.verify(url).ok
    report = log.verify(url, head=kept)
    assert report.problem is not None and report.problem.kind == "kept_head"
    assert report.problem.seq == 20
    bare = log.verify(url, head=kept.split(":")[1])
    assert bare.problem is not None and "not in the log" in bare.problem.message
    # An earlier head kept is found again once the log has grown.
    grown = backend.copy(backend.build(20, base))
    early = log.verify(grown).head
    log.append(grown, base, decided_at="2026-12-01T10:00:00+08:00")
    assert log.verify(grown, head=early).ok


# ---------------------------------------------------------------- concurrency


def test_threads_sharing_one_log_lose_nothing(backend: logs.Backend, base: dict[str, Any]) -> None:
    url = backend.new()
    ids: list[str] = []
    with log.open_log(url, create=True) as dl:

        def work(t: int) -> None:
            for i in range(25):
                ids.append(
                    dl.append(logs.small_decision(base, i), decided_at=logs.decided_at(i)).entry_id
                )

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        report = dl.verify()
        assert report.ok, report.render()
        assert report.entries == 200
        assert sorted(e.entry_id for e in dl.entries()) == sorted(ids)


def test_threads_with_their_own_connections_lose_nothing(
    backend: logs.Backend, base: dict[str, Any]
) -> None:
    url = backend.new()

    def work(t: int) -> None:
        with log.open_log(url, create=True) as dl:
            for i in range(25):
                dl.append(logs.small_decision(base, i), decided_at=logs.decided_at(i))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    report = log.verify(url)
    assert report.ok and report.entries == 100, report.render()


def _appender(url: str, base: dict[str, Any], n: int, tag: int) -> None:
    with log.open_log(url, create=True) as dl:
        for i in range(n):
            dl.append(
                logs.small_decision(base, i), decided_at=logs.decided_at(i), entry_id=f"p{tag}-{i}"
            )


def _processes(url: str, base: dict[str, Any], each: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_appender, args=(url, base, each, t)) for t in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    report = log.verify(url)
    assert report.ok, report.render()
    assert report.entries == 4 * each
    got = {e.entry_id for e in log.entries(url)}
    assert got == {f"p{t}-{i}" for t in range(4) for i in range(each)}


def test_four_processes_appending_at_once(backend: logs.Backend, base: dict[str, Any]) -> None:
    """Four processes start on a log that does not exist yet (they race to create it)."""
    _processes(backend.new(), base, 50)


@pytest.mark.slow
def test_four_processes_times_2500_appends(backend: logs.Backend, base: dict[str, Any]) -> None:
    _processes(backend.new(), base, 2_500)


# ---------------------------------------------------------------- kill -9

_CHILD = textwrap.dedent(
    """
    import json, sys, time, pathlib
    from creditrules import log
    url, decision_file, marker, mode = sys.argv[1:5]
    base = json.loads(pathlib.Path(decision_file).read_text(encoding="utf-8"))
    dl = log.open_log(url, create=True)
    store = dl._store
    def stall(*_args):
        pathlib.Path(marker).write_text("in the middle of a write")
        time.sleep(3600)
    if mode == "stall":
        dl.append(base, decided_at="2026-11-21T09:00:00+08:00")
        conn = store._connection()
        if hasattr(conn, "create_function"):
            # SQLite: a trigger of this connection only, run right after the INSERT.
            conn.create_function("stall", 0, stall)
            conn.execute(
                "CREATE TEMP TRIGGER stall AFTER INSERT ON decision_log BEGIN SELECT stall(); END"
            )
        else:
            # PostgreSQL: stop after the INSERT has reached the server, before COMMIT.
            execute = conn.execute
            def slow(sql, *args, **kwargs):
                out = execute(sql, *args, **kwargs)
                if str(sql).startswith("INSERT INTO decision_log"):
                    stall()
                return out
            conn.execute = slow
        dl.append(base, decided_at="2026-11-21T09:01:00+08:00")
    else:
        i = 0
        while True:
            dl.append(base, decided_at="2026-11-21T09:00:00+08:00")
            i += 1
            if i == 20:
                pathlib.Path(marker).write_text("writing")
    """
)


def _child(url: str, decision: Path, marker: Path, mode: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(decision), str(marker), mode], env=env
    )


def _wait_for(marker: Path, proc: subprocess.Popen[bytes]) -> None:
    # Not a timed assertion: a bound so a broken child cannot hang the suite.
    for _ in range(6000):
        if marker.exists():
            return
        assert proc.poll() is None, "the writer ended before it was killed"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the writer never reached the point where it is killed")


def test_kill_9_in_the_middle_of_a_write(
    backend: logs.Backend, base: dict[str, Any], tmp_path: Path
) -> None:
    url = backend.new()
    decision = tmp_path / "decision.json"
    decision.write_text(json.dumps(logs.small_decision(base, 1)), encoding="utf-8")
    marker = tmp_path / "marker"
    proc = _child(url, decision, marker, "stall")
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    report = log.verify(url)
    assert report.ok, report.render()
    assert report.entries == 1  # the interrupted append left nothing
    log.append(url, base, decided_at="2026-11-21T09:02:00+08:00")
    assert log.verify(url).entries == 2


def test_kill_9_while_writing_repeatedly(
    backend: logs.Backend, base: dict[str, Any], tmp_path: Path
) -> None:
    """Writers killed wherever they happen to be, three times over: the log verifies after
    each, and writing goes on from where it stands."""
    url = backend.new()
    decision = tmp_path / "decision.json"
    decision.write_text(json.dumps(logs.small_decision(base, 2)), encoding="utf-8")
    seen = 0
    for round_ in range(3):
        marker = tmp_path / f"marker{round_}"
        proc = _child(url, decision, marker, "loop")
        _wait_for(marker, proc)
        time.sleep(random.Random(round_).uniform(0, 0.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        report = log.verify(url)
        assert report.ok, report.render()
        assert report.entries >= seen + 20
        seen = report.entries


def _append_in_child(dl: log.DecisionLog, decision: dict[str, Any]) -> None:
    dl.append(decision, decided_at="2026-11-21T09:30:00+08:00", entry_id="child")


def test_a_log_opened_before_fork_reconnects_in_the_child(
    backend: logs.Backend, base: dict[str, Any]
) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    url = backend.new()
    with log.open_log(url, create=True) as dl:
        dl.append(base, decided_at="2026-11-21T09:00:00+08:00", entry_id="parent")
        p = multiprocessing.get_context("fork").Process(target=_append_in_child, args=(dl, base))
        p.start()
        p.join()
        assert p.exitcode == 0
        dl.append(base, decided_at="2026-11-21T10:00:00+08:00", entry_id="parent-again")
        report = dl.verify()
    assert report.ok and report.entries == 3, report.render()
    assert [e.entry_id for e in log.entries(url)] == ["parent", "child", "parent-again"]
