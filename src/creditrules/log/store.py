"""What a decision log's storage does, whichever database holds it.

A store keeps two tables (the same in SQLite and PostgreSQL)::

    decision_log(seq, entry_id, decided_at, subject, decision_id, prev_hash, entry_hash, entry)
    decision_log_head(id = 1, seq, entry_hash)

``entry`` is the hashed text (``log.entry``); the other columns of ``decision_log`` are
copies kept for lookup, and verification checks each against the text. The head row names
the last entry: it is updated in the same transaction as each append, and taking its
write lock is what serialises writers, so the chain never forks.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from creditrules.log.entry import LogEntry

#: Columns of ``decision_log`` in the order every query selects them.
COLUMNS = "seq, entry_id, decided_at, subject, decision_id, prev_hash, entry_hash, entry"

Row = tuple[int, str, str, str, str, str, str, str]


def row_entry(row: Row | tuple[object, ...]) -> LogEntry:
    """A ``decision_log`` row as a ``LogEntry``."""
    seq, entry_id, decided_at, subject, decision_id, prev_hash, entry_hash, entry = row
    return LogEntry(
        seq=int(str(seq)),
        entry_id=str(entry_id),
        decided_at=str(decided_at),
        subject=str(subject),
        decision_id=str(decision_id),
        prev_hash=str(prev_hash),
        entry_hash=str(entry_hash),
        text=str(entry),
    )


class Snapshot(Protocol):
    """A consistent read of the whole log (one read transaction)."""

    def head(self) -> tuple[int, str]:
        """``(seq, entry_hash)`` of the head row (``(0, GENESIS)`` for an empty log)."""

    def rows(self, after: int = 0) -> Iterator[LogEntry]:
        """The entries with ``seq > after``, in ``seq`` order."""


class Store(ABC):
    """One open log. Safe to share between threads (calls are serialised); a store used
    in a child process after ``fork`` reconnects there rather than share the parent's
    connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()

    @abstractmethod
    def append(self, make: Callable[[int, str], LogEntry]) -> LogEntry:
        """Under the head row's write lock, call ``make(seq, prev_hash)`` for the next
        position, insert the entry it returns and move the head to it, atomically."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[Snapshot]:
        """A consistent read of the log while the context lasts."""

    @abstractmethod
    def get(self, entry_id: str) -> LogEntry | None:
        """The entry with this ``entry_id``, or None."""

    @abstractmethod
    def select(self, *, subject: str | None, since: date | None) -> Iterator[LogEntry]:
        """Entries (in ``seq`` order) for this subject id as stored, decided on or after
        ``since`` (the calendar date the caller's ``decided_at`` names)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""


def display_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))
