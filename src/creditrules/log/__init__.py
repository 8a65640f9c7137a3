"""The decision log: an append-only, hash-chained record of decisions.

Each entry holds one Decision, a unique ``entry_id``, the time the caller says the
decision was made (``decided_at``: the caller's clock, never the engine's) and the hash
of the entry before it; its own hash is SHA-256 over its RFC 8785 canonical JSON
(``log.entry``), so an auditor recomputes it with standard tools
(docs/decision-log.md). A log lives in an SQLite file (a path, or ``sqlite:///PATH``)
or in PostgreSQL (``postgresql://…``), with the same tables::

    from creditrules import log
    with log.open_log("decisions.db", create=True) as dl:
        entry = dl.append(decision, decided_at="2026-11-21T09:30:00+08:00")
        report = dl.verify()                 # report.ok, report.head, report.render()

or through ``creditrules.evaluate(rs, case, log=URL, decided_at=...)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from creditrules.errors import InputError, LogError
from creditrules.log.admit import refuse_forbidden
from creditrules.log.entry import (
    FORMAT,
    GENESIS,
    LogEntry,
    decided_at_text,
    decision_json,
    hash_text,
    pending,
)
from creditrules.log.store import Store, display_url
from creditrules.log.verify import KeptHead, Problem, VerifyReport
from creditrules.log.verify import verify as _verify
from creditrules.model.decision import Decision

__all__ = [
    "FORMAT",
    "GENESIS",
    "DecisionLog",
    "KeptHead",
    "LogEntry",
    "LogError",
    "Problem",
    "VerifyReport",
    "append",
    "entries",
    "hash_text",
    "open_log",
    "verify",
]

#: What a log may be given as: a URL or path, or a log already open.
LogRef = str | Path


class DecisionLog:
    """An open decision log. Safe to share between threads; usable in a child process
    after ``fork`` (it reconnects there). Close it, or use it as a context manager."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def url(self) -> str:
        """The log's URL, any password hidden."""
        return self._store.url

    def append(
        self,
        decision: Decision | dict[str, Any],
        *,
        decided_at: datetime | str,
        entry_id: str | None = None,
    ) -> LogEntry:
        """Append ``decision`` as the next entry and return it.

        ``decided_at`` is the caller's time of the decision (ISO 8601 with its UTC offset,
        or an aware ``datetime``); ``entry_id`` names the entry (a random UUID when not
        given) and must be new to the log. A decision whose input holds information the
        law forbids collecting is refused (``InputError``; ``creditrules.log.admit``).
        """
        when = decided_at_text(decided_at)
        document = decision_json(decision)
        refuse_forbidden(document)
        ready = pending(
            entry_id=str(uuid.uuid4()) if entry_id is None else entry_id,
            decided_at=when,
            decision=document,
        )
        return self._store.append(ready.at)

    def verify(self, *, head: str | KeptHead | None = None) -> VerifyReport:
        """Check the whole chain; with ``head`` (``SEQ:HASH`` or ``HASH`` as a previous
        verify reported it), also that the kept head is still in it."""
        kept = KeptHead.parse(head) if isinstance(head, str) else head
        with self._store.snapshot() as snap:
            return _verify(snap, self.url, kept=kept)

    def entries(
        self, *, subject: str | None = None, since: date | str | None = None
    ) -> Iterator[LogEntry]:
        """Entries in log order: for the subject id as the log stores it (an
        organisation's credit code in full, a natural person's id masked as in the
        decision), decided on or after ``since`` (the calendar date in ``decided_at``, as
        the caller's clock wrote it). Entries are not verified here: ``verify`` does.
        The iteration reads one snapshot of the log: finish it before appending through
        the same ``DecisionLog``."""
        if isinstance(since, str):
            try:
                since = date.fromisoformat(since)
            except ValueError:
                raise InputError([("since", f"'{since}' is not a date YYYY-MM-DD")]) from None
        return self._store.select(subject=subject, since=since)

    def get(self, entry_id: str) -> LogEntry | None:
        """The entry with this ``entry_id``, or None (not verified: ``verify`` does that)."""
        return self._store.get(entry_id)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_log(url: LogRef, *, create: bool = False) -> DecisionLog:
    """Open the log at ``url``: a file path or ``sqlite:///PATH`` (``sqlite:////abs``
    for an absolute path, as SQLAlchemy writes it), or ``postgresql://…``. ``create``
    makes the file or tables when missing; without it a missing log is a ``LogError``."""
    text = str(url)
    shown = display_url(text)
    if text.startswith(("postgresql://", "postgres://")):
        from creditrules.log.postgres import PostgresStore

        return DecisionLog(PostgresStore(shown, text, create=create))
    if text.startswith("sqlite:"):
        rest = text.removeprefix("sqlite:")
        if not rest.startswith("///") or len(rest) == 3:
            raise LogError(f"{shown}: an SQLite log URL is sqlite:///PATH", url=shown)
        path = Path(rest[3:])
    elif "://" in text:
        scheme = text.split("://", 1)[0]
        raise LogError(
            f"{shown}: a log is a file path, sqlite:///PATH or postgresql://…, not {scheme}://",
            url=shown,
        )
    else:
        if not text:
            raise LogError("a log needs a file path or URL", url=text)
        path = Path(text)
    from creditrules.log.sqlite import SqliteStore

    return DecisionLog(SqliteStore(shown, path, create=create))


def _with(log: LogRef | DecisionLog, *, create: bool) -> tuple[DecisionLog, bool]:
    if isinstance(log, DecisionLog):
        return log, False
    return open_log(log, create=create), True


def append(
    log: LogRef | DecisionLog,
    decision: Decision | dict[str, Any],
    *,
    decided_at: datetime | str,
    entry_id: str | None = None,
) -> LogEntry:
    """Append ``decision`` to the log (created when missing); see ``DecisionLog.append``."""
    dl, owned = _with(log, create=True)
    try:
        return dl.append(decision, decided_at=decided_at, entry_id=entry_id)
    finally:
        if owned:
            dl.close()


def verify(log: LogRef | DecisionLog, *, head: str | KeptHead | None = None) -> VerifyReport:
    """Verify the log; see ``DecisionLog.verify``."""
    dl, owned = _with(log, create=False)
    try:
        return dl.verify(head=head)
    finally:
        if owned:
            dl.close()


def entries(
    log: LogRef | DecisionLog, *, subject: str | None = None, since: date | str | None = None
) -> list[LogEntry]:
    """The entries of the log (see ``DecisionLog.entries``), as a list."""
    dl, owned = _with(log, create=False)
    try:
        return list(dl.entries(subject=subject, since=since))
    finally:
        if owned:
            dl.close()
