"""Batch re-evaluation of a whole platform: many cases, one ruleset id, worker processes.

``run(BatchOptions(...))`` reads CASES (JSON Lines, one case a line, or Parquet, one case a
row), evaluates each against the ruleset version in force on its date, and writes one
Decision a line (JSON Lines) or a row (Parquet) in input order. Nothing passes in silence:
a line that cannot be read or decided is reported with its line number and counted, never
dropped. A run that is interrupted leaves a checkpoint beside the output and resumes there
when started again with the same options. With ``changed_since`` every case is also
decided as of that earlier date, and only decisions whose conclusions differ are written.

durable_rules is not thread-safe, so parallelism is worker processes, each loading the
rulesets once; the parent only reads, writes and counts.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from creditrules.api import evaluate, list_rulesets, load_ruleset
from creditrules.canonical import read_json
from creditrules.errors import (
    CreditRulesError,
    InputError,
    RuleConflictError,
    RulesetNotFoundError,
)
from creditrules.loader import Ruleset

__all__ = ["CONCLUSIONS", "BatchOptions", "BatchResult", "Summary", "run"]

#: The parts of a decision compared by ``changed_since`` (the trace, ids and as_of always
#: differ between two dates).
CONCLUSIONS = ("records", "lists", "measures", "matters", "deadlines", "grade")
#: Cases sent to a worker at a time, and between two checkpoints.
CHUNK = 64
CHECKPOINT_SUFFIX = ".checkpoint"
PARTIAL_SUFFIX = ".partial.jsonl"


@dataclass
class BatchOptions:
    """What one batch run does (the CLI's options)."""

    ruleset: str
    input: Path
    output: Path
    as_of: date | None = None
    workers: int = 1
    changed_since: date | None = None
    backend: str = "durable_rules"
    chunk: int = CHUNK
    #: Keep natural persons' identifiers and names in full (``--reveal-personal``).
    reveal_personal: bool = False


@dataclass
class Summary:
    """Counts over a run; with ``changed_since``, what changed since that date."""

    read: int = 0
    decided: int = 0
    bad: int = 0
    written: int = 0
    unchanged: int = 0
    new: int = 0
    status_changes: int = 0
    list_entries_ending: int = 0
    becoming_repairable: int = 0
    records: int = 0
    active_list_entries: int = 0
    repairable: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, other: dict[str, Any]) -> None:
        for k, v in other.items():
            if k == "by_status":
                for s, n in v.items():
                    self.by_status[s] = self.by_status.get(s, 0) + n
            else:
                setattr(self, k, getattr(self, k) + v)


@dataclass
class BatchResult:
    summary: Summary
    bad_lines: list[tuple[int, str]]
    resumed_from: int = 0


class BatchInterrupted(Exception):
    """The run stopped before the end; the checkpoint says where to resume."""


# ------------------------------------------------------------------ reading


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InputError(
        [(str(path), "use .jsonl (JSON Lines) or .parquet; the format is told by the suffix")]
    )


def _pyarrow() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            [("--input/--output", "Parquet needs pyarrow: pip install 'creditrules[parquet]'")]
        ) from None
    return pq


def count_cases(path: Path) -> int:
    """How many cases (lines or rows) the input holds, read quickly for the progress bar."""
    if _kind(path) == "parquet":
        return int(_pyarrow().ParquetFile(path).metadata.num_rows)
    n = 0
    with path.open("rb") as fh:
        for _ in fh:
            n += 1
    return n


