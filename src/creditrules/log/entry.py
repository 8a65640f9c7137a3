"""One entry of the decision log: what it holds and how its hash is made.

An entry is the RFC 8785 canonical JSON of this document::

    {"decided_at": "2026-11-21T09:30:00+08:00",   # the caller's time, ISO 8601 with offset
     "decision":   {...},                          # the Decision, as evaluate returns it
     "entry_id":   "0b6f…",                        # unique per request (a UUID by default)
     "format":     "creditrules.log/1",
     "prev":       "<entry_hash of entry seq-1>",  # 64 zeros for the first entry
     "seq":        1}                              # 1, 2, 3, … in the order appended

and its hash is ``sha256`` of those bytes, in lowercase hex. The stored text is exactly
the bytes hashed, so ``sha256sum`` of the ``entry`` column is the entry's hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from creditrules.canonical import MAX_SAFE_INTEGER, canonical_bytes, is_canonical
from creditrules.errors import InputError, NotSupportedError
from creditrules.model.decision import Decision

#: The value of ``format`` in every entry this version writes.
FORMAT = "creditrules.log/1"
#: The ``prev`` of the first entry, and the head of an empty log.
GENESIS = "0" * 64
#: The keys of an entry document.
KEYS = frozenset({"decided_at", "decision", "entry_id", "format", "prev", "seq"})


@dataclass(frozen=True)
class LogEntry:
    """An entry as stored: the hashed ``text`` and the columns kept beside it for lookup.

    ``subject`` and ``decision_id`` are taken from the decision (the subject id as the
    decision stores it: an organisation's credit code in full, a natural person's masked).
    """

    seq: int
    entry_id: str
    decided_at: str
    subject: str
    decision_id: str
    prev_hash: str
    entry_hash: str
    text: str

    @property
    def document(self) -> dict[str, Any]:
        """The entry document (``text`` parsed)."""
        doc: dict[str, Any] = json.loads(self.text)
        return doc

    @property
    def decision(self) -> dict[str, Any]:
        """The Decision this entry records, as JSON."""
        d: dict[str, Any] = self.document["decision"]
        return d

    def to_json(self) -> dict[str, Any]:
        """What ``creditrules log show --format json`` prints for the entry."""
        return {
            "seq": self.seq,
            "entry_id": self.entry_id,
            "decided_at": self.decided_at,
            "subject": self.subject,
            "decision_id": self.decision_id,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
            "decision": self.decision,
        }


def decided_at_text(value: datetime | str) -> str:
    """The caller's time of decision as stored: ISO 8601 with its UTC offset.

    A time without an offset is refused: a log is evidence, and ``09:30`` says nothing
    until it says where.
    """
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise InputError(
                [
                    (
                        "decided_at",
                        f"'{value}' is not an ISO 8601 time such as 2026-11-21T09:30+08:00",
                    )
                ]
            ) from None
    elif isinstance(value, datetime):
        when = value
    else:
        what = "a date without a time" if isinstance(value, date) else type(value).__name__
        raise InputError([("decided_at", f"needs a time with its UTC offset, not {what}")])
    if when.tzinfo is None or when.utcoffset() is None:
        raise InputError(
            [("decided_at", f"'{when.isoformat()}' has no UTC offset (write e.g. +08:00 or Z)")]
        )
    return when.isoformat()


def decision_json(decision: Decision | dict[str, Any]) -> dict[str, Any]:
    """The Decision as JSON, checked against the Decision model when given as a dict."""
    if isinstance(decision, Decision):
        return decision.model_dump(mode="json", by_alias=True)
    try:
        return Decision.model_validate(decision).model_dump(mode="json", by_alias=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError([(f"decision.{where}", str(first["msg"]))]) from None


def subject_of(decision: dict[str, Any]) -> str:
    """The subject id as the decision stores it (its input's, else its masked one)."""
    subject = (decision.get("input") or {}).get("subject") or decision.get("subject") or {}
    return str(subject.get("id", ""))


@dataclass(frozen=True)
class Pending:
    """An entry waiting for its place: everything but ``seq`` and ``prev``, with the
    decision already canonicalised, so the writer's lock is held only to splice two
    numbers into bytes (``at``)."""

    entry_id: str
    decided_at: str
    subject: str
    decision_id: str
    decision_bytes: bytes

    def at(self, seq: int, prev: str) -> LogEntry:
        """The entry at position ``seq`` after the entry hashed ``prev``.

        The bytes are RFC 8785's for the entry document: its keys are ASCII, so their
        order is plain byte order, and a non-negative integer below 2**53 is its digits
        (a test compares with ``rfc8785.dumps`` of the document).
        """
        if not 0 < seq <= MAX_SAFE_INTEGER:
            raise NotSupportedError(f"a log position beyond 2**53 − 1 ({seq})")
        raw = b"".join(
            [
                b'{"decided_at":',
                canonical_bytes(self.decided_at),
                b',"decision":',
                self.decision_bytes,
                b',"entry_id":',
                canonical_bytes(self.entry_id),
                b',"format":',
                canonical_bytes(FORMAT),
                b',"prev":',
                canonical_bytes(prev),
                b',"seq":',
                str(seq).encode("ascii"),
                b"}",
            ]
        )
        return LogEntry(
            seq=seq,
            entry_id=self.entry_id,
            decided_at=self.decided_at,
            subject=self.subject,
            decision_id=self.decision_id,
            prev_hash=prev,
            entry_hash=hash_text(raw),
            text=raw.decode("utf-8"),
        )


def pending(*, entry_id: str, decided_at: str, decision: dict[str, Any]) -> Pending:
    """Prepare an entry for ``decision`` (canonicalised here, outside any lock)."""
    if not isinstance(entry_id, str) or not entry_id or len(entry_id) > 200:
        raise InputError([("entry_id", "needs a non-empty string of at most 200 characters")])
    canonical_bytes(entry_id, where="entry_id")
    return Pending(
        entry_id=entry_id,
        decided_at=decided_at,
        subject=subject_of(decision),
        decision_id=str(decision.get("decision_id", "")),
        decision_bytes=canonical_bytes(decision, where="decision"),
    )


def hash_text(text: str | bytes) -> str:
    """An entry's hash: SHA-256 of its stored text, lowercase hex."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def problems(entry: LogEntry) -> list[str]:
    """What is wrong with one stored entry on its own (empty when it is sound): its text
    must be canonical JSON of an entry document that hashes to its ``entry_hash`` and
    agrees with every column kept beside it."""
    if hash_text(entry.text) != entry.entry_hash:
        return ["its text does not hash to its entry_hash"]
    if not is_canonical(entry.text):
        return ["its text is not RFC 8785 canonical JSON"]
    doc = json.loads(entry.text)
    if not isinstance(doc, dict) or set(doc) != KEYS or not isinstance(doc["decision"], dict):
        return ["its text is not an entry document"]
    out = []
    columns = {
        "seq": (entry.seq, doc["seq"]),
        "entry_id": (entry.entry_id, doc["entry_id"]),
        "decided_at": (entry.decided_at, doc["decided_at"]),
        "prev_hash": (entry.prev_hash, doc["prev"]),
        "subject": (entry.subject, subject_of(doc["decision"])),
        "decision_id": (entry.decision_id, doc["decision"].get("decision_id", "")),
    }
    for column, (stored, hashed) in columns.items():
        if column != "seq" and stored != hashed:
            out.append(f"its {column} column says {stored!r}, its hashed text {hashed!r}")
    if doc["format"] != FORMAT:
        out.append(f"its format is {doc['format']!r}, not {FORMAT!r}")
    return out
