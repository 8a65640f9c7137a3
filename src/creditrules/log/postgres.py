"""The decision log in PostgreSQL (``postgresql://`` URLs, psycopg 3): the tables of
``log.store``, the same columns as in SQLite.

Writers serialise on ``SELECT … FOR UPDATE`` of the head row, so appends from any number
of connections each get the next position and the chain never forks; each append is one
transaction, so a writer killed mid-append leaves nothing of it. The first writer creates
the tables under a transaction-level advisory lock, so two starting at once do not race.
Triggers refuse ``UPDATE``, ``DELETE`` and ``TRUNCATE`` on ``decision_log`` and any move
of the head other than one step forward.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import count
from typing import Any

import psycopg

from creditrules.errors import LogError
from creditrules.log.entry import GENESIS, LogEntry
from creditrules.log.store import COLUMNS, Store, row_entry

#: The advisory lock key taken while creating the tables ("crlog" in ASCII).
SCHEMA_LOCK = 0x63726C6F67

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS decision_log (
  seq         bigint PRIMARY KEY,
  entry_id    text NOT NULL UNIQUE,
  decided_at  text NOT NULL,
  subject     text NOT NULL,
  decision_id text NOT NULL,
  prev_hash   text NOT NULL,
  entry_hash  text NOT NULL,
  entry       text NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS decision_log_subject ON decision_log (subject)",
    """CREATE TABLE IF NOT EXISTS decision_log_head (
  id         integer PRIMARY KEY CHECK (id = 1),
  seq        bigint NOT NULL,
  entry_hash text NOT NULL
)""",
    f"INSERT INTO decision_log_head (id, seq, entry_hash) VALUES (1, 0, '{GENESIS}') "
    "ON CONFLICT DO NOTHING",
    """CREATE OR REPLACE FUNCTION decision_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'decision_log is append-only';
END $$""",
    """CREATE OR REPLACE FUNCTION decision_log_head_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.id <> 1 OR NEW.seq <> OLD.seq + 1 THEN
    RAISE EXCEPTION 'the head of decision_log only moves one entry forward';
  END IF;
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS decision_log_append_only ON decision_log",
    "CREATE TRIGGER decision_log_append_only BEFORE UPDATE OR DELETE ON decision_log "
    "FOR EACH ROW EXECUTE FUNCTION decision_log_append_only()",
    "DROP TRIGGER IF EXISTS decision_log_no_truncate ON decision_log",
    "CREATE TRIGGER decision_log_no_truncate BEFORE TRUNCATE ON decision_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION decision_log_append_only()",
    "DROP TRIGGER IF EXISTS decision_log_head_forward ON decision_log_head",
    "CREATE TRIGGER decision_log_head_forward BEFORE UPDATE OR DELETE ON decision_log_head "
    "FOR EACH ROW EXECUTE FUNCTION decision_log_head_forward()",
]

_cursor_names = count()


class PostgresStore(Store):
    """A log in the PostgreSQL database ``conninfo`` names; ``create`` makes the tables
    when missing (appending does, reading never does)."""

    def __init__(self, url: str, conninfo: str, *, create: bool) -> None:
        super().__init__(url)
        self._conninfo = conninfo
        self._create = create
        self._conn: psycopg.Connection[Any] | None = None
        self._pid = 0

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is not None and self._pid == os.getpid() and not self._conn.closed:
            return self._conn
        self._conn = self._open()
        self._pid = os.getpid()
        return self._conn

    def _open(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(self._conninfo, autocommit=False)
        except psycopg.Error as exc:
            raise LogError(f"{self.url}: cannot connect: {_what(exc)}", url=self.url) from None
        try:
            with conn.transaction():
                present = conn.execute(
                    "SELECT to_regclass('decision_log') IS NOT NULL "
                    "AND to_regclass('decision_log_head') IS NOT NULL"
                ).fetchone()
            if not (present and present[0]):
                if not self._create:
                    raise LogError(f"{self.url}: not a creditrules decision log", url=self.url)
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    again = conn.execute("SELECT to_regclass('decision_log_head')").fetchone()
                    if again is None or again[0] is None:
                        for statement in SCHEMA:
                            conn.execute(statement)
        except psycopg.Error as exc:
            conn.close()
            raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
        except LogError:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def append(self, make: Callable[[int, str], LogEntry]) -> LogEntry:
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    row = conn.execute(
                        "SELECT seq, entry_hash FROM decision_log_head WHERE id = 1 FOR UPDATE"
                    ).fetchone()
                    if row is None:
                        raise LogError(f"{self.url}: the head row is missing", url=self.url)
                    entry = make(int(row[0]) + 1, str(row[1]))
                    conn.execute(
                        f"INSERT INTO decision_log ({COLUMNS}) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
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
                        "UPDATE decision_log_head SET seq = %s, entry_hash = %s WHERE id = 1",
                        (entry.seq, entry.entry_hash),
                    )
            except psycopg.errors.UniqueViolation as exc:
                if "entry_id" in str(exc):
                    raise LogError(
                        f"{self.url}: an entry with this entry_id is already in the log",
                        url=self.url,
                    ) from None
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            except psycopg.Error as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            return entry

    @contextmanager
    def snapshot(self) -> Iterator[_Snapshot]:
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    yield _Snapshot(conn)
            except psycopg.Error as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None

    def get(self, entry_id: str) -> LogEntry | None:
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    row = conn.execute(
                        f"SELECT {COLUMNS} FROM decision_log WHERE entry_id = %s", (entry_id,)
                    ).fetchone()
            except psycopg.Error as exc:
                raise LogError(f"{self.url}: {_what(exc)}", url=self.url) from None
            return None if row is None else row_entry(row)

    def select(self, *, subject: str | None, since: date | None) -> Iterator[LogEntry]:
        where: list[str] = []
        params: list[str] = []
        if subject is not None:
            where.append("subject = %s")
            params.append(subject)
        if since is not None:
            where.append("substr(decided_at, 1, 10) >= %s")
            params.append(since.isoformat())
        sql = f"SELECT {COLUMNS} FROM decision_log"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        with self.snapshot() as snap:
            yield from snap.query(sql + " ORDER BY seq", params)


class _Snapshot:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def head(self) -> tuple[int, str]:
        row = self._conn.execute(
            "SELECT seq, entry_hash FROM decision_log_head WHERE id = 1"
        ).fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))

    def rows(self, after: int = 0) -> Iterator[LogEntry]:
        return self.query(
            f"SELECT {COLUMNS} FROM decision_log WHERE seq > %s ORDER BY seq", [after]
        )

    def query(self, sql: str, params: list[Any]) -> Iterator[LogEntry]:
        # A server-side cursor: rows arrive in batches, never the whole log at once.
        with self._conn.cursor(name=f"decision_log_{next(_cursor_names)}") as cur:
            cur.itersize = 500
            cur.execute(sql, params)
            for row in cur:
                yield row_entry(row)


def _what(exc: psycopg.Error) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
