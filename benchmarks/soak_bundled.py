"""Evaluate generated subjects under every bundled ruleset and count what goes wrong.

For each bundled ruleset id, ``--subjects`` seeded subjects of 1–30 records
(``creditrules.synth``: every list, corrections, payments, objections, repair applications,
dates on statutory holidays, 调休 make-up days, month ends and 29 February) are evaluated on
dates its versions are in force on the reference backend, and on durable_rules as well for
one subject in ``--durable-every`` (1: every subject), and counted:

- ``decided``: a Decision (identical on both backends where both ran, all but ``engine``),
  nothing in it is left open and every conclusion cites the law;
- ``conflict``: ``RuleConflictError`` (two rules disagree, nothing settles them: a defect of
  the ruleset that ``creditrules validate`` must report as CR316 before any caller meets it);
- ``input_error``: the generated case was refused (a defect of the generator or of the input
  checks; never expected);
- ``other_error``: any other creditrules error, by class (``NotSupportedError`` …);
- ``crash``: an exception that is not a creditrules error;
- ``disagree``: the backends gave different Decisions, or one failed and the other did not
  (``both_backends`` counts the subjects compared);
- ``undecided``: a Decision with a question it leaves open: a matter asked about with no
  outcome and no reason, or a deadline with no due date;
- ``uncited``: a Decision with a conclusion that cites nothing, cites a text that is not
  Chinese, or a document with neither a 文号 nor a stated reason for none
  (``creditrules.evaluate.basis_check.basis_problems``, the check every scenario runs);
- ``no_rule`` (not a failure): a matter asked about that no rule of the ruleset answers,
  said so with a reason as CONTRACT.md requires (``"outcome": null``);
- ``no_calendar`` (not a failure): a deadline falling in a year whose holiday schedule is
  not known, ``"due": null`` with an error naming the year, as CONTRACT.md requires.

Subjects are cut into chunks of ``--chunk`` with seed ``seed * 100_000 + chunk`` so a run
can be spread over ``--workers`` processes and repeated exactly. Results go to ``--out``
(JSON, with up to five examples of every problem) and, with ``--table``, a Markdown table.

    nice -n 10 python benchmarks/soak_bundled.py --subjects 20000 --workers 2 \\
        --out benchmarks/results-soak.json --table benchmarks/results-soak.md
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import creditrules
from creditrules import synth
from creditrules.errors import CreditRulesError, InputError, RuleConflictError
from creditrules.evaluate.basis_check import basis_problems
from creditrules.loader import Ruleset, bundled_root, discover

EXAMPLES = 5
COUNTS = (
    "decided",
    "conflict",
    "input_error",
    "other_error",
    "crash",
    "disagree",
    "undecided",
    "uncited",
    "no_rule",
    "no_calendar",
    "both_backends",
)


def bundled_ids() -> list[str]:
    return sorted({e.id for e in discover([bundled_root()])})


def _chain(rs: Ruleset | None) -> list[Ruleset]:
    out = []
    while rs is not None:
        out.append(rs)
        rs = rs.parent
    return out


class Loaded:
    """A ruleset id loaded once per chain of versions in force (a load takes ~0.1 s)."""

    def __init__(self, rid: str) -> None:
        self.rid = rid
        self.loaded: list[Ruleset] = []

    def on(self, day: date) -> Ruleset:
        for rs in self.loaded:
            if all(node.in_force(day) for node in _chain(rs)):
                return rs
        rs = creditrules.load_ruleset(self.rid, as_of=day.isoformat())
        self.loaded.append(rs)
        return rs


#: One ``Loaded`` per ruleset id and worker process: loading a version chain (read, validate,
#: hash the YAML) costs about as much as deciding a hundred subjects.
_LOADED: dict[str, Loaded] = {}


def _comparable(decision: creditrules.Decision) -> dict[str, Any]:
    doc = decision.model_dump(mode="json", by_alias=True)
    doc.pop("engine", None)
    return doc


def open_questions(case: dict[str, Any], doc: dict[str, Any]) -> dict[str, list[str]]:
    """What a Decision leaves undecided or uncited, and the matters no rule answers."""
    out: dict[str, list[str]] = {"undecided": [], "uncited": [], "no_rule": [], "no_calendar": []}
    asked = set(case.get("matters") or ())
    for m in doc["matters"]:
        if m["matter"] in asked and m["outcome"] is None:
            # CONTRACT.md: a ruleset with no rule for a matter says so (null with a reason).
            key = "no_rule" if m.get("reason") else "undecided"
            out[key].append(f"matter {m['matter']}: {m.get('reason') or 'no outcome'}")
    for d in doc["deadlines"]:
        if d["due"] is None:
            # CONTRACT.md: a deadline in a year with no holiday schedule is null with an error.
            key = "no_calendar" if d.get("error") else "undecided"
            out[key].append(f"deadline {d['procedure']}: {d.get('error') or 'no due date'}")
    # The scenario runner's own check: every conclusion cites Chinese law with a number or
    # a stated reason for none (creditrules.evaluate.basis_check).
    out["uncited"] += basis_problems(doc)
    return out


def _one(rs: Ruleset, case: dict[str, Any], backend: str) -> tuple[str, Any]:
    try:
        return "ok", creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
    except RuleConflictError as exc:
        return "conflict", str(exc)
    except InputError as exc:
        return "input_error", str(exc)
    except CreditRulesError as exc:
        return f"other_error:{type(exc).__name__}", str(exc)
    except Exception as exc:  # noqa: BLE001 - counted, never hidden
        return f"crash:{type(exc).__name__}", repr(exc)


def run_chunk(job: tuple[str, int, int, int, int]) -> dict[str, Any]:
    rid, seed, chunk, n, durable_every = job
    loaded = _LOADED.setdefault(rid, Loaded(rid))
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    records = 0
    sizes: Counter[int] = Counter()

    def note(what: str, text: str, case: dict[str, Any]) -> None:
        examples.setdefault(what, [])
        if len(examples[what]) < EXAMPLES:
            examples[what].append({"what": text[:2000], "case": case})

    for i, case in enumerate(synth.subjects(seed=seed * 100_000 + chunk, n=n, ruleset=rid)):
        records += len(case["records"])
        sizes[len(case["records"])] += 1
        kinds.update(r.get("list", {}).get("id", r["category"]) for r in case["records"])
        where = f"{rid} chunk {chunk} as_of {case['as_of']}"
        rs = loaded.on(date.fromisoformat(case["as_of"]))
        b, db = _one(rs, case, "reference")
        if i % durable_every == 0:
            counts["both_backends"] += 1
            a, da = _one(rs, case, "durable_rules")
        else:  # the reference alone: conflicts are found when claims are settled, the same
            a, da = b, db  # code for both engines (their firings are compared on the others)
        differ = a != b or (a == "ok" and da is not db and _comparable(da) != _comparable(db))
        if differ:
            counts["disagree"] += 1
            note("disagree", f"{where}: durable_rules {a}, reference {b}", case)
        outcome = b if a == b else (a if a != "ok" else b)
        if outcome == "ok":
            found = open_questions(case, _comparable(db))
            for key, items in found.items():
                if items:
                    counts[key] += 1
                    note(key, f"{where}: {items[:4]}", case)
            if not differ and not found["undecided"] and not found["uncited"]:
                counts["decided"] += 1
            continue
        head = outcome.split(":", 1)[0]
        counts[head] += 1
        if head != outcome:
            counts[outcome] += 1
        note(outcome, f"{where}: {da if a == outcome else db}", case)
    return {
        "ruleset": rid,
        "subjects": n,
        "records": records,
        "counts": dict(counts),
        "examples": examples,
        "sizes": dict(sizes),
        "kinds": dict(kinds),
    }


def merge(parts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for p in parts:
        acc = out.setdefault(
            p["ruleset"],
            {"subjects": 0, "records": 0, "counts": Counter(), "examples": {}, "sizes": Counter()},
        )
        acc["subjects"] += p["subjects"]
        acc["records"] += p["records"]
        acc["counts"].update(p["counts"])
        acc["sizes"].update({int(k): v for k, v in p["sizes"].items()})
        acc.setdefault("kinds", Counter()).update(p["kinds"])
        for k, v in p["examples"].items():
            have = acc["examples"].setdefault(k, [])
            have += v[: EXAMPLES - len(have)]
    for acc in out.values():
        sizes = acc.pop("sizes")
        acc["records_min"], acc["records_max"] = min(sizes), max(sizes)
        acc["counts"] = {k: acc["counts"].get(k, 0) for k in COUNTS} | {
            k: v for k, v in sorted(acc["counts"].items()) if k not in COUNTS
        }
        acc["kinds"] = dict(sorted(acc["kinds"].items()))
    return dict(sorted(out.items()))


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs (of other seeds) as one: their counts summed per ruleset."""
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0])
    out["command"] = "` and `".join(r["command"] for r in runs)
    out["complete"] = all(r["complete"] for r in runs)
    out["chunks_done"] = sum(r["chunks_done"] for r in runs)
    out["chunks"] = sum(r["chunks"] for r in runs)
    out["elapsed_s"] = max(r["elapsed_s"] for r in runs)
    out["finished"] = max(r["finished"] for r in runs)
    rulesets: dict[str, dict[str, Any]] = {}
    for r in runs:
        for rid, acc in r["rulesets"].items():
            got = rulesets.setdefault(
                rid, {"subjects": 0, "records": 0, "counts": Counter(), "records_min": 99}
            )
            got["subjects"] += acc["subjects"]
            got["records"] += acc["records"]
            got["counts"].update(acc["counts"])
            got["records_min"] = min(got["records_min"], acc["records_min"])
            got["records_max"] = max(got.get("records_max", 0), acc["records_max"])
    for acc in rulesets.values():
        acc["counts"] = {k: acc["counts"].get(k, 0) for k in COUNTS}
    out["rulesets"] = dict(sorted(rulesets.items()))
    return out


