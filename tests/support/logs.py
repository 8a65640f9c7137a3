"""Decision logs for the tests: small decisions, logs of N entries on SQLite or
PostgreSQL, fresh copies to tamper with, and the tampering an attacker with write access
to the database would do (triggers dropped first)."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import rfc8785

from creditrules import log
from creditrules.log.entry import GENESIS

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "nantong-2026.json"

SUBJECTS = ["91320600MA1MXXXX9Y", "91320600MA1MXXXX9Y", "913206007205788826"]


def small_decision(base: dict[str, Any], i: int) -> dict[str, Any]:
    """A valid Decision about 2.5 kB long: the example's, without trace and conclusions,
    its subject and digest varied with ``i`` (the log does not care what it decided)."""
    d = copy.deepcopy(base)
    for key in ("records", "lists", "measures", "matters", "deadlines", "trace"):
        d[key] = []
    d["input"]["subject"]["id"] = SUBJECTS[i % len(SUBJECTS)]
    d["decision_id"] = f"{i:064x}"
    return d


def decided_at(i: int) -> str:
    return f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T09:{i % 60:02d}:00+08:00"


@dataclass
class Backend:
    """Where logs live: ``new()`` gives the URL of a fresh, empty log; ``copy(url)`` a
    fresh copy of a log; ``connect(url)`` a raw connection for tampering."""

    name: str
    new: Callable[[], str]
    copy: Callable[[str], str]
    connect: Callable[[str], Any]
    ph: str
    discard: Callable[[str], None]
    built: dict[int, str] = field(default_factory=dict)

    def build(self, n: int, base: dict[str, Any]) -> str:
        """A log of ``n`` entries, built once per size; tamper with ``copy`` of it."""
        if n not in self.built:
            url = self.new()
            with log.open_log(url, create=True) as dl:
                for i in range(n):
                    dl.append(small_decision(base, i), decided_at=decided_at(i))
            self.built[n] = url
        return self.built[n]


def sqlite_backend(folder: Path) -> Backend:
    def new() -> str:
        return str(folder / f"{uuid.uuid4().hex}.db")

    def copy_(url: str) -> str:
        target = new()
        shutil.copyfile(url, target)
        return target

    def connect(url: str) -> Any:
        conn = sqlite3.connect(url, isolation_level=None)
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f"DROP TRIGGER {name}")
        return conn

    def discard(url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)

    return Backend("sqlite", new, copy_, connect, "?", discard)


def postgres_backend(admin_url: str) -> Backend:
    """Each log in a schema of its own (the URL sets ``search_path``): copying one is a
    few hundred rows, not a whole database."""

    def url_of(schema: str) -> str:
        return f"{admin_url}?options=-csearch_path%3D{schema}"

    def new() -> str:
        name = "log_" + uuid.uuid4().hex[:16]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return url_of(name)

    def copy_(url: str) -> str:
        source = url.rsplit("%3D", 1)[1]
        target = new()
        name = target.rsplit("%3D", 1)[1]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for table in ("decision_log", "decision_log_head"):
                conn.execute(f"CREATE TABLE {name}.{table} (LIKE {source}.{table} INCLUDING ALL)")
                conn.execute(f"INSERT INTO {name}.{table} SELECT * FROM {source}.{table}")
        return target

    def connect(url: str) -> Any:
        conn = psycopg.connect(url, autocommit=True)
        conn.execute("ALTER TABLE decision_log DISABLE TRIGGER USER")
        conn.execute("ALTER TABLE decision_log_head DISABLE TRIGGER USER")
        return conn

    def discard(url: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {url.rsplit('%3D', 1)[1]} CASCADE")

    return Backend("postgresql", new, copy_, connect, "%s", discard)


# ---------------------------------------------------------------- tampering


def _row(conn: Any, ph: str, seq: int) -> tuple[Any, ...]:
    return tuple(
        conn.execute(
            "SELECT seq, entry_id, decided_at, subject, decision_id, prev_hash, entry_hash, "
            f"entry FROM decision_log WHERE seq = {ph}",
            (seq,),
        ).fetchone()
    )


def count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM decision_log").fetchone()[0])


def alter(conn: Any, ph: str, k: int, *, rehash: bool) -> None:
    """Change what entry k decided; with ``rehash`` also its entry_hash column (so only the
    next entry's link, or the head, gives it away)."""
    row = _row(conn, ph, k)
    doc = json.loads(row[7])
    doc["decision"]["as_of"] = "2020-01-01"
    text = rfc8785.dumps(doc).decode()
    new_hash = log.hash_text(text) if rehash else row[6]
    conn.execute(
        f"UPDATE decision_log SET entry = {ph}, entry_hash = {ph} WHERE seq = {ph}",
        (text, new_hash, k),
    )


def delete(conn: Any, ph: str, k: int) -> None:
    conn.execute(f"DELETE FROM decision_log WHERE seq = {ph}", (k,))


def swap(conn: Any, ph: str, a: int, b: int) -> None:
    """Exchange the contents of positions a and b (each keeps its seq)."""
    ra, rb = _row(conn, ph, a), _row(conn, ph, b)
    conn.execute(f"UPDATE decision_log SET entry_id = {ph} WHERE seq = {ph}", ("swap", a))
    for seq, row in ((b, ra), (a, rb)):
        conn.execute(
            f"UPDATE decision_log SET entry_id = {ph}, decided_at = {ph}, subject = {ph}, "
            f"decision_id = {ph}, prev_hash = {ph}, entry_hash = {ph}, entry = {ph} "
            f"WHERE seq = {ph}",
            (*row[1:], seq),
        )


def insert(conn: Any, ph: str, k: int, base: dict[str, Any]) -> None:
    """Put a forged, self-consistent entry at position k (linking to entry k-1 with a
    correct hash); the entries from k on move one place down. The head is left alone."""
    n = count(conn)
    conn.execute(f"UPDATE decision_log SET seq = -(seq + 1) WHERE seq >= {ph}", (k,))
    conn.execute("UPDATE decision_log SET seq = -seq WHERE seq < 0")
    prev = GENESIS if k == 1 else _row(conn, ph, k - 1)[6]
    ready = log.entry.pending(
        entry_id="forged-" + uuid.uuid4().hex,
        decided_at=decided_at(k),
        decision=small_decision(base, k),
    )
    e = ready.at(k, prev)
    conn.execute(
        "INSERT INTO decision_log (seq, entry_id, decided_at, subject, decision_id, prev_hash, "
        f"entry_hash, entry) VALUES ({', '.join([ph] * 8)})",
        (
            e.seq,
            e.entry_id,
            e.decided_at,
            e.subject,
            e.decision_id,
            e.prev_hash,
            e.entry_hash,
            e.text,
        ),
    )
    assert count(conn) == n + 1


def tamper(op: str, conn: Any, ph: str, k: int, n: int, base: dict[str, Any]) -> tuple[str, int]:
    """Do ``op`` to entry k of an n-entry log; the (kind, seq) verify must report."""
    if op == "alter":
        alter(conn, ph, k, rehash=False)
        return "altered", k
    if op == "alter-rehashed":
        alter(conn, ph, k, rehash=True)
        return "altered", k
    if op == "delete":
        delete(conn, ph, k)
        return "removed", k
    if op == "reorder":
        a, b = (k, k + 1) if k < n else (k - 1, k)
        swap(conn, ph, a, b)
        return "reordered", a
    if op == "insert":
        insert(conn, ph, k, base)
        return "inserted", k
    raise AssertionError(op)


OPS = ["alter", "alter-rehashed", "delete", "reorder", "insert"]
