"""Concurrency and memory of creditrules.evaluate and load_ruleset.

Four measurements, each a subcommand, each printing one JSON object per line (progress
rows, then a final row with ``"done": true``) so a long run stopped early still leaves
its figures:

    python benchmarks/concurrency_memory.py threads   [--threads 8] [--n 10000]
    python benchmarks/concurrency_memory.py processes [--procs 4] [--n 10000]
    python benchmarks/concurrency_memory.py evals     [--n 1000000] [--every 10000]
    python benchmarks/concurrency_memory.py loads     [--n 1000] [--every 50] [--distinct] [--evaluate]

* ``threads``: ``--threads`` threads share one loaded ruleset and each make ``--n``
  evaluations of a mix of cases; every decision must equal the serial run's decision of
  the same case (JSON document compared whole). Counts mismatches and exceptions.
* ``processes``: the same with worker processes (each loads the ruleset itself).
* ``evals``: one case evaluated ``--n`` times in this process; current RSS
  (``/proc/self/statm``) every ``--every`` evaluations, and the decision compared with
  the first one at each sample.
* ``loads``: ``load_ruleset`` of a ruleset folder copied to a temporary folder, ``--n``
  times (every file read and parsed each time); with ``--distinct`` its manifest gains a
  different comment before each load, so each is a new version no cache keyed by content
  can answer; with ``--evaluate`` the example case is evaluated on each loaded version.
  RSS every ``--every`` loads.

``--backend`` picks ``durable_rules`` (the default) or ``reference``. Absolute times depend
on the machine and its load (recorded in every final row); RSS growth is the figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nantong-2026.json"
RULESET = "cn.js.nantong"


def rss_kb() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def load_avg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "unknown"


def emit(row: dict[str, Any]) -> None:
    print(json.dumps(row, ensure_ascii=False), flush=True)


def example_case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def mix_of_cases(n: int, records: int) -> list[dict[str, Any]]:
    """The example and ``n - 1`` seeded generated subjects (``creditrules.synth``) of
    ``records`` records each, with their lists, events and matters, so threads meet
    different rules at once."""
    from creditrules.synth import subjects

    return [example_case(), *subjects(seed=2026, n=n - 1, ruleset=RULESET, n_records=records)]


def decide(rs: Any, case: dict[str, Any], backend: str) -> str:
    import creditrules

    try:
        d = creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
    except creditrules.CreditRulesError as exc:  # a refusal is an answer too; compare it
        return f"{type(exc).__name__}: {exc}"
    return json.dumps(d.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)


def serial(rs: Any, cases: list[dict[str, Any]], backend: str) -> list[str]:
    return [decide(rs, c, backend) for c in cases]


# ------------------------------------------------------------------ threads


def cmd_threads(args: argparse.Namespace) -> None:
    import creditrules

    cases = mix_of_cases(args.cases, args.records)
    rs = creditrules.load_ruleset(RULESET, as_of=cases[0]["as_of"])
    t0 = time.perf_counter()
    expected = serial(rs, cases, args.backend)
    emit({"phase": "serial", "decisions": len(expected), "s": round(time.perf_counter() - t0, 1)})
    mismatches = 0
    errors: list[str] = []
    done = [0] * args.threads
    lock = threading.Lock()

    def work(k: int) -> None:
        nonlocal mismatches
        for i in range(args.n):
            j = (i * 7 + k * 13) % len(cases)  # threads walk the cases in different orders
            try:
                got = decide(rs, cases[j], args.backend)
            except BaseException as exc:  # noqa: BLE001 - counted, not hidden
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if got != expected[j]:
                with lock:
                    mismatches += 1
            done[k] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(60)
            emit({"phase": "threads", "evaluations": sum(done), "mismatches": mismatches})
    emit(
        {
            "done": True,
            "measure": "threads",
            "backend": args.backend,
            "threads": args.threads,
            "evaluations": sum(done) + len(errors),
            "distinct_cases": len(cases),
            "mismatches": mismatches,
            "exceptions": len(errors),
            "first_exceptions": errors[:3],
            "s": round(time.perf_counter() - t0, 1),
            "loadavg": load_avg(),
        }
    )


# ------------------------------------------------------------------ processes

_WORKER: dict[str, Any] = {}


def _init_worker(backend: str, as_of: str) -> None:
    import creditrules

    _WORKER["rs"] = creditrules.load_ruleset(RULESET, as_of=as_of)
    _WORKER["backend"] = backend


def _work_chunk(chunk: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, str]]:
    return [(j, decide(_WORKER["rs"], c, _WORKER["backend"])) for j, c in chunk]


def cmd_processes(args: argparse.Namespace) -> None:
    import creditrules

    cases = mix_of_cases(args.cases, args.records)
    rs = creditrules.load_ruleset(RULESET, as_of=cases[0]["as_of"])
    expected = serial(rs, cases, args.backend)
    total = args.procs * args.n
    jobs = [((i * 7) % len(cases)) for i in range(total)]
    chunks = [[(j, cases[j]) for j in jobs[k : k + 250]] for k in range(0, total, 250)]
    mismatches = evaluations = 0
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(args.procs, _init_worker, (args.backend, cases[0]["as_of"])) as pool:
        for got in pool.imap_unordered(_work_chunk, chunks):
            for j, text in got:
                evaluations += 1
                mismatches += text != expected[j]
    emit(
        {
            "done": True,
            "measure": "processes",
            "backend": args.backend,
            "processes": args.procs,
            "evaluations": evaluations,
            "distinct_cases": len(cases),
            "mismatches": mismatches,
            "s": round(time.perf_counter() - t0, 1),
            "loadavg": load_avg(),
        }
    )


# ------------------------------------------------------------------ RSS


def _curve(n: int, every: int, step: Any) -> Iterator[dict[str, Any]]:
    t0 = time.perf_counter()
    c0 = time.process_time()
    yield {"i": 0, "rss_kb": rss_kb(), "s": 0.0}
    for i in range(1, n + 1):
        step(i)
        if i % every == 0 or i == n:
            yield {
                "i": i,
                "rss_kb": rss_kb(),
                "s": round(time.perf_counter() - t0, 1),
                "cpu_s": round(time.process_time() - c0, 1),
            }


def cmd_evals(args: argparse.Namespace) -> None:
    import creditrules

    case = example_case()
    rs = creditrules.load_ruleset(RULESET, as_of=case["as_of"])
    first = decide(rs, case, args.backend)
    for _ in range(args.warmup):
        decide(rs, case, args.backend)
    differ = 0

    def step(i: int) -> None:
        nonlocal differ
        if i % args.every == 0:
            differ += decide(rs, case, args.backend) != first
        else:
            creditrules.evaluate(rs, case, backend=args.backend)

    rows = []
    for row in _curve(args.n, args.every, step):
        row["differ"] = differ
        rows.append(row)
        emit(row)
    emit(_summary("evals", args, rows, extra={"case": str(EXAMPLE.relative_to(ROOT))}))


def cmd_loads(args: argparse.Namespace) -> None:
    import creditrules
    from creditrules.loader import bundled_root

    src = next(
        e.folder
        for e in creditrules.list_rulesets()
        if e.id == "cn.hb.huangshi" or e.folder.is_relative_to(bundled_root() / "cn" / "hb")
    )
    with tempfile.TemporaryDirectory() as tmp:
        # Two levels below the temporary folder: the parent (cn.national) is also looked
        # for two folders up, and that must not be all of /tmp.
        folder = Path(tmp) / "rulesets" / "hs" / src.name
        shutil.copytree(src, folder)
        manifest = folder / "ruleset.yaml"
        text = manifest.read_text(encoding="utf-8")
        case = example_case()

        def step(i: int) -> None:
            # With --distinct, a different comment each time: the content hash changes, so
            # no cache keyed by content can answer; each load is a new version.
            if args.distinct:
                manifest.write_text(text + f"\n# load {i}\n", encoding="utf-8")
            loaded = creditrules.load_ruleset(folder)
            if args.evaluate:
                decide(loaded, case, args.backend)

        for _ in range(args.warmup):
            step(0)
        rows = []
        for row in _curve(args.n, args.every, step):
            rows.append(row)
            emit(row)
    extra = {
        "ruleset": str(src.relative_to(bundled_root())),
        "distinct": args.distinct,
        "evaluate": args.evaluate,
    }
    emit(_summary("loads", args, rows, extra=extra))


def _summary(
    measure: str, args: argparse.Namespace, rows: list[dict[str, Any]], extra: dict[str, Any]
) -> dict[str, Any]:
    # Growth after the first tenth: the first samples include caches filling once.
    tenth = rows[max(1, len(rows) // 10)]
    return {
        "done": True,
        "measure": measure,
        "backend": args.backend,
        "n": rows[-1]["i"],
        "rss_start_kb": rows[0]["rss_kb"],
        "rss_after_first_tenth_kb": tenth["rss_kb"],
        "rss_end_kb": rows[-1]["rss_kb"],
        "rss_max_kb": max(r["rss_kb"] for r in rows),
        "growth_after_first_tenth_kb": rows[-1]["rss_kb"] - tenth["rss_kb"],
        "s": rows[-1]["s"],
        "loadavg": load_avg(),
        "python": sys.version.split()[0],
        **extra,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name, n, extra in (
        ("threads", 10_000, "threads"),
        ("processes", 10_000, "procs"),
        ("evals", 1_000_000, "every"),
        ("loads", 1_000, "every"),
    ):
        s = sub.add_parser(name)
        s.add_argument("--n", type=int, default=n)
        s.add_argument("--backend", default="durable_rules", choices=("durable_rules", "reference"))
        if extra == "threads":
            s.add_argument("--threads", type=int, default=8)
        if extra == "procs":
            s.add_argument("--procs", type=int, default=4)
        if name in ("threads", "processes"):
            s.add_argument("--cases", type=int, default=40, help="distinct cases in the mix")
            s.add_argument("--records", type=int, default=2, help="records per generated case")
        if extra == "every":
            s.add_argument("--every", type=int, default=10_000 if name == "evals" else 50)
            s.add_argument("--warmup", type=int, default=20 if name == "evals" else 5)
        if name == "loads":
            s.add_argument(
                "--distinct", action="store_true", help="change the content before each load"
            )
            s.add_argument(
                "--evaluate", action="store_true", help="evaluate the example after each load"
            )
    args = p.parse_args(argv)
    {"threads": cmd_threads, "processes": cmd_processes, "evals": cmd_evals, "loads": cmd_loads}[
        args.cmd
    ](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
