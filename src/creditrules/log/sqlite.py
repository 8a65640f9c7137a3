"""The decision log in an SQLite file (the default: embedded, no server).

Writers serialise on ``BEGIN IMMEDIATE`` (SQLite's write lock, taken before the head row
is read), so threads and processes appending at once each get the next position and the
chain never forks. The file is in WAL mode with ``synchronous=FULL``: a committed entry
survives a crash, and a process killed mid-append leaves the log as it was before that
append. Triggers refuse ``UPDATE`` and ``DELETE`` on ``decision_log`` and any move of the
head other than one step forward: not a defence against someone with the file (the hash
chain is), but no program changes the log by mistake.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from creditrules.errors import LogError
from creditrules.log.entry import GENESIS, LogEntry
from creditrules.log.store import COLUMNS, Store, row_entry

#: Seconds a writer waits for another's write lock before giving up.
BUSY_TIMEOUT = 300.0

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS decision_log (
  seq         INTEGER PRIMARY KEY,
  entry_id    TEXT NOT NULL UNIQUE,
  decided_at  TEXT NOT NULL,
  subject     TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  entry_hash  TEXT NOT NULL,
  entry       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_log_subject ON decision_log (subject);
CREATE TABLE IF NOT EXISTS decision_log_head (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seq        INTEGER NOT NULL,
  entry_hash TEXT NOT NULL
);
INSERT OR IGNORE INTO decision_log_head (id, seq, entry_hash) VALUES (1, 0, '{GENESIS}');
CREATE TRIGGER IF NOT EXISTS decision_log_no_update BEFORE UPDATE ON decision_log
BEGIN SELECT RAISE(ABORT, 'decision_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decision_log_no_delete BEFORE DELETE ON decision_log
BEGIN SELECT RAISE(ABORT, 'decision_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decision_log_head_forward BEFORE UPDATE ON decision_log_head
WHEN NEW.seq <> OLD.seq + 1 OR NEW.id <> 1
BEGIN SELECT RAISE(ABORT, 'the head of decision_log only moves one entry forward'); END;
CREATE TRIGGER IF NOT EXISTS decision_log_head_kept BEFORE DELETE ON decision_log_head
BEGIN SELECT RAISE(ABORT, 'decision_log_head is kept'); END;
"""


class SqliteStore(Store):
    """A log in the SQLite file at ``path``; ``create`` makes the file and its tables
    when missing (appending does, reading never does)."""

    def __init__(self, url: str, path: Path, *, create: bool) -> None:
        super().__init__(url)
        self.path = path
        self._create = create
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    # ------------------------------------------------------------ connection

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # A connection inherited through fork belongs to the parent: never use it here.
        self._conn = self._open()
        self._pid = os.getpid()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        if not self._create and not self.path.is_file():
            raise LogError(f"{self.url}: no such log file", url=self.url)
        if self._create and not self.path.parent.is_dir():
            raise LogError(f"{self.url}: no such folder: {self.path.parent}", url=self.url)
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not {"decision_log", "decision_log_head"} <= tables:
                if not self._create:
                    raise LogError(f"{self.url}: not a creditrules decision log", url=self.url)
                conn.execute("BEGIN IMMEDIATE")
                for statement in _statements(SCHEMA):
                    conn.execute(statement)
                conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    # ------------------------------------------------------------ writing

    def append(self, make: Callable[[int, str], LogEntry]) -> LogEntry:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    seq, prev = conn.execute(
                        "SELECT seq, entry_hash FROM decision_log_head WHERE id = 1"
                    ).fetchone()
                    entry = make(int(seq) + 1, str(prev))
                    conn.execute(
                        f"INSERT INTO decision_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            entry.seq,
                            entry.entry_id,
                            entry.decided_at,
                            entry.subject,
                            entry.decision_id,
                            entry.prev_hash,
                            entry.entry_hash,
                            entry.text,
                        ),
                    )
                    conn.execute(
                        "UPDATE decision_log_head SET seq = ?, entry_hash = ? WHERE id = 1",
                        (entry.seq, entry.entry_hash),
                    )
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                if "entry_id" in str(exc):
                    raise LogError(
                        f"{self.url}: an entry with this entry_id is already in the log",
                        url=self.url,
                    ) from None
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            except sqlite3.DatabaseError as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            return entry

    # ------------------------------------------------------------ reading

    @contextmanager
    def snapshot(self) -> Iterator[_Snapshot]:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                try:
                    yield _Snapshot(conn)
                finally:
                    conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None

    def get(self, entry_id: str) -> LogEntry | None:
        with self._lock:
            try:
                row = (
                    self._connection()
                    .execute(f"SELECT {COLUMNS} FROM decision_log WHERE entry_id = ?", (entry_id,))
                    .fetchone()
                )
            except sqlite3.DatabaseError as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            return None if row is None else row_entry(row)

    def select(self, *, subject: str | None, since: date | None) -> Iterator[LogEntry]:
        where: list[str] = []
        params: list[str] = []
        if subject is not None:
            where.append("subject = ?")
            params.append(subject)
        if since is not None:
            where.append("substr(decided_at, 1, 10) >= ?")
            params.append(since.isoformat())
        sql = f"SELECT {COLUMNS} FROM decision_log"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        with self.snapshot() as snap:
            yield from snap.query(sql + " ORDER BY seq", params)


class _Snapshot:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def head(self) -> tuple[int, str]:
        row = self._conn.execute(
            "SELECT seq, entry_hash FROM decision_log_head WHERE id = 1"
        ).fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))

    def rows(self, after: int = 0) -> Iterator[LogEntry]:
        return self.query(f"SELECT {COLUMNS} FROM decision_log WHERE seq > ? ORDER BY seq", [after])

    def query(self, sql: str, params: list[Any]) -> Iterator[LogEntry]:
        cur = self._conn.execute(sql, params)
        while batch := cur.fetchmany(500):
            yield from (row_entry(r) for r in batch)


def _statements(script: str) -> list[str]:
    """The statements of ``SCHEMA`` (a trigger's body keeps its inner semicolon)."""
    out: list[str] = []
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


def _what(exc: sqlite3.Error) -> str:
    text = str(exc)
    return "not an SQLite database" if "file is not a database" in text else text
