"""Verification of a decision log: every entry sound, each linking to the one before, the
head row naming the last, and (optionally) a head the auditor kept still in the chain.

It stops at the first problem and names the entry: **altered** (its text no longer hashes
to what is recorded, disagrees with its columns, or is no longer the entry the next one
links to), **removed** (a position is missing), **reordered** (a position holds another
position's entry) or **inserted** (an entry that the chain does not link through). A
problem it cannot pin to one kind is reported as the first entry it can no longer trust.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from creditrules.errors import InputError
from creditrules.log.entry import GENESIS, LogEntry, problems
from creditrules.log.store import Snapshot

Kind = Literal["altered", "removed", "reordered", "inserted", "kept_head"]

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class KeptHead:
    """A head an auditor kept: the entry's hash, and its position when known."""

    entry_hash: str
    seq: int | None = None

    @classmethod
    def parse(cls, text: str) -> KeptHead:
        """``SEQ:HASH`` (as ``log verify`` prints the head) or a bare ``HASH``."""
        seq_text, _, digest = text.strip().rpartition(":")
        digest = digest.lower()
        if not _HASH.fullmatch(digest) or (seq_text and not seq_text.isdigit()):
            raise InputError(
                [("--head", f"'{text}' is not SEQ:HASH or HASH (64 hex digits) as verify prints")]
            )
        return cls(digest, int(seq_text) if seq_text else None)

    def __str__(self) -> str:
        return f"{self.seq}:{self.entry_hash}" if self.seq is not None else self.entry_hash


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with the log."""

    kind: Kind
    seq: int | None
    message: str
    entry_id: str | None = None


@dataclass(frozen=True)
class VerifyReport:
    """What verifying a log found. ``entries`` counts the entries found sound (those
    before the problem, when there is one)."""

    url: str
    entries: int
    head_seq: int
    head_hash: str
    problem: Problem | None = None
    kept: KeptHead | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def head(self) -> str:
        """The head as ``SEQ:HASH`` (what an auditor keeps, and passes back as ``--head``)."""
        return f"{self.head_seq}:{self.head_hash}"

    def render(self) -> str:
        """The lines ``creditrules log verify`` prints."""
        if self.problem is None:
            lines = [f"intact: {self.entries} entries", f"head: {self.head}"]
            if self.kept is not None:
                lines.append(f"kept head {self.kept} is in the chain")
            return "\n".join(lines)
        p = self.problem
        lines = [p.message + (f" (entry_id {p.entry_id})" if p.entry_id else "")]
        if p.kind != "kept_head":
            lines.append(
                f"entries 1–{self.entries} are intact" if self.entries else "no entry is intact"
            )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": {"seq": self.head_seq, "entry_hash": self.head_hash},
            "kept_head": None if self.kept is None else str(self.kept),
            "problem": None
            if self.problem is None
            else {
                "kind": self.problem.kind,
                "seq": self.problem.seq,
                "entry_id": self.problem.entry_id,
                "message": self.problem.message,
            },
        }


def verify(snap: Snapshot, url: str, *, kept: KeptHead | None = None) -> VerifyReport:
    """Check the whole log in ``snap``; see the module docstring."""
    head_seq, head_hash = snap.head()
    prev, prev2 = GENESIS, ""
    last = 0
    kept_found = kept is not None and kept.seq == 0 and kept.entry_hash == GENESIS

    def report(problem: Problem) -> VerifyReport:
        sound = problem.seq - 1 if problem.seq is not None else last
        return VerifyReport(url, max(0, min(sound, last)), head_seq, head_hash, problem, kept)

    for e in snap.rows():
        expected = last + 1
        if e.seq != expected:
            return report(_missing(snap, expected, e))
        bad = problems(e)
        if bad:
            return report(Problem("altered", e.seq, f"entry {e.seq} altered: {bad[0]}", e.entry_id))
        doc = e.document
        if doc["seq"] != e.seq:
            if isinstance(doc["seq"], int) and doc["seq"] < e.seq:
                first = doc["seq"]
                return report(
                    Problem(
                        "inserted",
                        first,
                        f"entry {first} inserted: the entry now at {e.seq} is the one "
                        f"first written as entry {first}",
                    )
                )
            return report(_moved(snap, e, doc["seq"], prev))
        if e.prev_hash != prev:
            if e.prev_hash == prev2:
                return report(
                    Problem(
                        "inserted",
                        e.seq - 1,
                        f"entry {e.seq - 1} inserted: entry {e.seq} links to entry {e.seq - 2}",
                    )
                )
            return report(
                Problem(
                    "altered",
                    e.seq - 1,
                    f"entry {e.seq - 1} altered: its hash is not the one entry {e.seq} links "
                    f"to (or entry {e.seq}'s link was altered)",
                )
            )
        if kept is not None and not kept_found:
            if kept.seq == e.seq and kept.entry_hash != e.entry_hash:
                return VerifyReport(
                    url,
                    e.seq,
                    head_seq,
                    head_hash,
                    Problem(
                        "kept_head",
                        e.seq,
                        f"entry {e.seq} is not the entry whose hash you kept ({kept}): it, or "
                        "an entry before it, was altered, removed, reordered or inserted since",
                        e.entry_id,
                    ),
                    kept,
                )
            kept_found = e.entry_hash == kept.entry_hash and kept.seq in (None, e.seq)
        prev2, prev, last = prev, e.entry_hash, e.seq

    if head_seq > last:
        return report(
            Problem(
                "removed",
                last + 1,
                f"entry {last + 1} removed: the head names entry {head_seq}, the log ends at "
                f"{last}",
            )
        )
    if head_seq < last:
        first = head_seq + 1
        return VerifyReport(
            url,
            head_seq,
            head_seq,
            head_hash,
            Problem(
                "inserted",
                first,
                f"entry {first} inserted: it is after the head, which names entry {head_seq}",
            ),
            kept,
        )
    if head_hash != prev:
        return report(
            Problem(
                "altered",
                last,
                f"entry {last} altered: its hash is not the one the head records",
            )
        )
    if kept is not None and not kept_found:
        where = f"entry {kept.seq}" if kept.seq is not None else "an entry"
        return VerifyReport(
            url,
            last,
            head_seq,
            head_hash,
            Problem(
                "kept_head",
                kept.seq,
                f"{where} with the hash you kept ({kept}) is not in the log: the log was "
                "truncated or rewritten since",
            ),
            kept,
        )
    return VerifyReport(url, last, head_seq, head_hash, None, kept)


def _doc_seq(e: LogEntry) -> Any:
    try:
        return json.loads(e.text).get("seq")
    except (ValueError, AttributeError):
        return None


def _find(rows: Iterator[LogEntry], seq: int) -> LogEntry | None:
    """The stored entry first written as entry ``seq``, wherever it now is."""
    for e in rows:
        if _doc_seq(e) == seq and not problems(e):
            return e
    return None


def _missing(snap: Snapshot, expected: int, found: LogEntry) -> Problem:
    """Position ``expected`` is missing (the next row is ``found``): removed or moved."""
    moved = _find(snap.rows(after=expected), expected)
    if moved is not None:
        return Problem(
            "reordered",
            expected,
            f"entry {expected} reordered: it is stored at position {moved.seq}",
            moved.entry_id,
        )
    return Problem(
        "removed",
        expected,
        f"entry {expected} removed: the log goes from entry {expected - 1} to entry {found.seq}",
    )


def _moved(snap: Snapshot, e: LogEntry, written_as: Any, prev: str) -> Problem:
    """Position ``e.seq`` holds the entry first written as ``written_as`` (later)."""
    original = _find(snap.rows(after=e.seq), e.seq)
    if original is not None:
        return Problem(
            "reordered",
            e.seq,
            f"entry {e.seq} reordered: position {e.seq} holds entry {written_as}, and entry "
            f"{e.seq} is at position {original.seq}",
            original.entry_id,
        )
    if isinstance(written_as, int) and written_as > e.seq and e.prev_hash != prev:
        return Problem(
            "removed",
            e.seq,
            f"entry {e.seq} removed: the entries after it were renumbered (position {e.seq} "
            f"holds entry {written_as})",
        )
    return Problem(
        "altered",
        e.seq,
        f"entry {e.seq} altered: position {e.seq} holds an entry written as {written_as!r}",
        e.entry_id,
    )