def _strip_nulls(v: Any) -> Any:
    """Parquet has a column for every field: a null there means the field is absent."""
    if isinstance(v, dict):
        return {k: _strip_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        if v and all(isinstance(x, tuple) and len(x) == 2 for x in v):
            return {k: _strip_nulls(x) for k, x in v}  # a Parquet map (``fields``)
        return [_strip_nulls(x) for x in v]
    return v


def read_cases(path: Path, skip: int = 0) -> Iterator[tuple[int, str | dict[str, Any]]]:
    """(line number from 1, the line's text or the row as a dict), after ``skip`` cases.

    A Parquet file either has one string column ``case`` holding each case as JSON, or
    columns named as the input's fields (structs and lists for the nested ones).
    """
    if _kind(path) == "jsonl":
        with path.open("r", encoding="utf-8", errors="surrogateescape") as fh:
            for i, line in enumerate(fh, 1):
                if i > skip:
                    yield i, line
        return
    pq = _pyarrow()
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    i = 0
    for batch in pf.iter_batches(batch_size=4096):
        rows = batch.to_pylist()
        for row in rows:
            i += 1
            if i <= skip:
                continue
            if names == ["case"]:
                yield i, row["case"] if isinstance(row["case"], str) else ""
            else:
                yield i, _strip_nulls(row)


# ------------------------------------------------------------------ deciding (in workers)


class _Rulesets:
    """Loads each set of versions in force once per process."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        self.entries = list_rulesets()
        self.cache: dict[Any, Ruleset | CreditRulesError] = {}

    def __call__(self, on: date) -> Ruleset:
        if "@" in self.ref or "/" in self.ref or os.sep in self.ref:
            key: Any = self.ref
        else:
            key = tuple(
                sorted(
                    (e.id, e.version)
                    for e in self.entries
                    if e.manifest.effective_from <= on
                    and (e.manifest.effective_to is None or on < e.manifest.effective_to)
                )
            )
        got = self.cache.get(key)
        if got is None:
            try:
                got = load_ruleset(self.ref, as_of=on)
            except CreditRulesError as exc:
                got = exc
            self.cache[key] = got
        if isinstance(got, CreditRulesError):
            raise got
        return got


_state: dict[str, Any] = {}


def _init(opts: dict[str, Any]) -> None:
    _state["opts"] = opts
    _state["rulesets"] = _Rulesets(opts["ruleset"])


def _problem(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "; ".join(m if p == "(line)" else f"{p}: {m}" for p, m in exc.problems)
    if isinstance(exc, RuleConflictError):
        return f"ruleset conflict: {exc}"
    return str(exc)


def _case_date(case: Any, given: date | None) -> date:
    if given is not None:
        return given
    raw = case.get("as_of") if isinstance(case, dict) else None
    if not isinstance(raw, str):
        raise InputError([("as_of", "missing: a case needs its as_of (or give --as-of)")])
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError([("as_of", f"'{raw}' is not a date YYYY-MM-DD")]) from None


def _decide(case: Any, on: date) -> Any:
    rs = _state["rulesets"](on)
    opts = _state["opts"]
    return evaluate(
        rs,
        case,
        as_of=on,
        backend=opts["backend"],
        reveal_personal=opts.get("reveal_personal", False),
    )


def _conclusions(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in CONCLUSIONS}


def _tally(d: dict[str, Any]) -> dict[str, Any]:
    by_status: dict[str, int] = {}
    for r in d["records"]:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    return {
        "records": len(d["records"]),
        "active_list_entries": sum(1 for e in d["lists"] if e["active"]),
        "repairable": sum(1 for r in d["records"] if r["repair"]["eligible"]),
        "by_status": by_status,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    old = {r["id"]: r for r in before["records"]}
    status = repairable = 0
    for r in after["records"]:
        o = old.get(r["id"])
        if o is None:
            continue
        status += o["status"] != r["status"]
        repairable += (not o["repair"]["eligible"]) and r["repair"]["eligible"]
    was_active = {
        (e["list"], tuple(e["because"]), e["since"]) for e in before["lists"] if e["active"]
    }
    now_active = {
        (e["list"], tuple(e["because"]), e["since"]) for e in after["lists"] if e["active"]
    }
    return {
        "status_changes": status,
        "becoming_repairable": repairable,
        "list_entries_ending": len(was_active - now_active),
    }


def _work(items: list[tuple[int, Any]]) -> list[tuple[int, str | None, str | None, dict[str, Any]]]:
    """Decide a chunk: (line, decision JSON or None, problem or None, counts) per case."""
    opts = _state["opts"]
    given = date.fromisoformat(opts["as_of"]) if opts["as_of"] else None
    since = date.fromisoformat(opts["changed_since"]) if opts["changed_since"] else None
    out: list[tuple[int, str | None, str | None, dict[str, Any]]] = []
    for line, raw in items:
        try:
            if isinstance(raw, str):
                if not raw.strip():
                    raise InputError([("(line)", "empty line: one case per line")])
                try:
                    case = read_json(raw)
                except ValueError as exc:
                    raise InputError([("(line)", f"invalid JSON: {exc}")]) from None
            else:
                case = raw
            on = _case_date(case, given)
            decision = _decide(case, on).model_dump(mode="json", by_alias=True)
        except CreditRulesError as exc:
            out.append((line, None, _problem(exc), {"read": 1, "bad": 1}))
            continue
        counts: dict[str, Any] = {"read": 1, "decided": 1} | _tally(decision)
        if since is not None:
            if since >= on:
                out.append(
                    (
                        line,
                        None,
                        f"--changed-since: {since} is not before as_of {on}",
                        {"read": 1, "bad": 1},
                    )
                )
                continue
            try:
                before: dict[str, Any] | None = _decide(case, since).model_dump(
                    mode="json", by_alias=True
                )
            except CreditRulesError:
                before = None  # nothing could be decided then (records determined later, …)
            if before is None:
                counts["new"] = 1
            elif _conclusions(before) == _conclusions(decision):
                counts["unchanged"] = 1
                out.append((line, None, None, counts))
                continue
            else:
                counts |= _changes(before, decision)
        counts["written"] = 1
        out.append((line, json.dumps(decision, ensure_ascii=False), None, counts))
    return out


# ------------------------------------------------------------------ checkpoint


def _fingerprint(opts: BatchOptions) -> dict[str, Any]:
    st = opts.input.stat()
    with opts.input.open("rb") as fh:
        head = hashlib.sha256(fh.read(1 << 20)).hexdigest()
    return {
        "input": str(opts.input.resolve()),
        "input_size": st.st_size,
        "input_head_sha256": head,
        "ruleset": opts.ruleset,
        "as_of": opts.as_of.isoformat() if opts.as_of else None,
        "changed_since": opts.changed_since.isoformat() if opts.changed_since else None,
        "backend": opts.backend,
        # Only when given, so a checkpoint written before the option existed still matches.
        **({"reveal_personal": True} if opts.reveal_personal else {}),
    }


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------ the run


def run(
    opts: BatchOptions,
    *,
    on_progress: Callable[[int, int | None], None] | None = None,
    on_bad_line: Callable[[int, str], None] | None = None,
    stop_after_chunks: int | None = None,
) -> BatchResult:
    """Run a batch; resume from the checkpoint beside the output if there is one.

    ``on_bad_line(line, problem)`` is called for each case that could not be decided, as it
    is found. ``stop_after_chunks`` stops the run as an interruption would (for tests).
    Raises ``InputError`` for options that cannot work and ``BatchInterrupted`` when
    stopped early (the checkpoint is kept).
    """
    in_kind, out_kind = _kind(opts.input), _kind(opts.output)
    if not opts.input.is_file():
        raise InputError([("--input", f"no such file: {opts.input}")])
    if not opts.output.parent.is_dir():
        raise InputError([("--output", f"no such folder: {opts.output.parent}")])
    if "parquet" in (in_kind, out_kind):
        _pyarrow()
    if opts.workers < 1:
        raise InputError([("--workers", f"must be at least 1, got {opts.workers}")])
    if opts.as_of and opts.changed_since and opts.changed_since >= opts.as_of:
        raise InputError(
            [("--changed-since", f"{opts.changed_since} is not before --as-of {opts.as_of}")]
        )
    # A ruleset that cannot be found or loaded is a usage error, before any case is read.
    if "@" in opts.ruleset or "/" in opts.ruleset or os.sep in opts.ruleset:
        load_ruleset(opts.ruleset)
    elif opts.ruleset not in {e.id for e in list_rulesets()}:
        raise RulesetNotFoundError(f"no ruleset has the id '{opts.ruleset}'", ref=opts.ruleset)
    elif opts.as_of is not None:
        load_ruleset(opts.ruleset, as_of=opts.as_of)

    checkpoint = opts.output.with_name(opts.output.name + CHECKPOINT_SUFFIX)
    staging = (
        opts.output
        if out_kind == "jsonl"
        else opts.output.with_name(opts.output.name + PARTIAL_SUFFIX)
    )
    fingerprint = _fingerprint(opts)
    summary = Summary()
    bad: list[tuple[int, str]] = []
    done = 0
    offset = 0
    if checkpoint.is_file():
        saved = json.loads(checkpoint.read_text(encoding="utf-8"))
        if saved.get("fingerprint") != fingerprint:
            raise InputError(
                [
                    (
                        "--output",
                        f"{checkpoint} is the checkpoint of another run (other input or "
                        "options); run that again to finish it, or delete the checkpoint",
                    )
                ]
            )
        done, offset = saved["cases_done"], saved["output_bytes"]
        summary.add({k: v for k, v in saved["summary"].items()})
        bad = [(int(b[0]), str(b[1])) for b in saved["bad_lines"]]
    resumed_from = done
    total = count_cases(opts.input)

    mode = "r+b" if done and staging.exists() else "wb"
    with staging.open(mode) as out:
        if mode == "r+b":
            out.seek(offset)
            out.truncate()
        wopts = {
            "ruleset": opts.ruleset,
            "as_of": opts.as_of.isoformat() if opts.as_of else None,
            "changed_since": opts.changed_since.isoformat() if opts.changed_since else None,
            "backend": opts.backend,
            "reveal_personal": opts.reveal_personal,
        }
        chunks = _chunks(read_cases(opts.input, skip=done), opts.chunk)
        pool = None
        if opts.workers > 1:
            ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
            pool = ctx.Pool(opts.workers, initializer=_init, initargs=(wopts,))
            results: Iterator[Any] = pool.imap(_work, chunks)
        else:
            _init(wopts)
            results = (_work(c) for c in chunks)
        try:
            n_chunks = 0
            if on_progress:
                on_progress(done, total)
            for res in results:
                for line, text, problem, counts in res:
                    summary.add(counts)
                    if problem is not None:
                        bad.append((line, problem))
                        if on_bad_line:
                            on_bad_line(line, problem)
                    if text is not None:
                        out.write(text.encode("utf-8") + b"\n")
                    done = max(done, line)
                out.flush()
                os.fsync(out.fileno())
                _write_json_atomic(
                    checkpoint,
                    {
                        "fingerprint": fingerprint,
                        "cases_done": done,
                        "output_bytes": out.tell(),
                        "summary": _asdict(summary),
                        "bad_lines": bad,
                    },
                )
                if on_progress:
                    on_progress(done, total)
                n_chunks += 1
                if stop_after_chunks is not None and n_chunks >= stop_after_chunks and done < total:
                    raise BatchInterrupted(f"stopped after {done} of {total} cases")
        except (KeyboardInterrupt, BatchInterrupted) as exc:
            if pool is not None:
                pool.terminate()
                pool.join()
            raise BatchInterrupted(
                str(exc) or f"interrupted after {done} of {total} cases"
            ) from None
        if pool is not None:
            pool.close()
            pool.join()
    if out_kind == "parquet":
        _jsonl_to_parquet(staging, opts.output)
        staging.unlink()
    checkpoint.unlink(missing_ok=True)
    return BatchResult(summary, bad, resumed_from)


def _asdict(s: Summary) -> dict[str, Any]:
    return dict(s.__dict__)


def _chunks(it: Iterator[tuple[int, Any]], n: int) -> Iterator[list[tuple[int, Any]]]:
    buf: list[tuple[int, Any]] = []
    for item in it:
        buf.append(item)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def _jsonl_to_parquet(src: Path, dst: Path) -> None:
    """Decisions as Parquet rows: keys to filter on as columns, the whole Decision as JSON."""
    pq = _pyarrow()
    import pyarrow as pa

    schema = pa.schema(
        [
            ("decision_id", pa.string()),
            ("as_of", pa.string()),
            ("subject_id", pa.string()),
            ("subject_type", pa.string()),
            ("ruleset_id", pa.string()),
            ("ruleset_version", pa.string()),
            ("ruleset_sha256", pa.string()),
            ("decision", pa.string()),
        ]
    )
    tmp = dst.with_name(dst.name + ".tmp")
    with pq.ParquetWriter(tmp, schema) as writer, src.open("r", encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = []

        def flush() -> None:
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows.clear()

        for line in fh:
            d = json.loads(line)
            rows.append(
                {
                    "decision_id": d["decision_id"],
                    "as_of": d["as_of"],
                    "subject_id": d["subject"]["id"],
                    "subject_type": d["subject"]["type"],
                    "ruleset_id": d["ruleset"]["id"],
                    "ruleset_version": d["ruleset"]["version"],
                    "ruleset_sha256": d["ruleset"]["sha256"],
                    "decision": line.rstrip("\n"),
                }
            )
            if len(rows) >= 2048:
                flush()
        flush()
    os.replace(tmp, dst)