def table(result: dict[str, Any]) -> str:
    lines = [
        (
            ""
            if result["complete"]
            else f"**Incomplete**: {result['chunks_done']} of {result['chunks']} chunks. "
        )
        + f"Run of {result['finished']} UTC, {result['elapsed_s']:.0f} s wall: "
        f"`{result['command']}` (creditrules {result['creditrules']}, commit {result['commit']}, "
        f"Python {result['python']}; the reference backend on every subject, durable_rules "
        f"as well on one subject in {result['settings']['durable_every']}, the two Decisions "
        "compared).",
        "",
        "| ruleset | subjects | records (min–max per subject) | on both backends | decided "
        "| RuleConflictError "
        "| input refused | other errors | crashes | backends disagree | undecided "
        "| citation problems | matter with no rule (stated) | deadline in a year without "
        "a holiday schedule |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    for rid, acc in result["rulesets"].items():
        c = acc["counts"]
        total.update({k: c[k] for k in COUNTS} | {"subjects": acc["subjects"]})
        total["records"] += acc["records"]
        lines.append(
            f"| `{rid}` | {acc['subjects']:,} | {acc['records']:,} "
            f"({acc['records_min']}–{acc['records_max']}) | {c['both_backends']:,} "
            f"| {c['decided']:,} | {c['conflict']} "
            f"| {c['input_error']} | {c['other_error']} | {c['crash']} | {c['disagree']} "
            f"| {c['undecided']} | {c['uncited']} | {c['no_rule']} | {c['no_calendar']} |"
        )
    lines.append(
        f"| all | {total['subjects']:,} | {total['records']:,} | {total['both_backends']:,} "
        f"| {total['decided']:,} "
        f"| {total['conflict']} | {total['input_error']} | {total['other_error']} "
        f"| {total['crash']} | {total['disagree']} | {total['undecided']} "
        f"| {total['uncited']} | {total['no_rule']} | {total['no_calendar']} |"
    )
    return "\n".join(lines) + "\n"


def _commit() -> str:
    import os
    import subprocess

    if os.environ.get("SOAK_COMMIT"):  # run from an exported snapshot of a commit
        return os.environ["SOAK_COMMIT"]
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=20_000, help="per ruleset id")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--durable-every",
        type=int,
        default=1,
        metavar="N",
        help="evaluate on durable_rules too (and compare) every Nth subject; 1: all",
    )
    parser.add_argument("--ruleset", action="append", help="only these ids (default: all)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results-soak.json"))
    parser.add_argument("--table", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--print-table",
        type=Path,
        nargs="+",
        metavar="RESULTS",
        help="print the table of results files (several: runs of other seeds, summed)",
    )
    args = parser.parse_args(argv)
    if args.print_table:
        runs = [json.loads(p.read_text(encoding="utf-8")) for p in args.print_table]
        print(table(combine(runs)), end="")
        return 0
    rids = args.ruleset or bundled_ids()
    jobs = []
    chunks = -(-args.subjects // args.chunk)
    for chunk in range(chunks):  # every ruleset's chunk 0 first: a partial run covers all
        for rid in rids:
            n = min(args.chunk, args.subjects - chunk * args.chunk)
            jobs.append((rid, args.seed, chunk, n, args.durable_every))
    start = time.perf_counter()
    cmd = "python benchmarks/soak_bundled.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    parts: list[dict[str, Any]] = []

    def write(done: bool) -> dict[str, Any]:
        result = {
            "command": cmd.strip(),
            "complete": done,
            "chunks_done": len(parts),
            "chunks": len(jobs),
            "finished": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "elapsed_s": time.perf_counter() - start,
            "creditrules": getattr(creditrules, "__version__", "?"),
            "commit": _commit(),
            "python": platform.python_version(),
            "settings": vars(args) | {"out": str(args.out), "table": str(args.table)},
            "rulesets": merge(parts),
        }
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        args.out.write_text(text, encoding="utf-8")
        return result

    def done_one(part: dict[str, Any]) -> None:
        parts.append(part)
        print(f"{len(parts)}/{len(jobs)} {part['ruleset']} {part['counts']}", file=sys.stderr)
        write(False)  # written after every chunk, so an interrupted run still reports

    if args.workers > 1:
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            for part in pool.imap_unordered(run_chunk, jobs):
                done_one(part)
    else:
        for job in jobs:
            done_one(run_chunk(job))
    result = write(True)
    text = table(result)
    if args.table:
        args.table.write_text(text, encoding="utf-8")
    print(text)
    bad = sum(acc["counts"][k] for acc in result["rulesets"].values() for k in COUNTS[1:-3])
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
