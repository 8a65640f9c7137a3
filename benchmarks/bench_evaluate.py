"""Benchmark creditrules.evaluate on the durable_rules backend against the reference backend.

Measures, in one run:

* single-decision latency (median and p95 over N evaluations) of the example case and of a
  10-record case, per backend;
* throughput (decisions/s, one process, one thread, pinned to one core where the OS allows)
  over a batch of generated valid cases;
* the first call in a fresh process (load the ruleset; compile the plan and, for
  durable_rules, register its rulesets) against a cached call;
* peak RSS (resource.getrusage) and current RSS before and after many evaluations, each
  backend in its own child process.

Ratios durable_rules / reference are the primary figures: absolute times depend on the
machine. Writes benchmarks/results.json and prints a Markdown table.

    python benchmarks/bench_evaluate.py              # full run (several minutes)
    python benchmarks/bench_evaluate.py --quick      # smaller counts, for a smoke test
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nantong-2026.json"
RESULTS = Path(__file__).resolve().parent / "results.json"
BACKENDS = ("durable_rules", "reference")
#: Where rulesets are looked up (--rulesets); None means the bundled ones.
ROOTS: list[Path] | None = None

# ------------------------------------------------------------------ cases

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def uscc(body16: str) -> str:
    org = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body16[8:16], ORG_WEIGHTS, strict=True)
    )
    body = body16 + {10: "X", 11: "0"}.get(11 - org % 11, str(11 - org % 11))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_ALPHABET[-total % 31]


def resident_id(area: str, born: date, seq: int) -> str:
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    total = sum(int(c) * w for c, w in zip(body, RESIDENT_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


ORG_TYPES = ("legal_person", "unincorporated_org", "individual_business", "government_body")
PERSON_TYPES = ("natural_person", "civil_servant")
PENALTIES = ("warning", "fine_small", "fine_large", "confiscation", "license_suspension", "closure")
LISTS = ("blacklist", "redlist", "key_attention", "court.dishonest_debtor", "tax.major_violation")
EVENTS = (
    "objection_filed",
    "objection_forwarded",
    "objection_upheld",
    "objection_rejected",
    "repair_applied",
    "repair_accepted",
    "repair_granted",
    "list_decided",
    "volunteer_service",
)
MATTERS = (
    "government_procurement",
    "bidding",
    "fiscal_support",
    "award_evaluation",
    "civil_service_promotion",
)


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def record(rng: random.Random, i: int, as_of: date) -> dict[str, Any]:
    lo, hi = date(2016, 1, 1), min(as_of, date(2026, 12, 20))
    category = rng.choice(["negative", "negative", "negative", "positive", "basic", "other"])
    determined = _day(rng, lo, hi)
    rec: dict[str, Any] = {
        "id": f"r{i}",
        "category": category,
        "domain": rng.choice(["tax", "environment", "wages", None]),
        "behavior": rng.choice(["tax.major_violation", "wages.arrears", None]),
        "severity": rng.choice(["serious", "general", "minor", None]),
        "basis": {
            "type": rng.choice(["admin_penalty", "court_judgment", "admin_decision"]),
            "procedure": rng.choice(["ordinary", "ordinary", "simple", None]),
            "issued_on": determined.isoformat(),
            "penalties": rng.sample(PENALTIES, rng.randint(0, 2)),
        },
        "determined_on": determined.isoformat(),
        "published_on": determined.isoformat(),
        "corrected_on": _day(rng, determined, hi).isoformat() if rng.random() < 0.3 else None,
        "disclosure": rng.choice(["public", "public", "government_shared", None]),
    }
    if rng.random() < 0.3:
        rec["list"] = {
            "id": rng.choice(LISTS),
            "listed_on": _day(rng, determined, hi).isoformat(),
            "term": rng.choice([None, "P1Y", "P2Y"]),
        }
    return rec


def generated_case(rng: random.Random, n_records: int | None = None) -> dict[str, Any]:
    """A valid case (CONTRACT.md Input): 0-4 records, events and matters, random dates."""
    as_of = _day(rng, date(2016, 1, 1), date(2026, 12, 31))
    typ = rng.choice(ORG_TYPES + PERSON_TYPES)
    if typ in PERSON_TYPES:
        ident = resident_id(
            "320602", _day(rng, date(1950, 1, 1), date(2005, 12, 31)), rng.randint(0, 999)
        )
    else:
        body = "91" + "320600" + "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
        ident = uscc(body)
    n = rng.randint(0, 4) if n_records is None else n_records
    recs = [record(rng, i, as_of) for i in range(n)]
    events = []
    for _ in range(rng.randint(0, 3) if recs else 0):
        ev: dict[str, Any] = {
            "type": rng.choice(EVENTS),
            "record": rng.choice(recs)["id"],
            "on": _day(rng, date(2016, 1, 1), min(as_of, date(2026, 12, 20))).isoformat(),
        }
        if ev["type"] == "repair_applied":
            ev["pledge"] = rng.random() < 0.8
        events.append(ev)
    return {
        "as_of": as_of.isoformat(),
        "subject": {"id": ident, "type": typ},
        "records": recs,
        "events": events,
        "matters": rng.sample(MATTERS, rng.randint(0, 3)),
    }


def example_case(path: Path = EXAMPLE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def ten_record_case(path: Path = EXAMPLE) -> dict[str, Any]:
    """The example's subject and date with ten records of every kind and two events."""
    case = example_case(path)
    as_of = date.fromisoformat(case["as_of"])

    def ago(days: int) -> str:
        return (as_of - timedelta(days=days)).isoformat()

    def neg(i: int, severity: str, days: int, **extra: Any) -> dict[str, Any]:
        rec = {
            "id": f"r{i}",
            "category": "negative",
            "domain": "environment",
            "behavior": "pollution",
            "severity": severity,
            "basis": {
                "type": "admin_penalty",
                "procedure": "ordinary",
                "issued_on": ago(days),
                "penalties": ["fine_large"],
            },
            "determined_on": ago(days),
            "published_on": ago(days),
        }
        return rec | extra

    case["records"] = [
        neg(0, "general", 100),
        neg(1, "serious", 400, corrected_on=ago(380)),
        neg(2, "serious", 1500),  # expired
        neg(3, "general", 30, disclosure="government_shared"),
        neg(4, "general", 60, basis={"type": "admin_penalty", "procedure": "simple"}),
        neg(5, "serious", 200, list={"id": "blacklist", "listed_on": ago(190), "term": "P2Y"}),
        neg(6, "general", 900, corrected_on=ago(800)),
        {
            "id": "r7",
            "category": "positive",
            "determined_on": ago(300),
            "list": {"id": "redlist", "listed_on": ago(300), "term": "P3Y"},
        },
        {"id": "r8", "category": "basic", "determined_on": ago(1000)},
        {"id": "r9", "category": "other", "determined_on": ago(50)},
    ]
    case["events"] = [
        {"type": "objection_filed", "record": "r0", "on": ago(20)},
        {"type": "repair_applied", "record": "r1", "on": ago(10), "pledge": True},
    ]
    return case


# ------------------------------------------------------------------ measuring


def _pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # not Linux
        return "not pinned"


def _rss_now_kb() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _maxrss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


class Loader:
    """load_ruleset once per set of versions in force (a load is a cost measured apart).

    The versions in force on a date (of the ruleset and of what it extends) decide what
    load_ruleset returns, so they key the cache; a failed load is cached too.
    """

    def __init__(self) -> None:
        import creditrules

        self.cr = creditrules
        self.entries = creditrules.list_rulesets(ROOTS)
        self.cache: dict[tuple[tuple[str, str], ...], Any] = {}

    def key(self, day: date) -> tuple[tuple[str, str], ...]:
        def in_force(m: Any) -> bool:
            return bool(
                m.effective_from <= day and (m.effective_to is None or day < m.effective_to)
            )

        return tuple(sorted((e.id, e.version) for e in self.entries if in_force(e.manifest)))

    def __call__(self, as_of: str) -> Any:
        k = self.key(date.fromisoformat(as_of))
        if k not in self.cache:
            try:
                self.cache[k] = self.cr.load_ruleset("cn.js.nantong", as_of=as_of, roots=ROOTS)
            except self.cr.CreditRulesError as exc:
                self.cache[k] = exc
        got = self.cache[k]
        if isinstance(got, Exception):
            raise got
        return got

    @property
    def loaded(self) -> list[Any]:
        return [v for v in self.cache.values() if not isinstance(v, Exception)]


def latency(case: dict[str, Any], backend: str, n: int) -> dict[str, float]:
    import creditrules

    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"], roots=ROOTS)
    for _ in range(max(5, n // 20)):  # warm-up: plan compiled, durable rulesets registered
        creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
    times.sort()
    return {
        "n": n,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(0.95 * (n - 1))] * 1000,
        "mean_ms": statistics.fmean(times) * 1000,
    }


def throughput(cases: list[dict[str, Any]], backend: str) -> dict[str, Any]:
    import creditrules
    from creditrules.errors import CreditRulesError

    load = Loader()
    for case in cases:  # load every version and warm every plan first: not part of the figure
        try:
            creditrules.evaluate(load(case["as_of"]), case, backend=backend)  # type: ignore[arg-type]
        except CreditRulesError:
            pass
    errors: dict[str, int] = {}
    t = time.perf_counter()
    for case in cases:
        try:
            creditrules.evaluate(load(case["as_of"]), case, backend=backend)  # type: ignore[arg-type]
        except CreditRulesError as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
    elapsed = time.perf_counter() - t
    return {
        "cases": len(cases),
        "seconds": elapsed,
        "decisions_per_s": len(cases) / elapsed,
        "errors": errors,
        "ruleset_versions": sorted(
            {rs.ref + ("+" + rs.parent.ref if rs.parent else "") for rs in load.loaded}
        ),
    }


# ------------------------------------------------------------------ child processes

_CHILD_FIRST_CALL = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import creditrules
from creditrules.compile import durable
t1 = time.perf_counter()
case = json.load(open(sys.argv[1], encoding="utf-8"))
backend = sys.argv[2]
roots = [Path(sys.argv[3])] if sys.argv[3] else None
rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"], roots=roots)
t2 = time.perf_counter()
creditrules.evaluate(rs, case, backend=backend)
t3 = time.perf_counter()
creditrules.evaluate(rs, case, backend=backend)
t4 = time.perf_counter()
rs2 = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"], roots=roots)
t5 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_evaluate_s": t3 - t2,
                  "second_evaluate_s": t4 - t3, "reload_s": t5 - t4,
                  "durable_rulesets": durable.live_rulesets()}))
"""

_CHILD_MEMORY = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import bench_evaluate as b
import creditrules
case = json.load(open(sys.argv[1], encoding="utf-8"))
backend, n = sys.argv[2], int(sys.argv[3])
roots = [Path(sys.argv[5])] if sys.argv[5] else None
rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"], roots=roots)
for _ in range(20):
    creditrules.evaluate(rs, case, backend=backend)
before = {"maxrss_kb": b._maxrss_kb(), "rss_kb": b._rss_now_kb()}
for _ in range(n):
    creditrules.evaluate(rs, case, backend=backend)
after = {"maxrss_kb": b._maxrss_kb(), "rss_kb": b._rss_now_kb()}
print(json.dumps({"evaluations": n, "before": before, "after": after}))
"""


def _child(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_call(case_file: Path, backend: str, runs: int) -> dict[str, float]:
    roots = str(ROOTS[0]) if ROOTS else ""
    samples = [_child(_CHILD_FIRST_CALL, str(case_file), backend, roots) for _ in range(runs)]
    out: dict[str, float] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    out["runs"] = runs
    return out


def memory(case_file: Path, backend: str, n: int) -> dict[str, Any]:
    roots = str(ROOTS[0]) if ROOTS else ""
    return _child(_CHILD_MEMORY, str(case_file), backend, str(n), str(Path(__file__).parent), roots)


# ------------------------------------------------------------------ report


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def table(r: dict[str, Any]) -> str:
    lat, thr, fc, mem = r["latency"], r["throughput"], r["first_call"], r["memory"]
    rows = ["| measure | durable_rules | reference | durable / reference |", "|---|---:|---:|---:|"]

    def row(label: str, d: float, ref: float, fmt: str = "{:.2f}") -> None:
        rows.append(
            f"| {label} | {fmt.format(d)} | {fmt.format(ref)} | **{_ratio(d, ref):.2f}×** |"
        )

    for name in lat["durable_rules"]:
        d, ref = lat["durable_rules"][name], lat["reference"][name]
        row(f"latency {name}, median (ms)", d["median_ms"], ref["median_ms"])
        row(f"latency {name}, p95 (ms)", d["p95_ms"], ref["p95_ms"])
    row(
        f"throughput, {thr['durable_rules']['cases']} generated cases (decisions/s)",
        thr["durable_rules"]["decisions_per_s"],
        thr["reference"]["decisions_per_s"],
        "{:.0f}",
    )
    row(
        "first call: load_ruleset (ms)",
        fc["durable_rules"]["load_s"] * 1000,
        fc["reference"]["load_s"] * 1000,
        "{:.0f}",
    )
    row(
        "first call: first evaluate — compile plan (+ register) (ms)",
        fc["durable_rules"]["first_evaluate_s"] * 1000,
        fc["reference"]["first_evaluate_s"] * 1000,
        "{:.1f}",
    )
    row(
        "cached: second evaluate in the same process (ms)",
        fc["durable_rules"]["second_evaluate_s"] * 1000,
        fc["reference"]["second_evaluate_s"] * 1000,
        "{:.1f}",
    )
    for key in ("maxrss_kb", "rss_kb"):
        label = "peak RSS (getrusage)" if key == "maxrss_kb" else "current RSS (/proc)"
        d, ref = mem["durable_rules"], mem["reference"]
        if d["before"][key] is None:
            continue
        row(f"{label} before (MiB)", d["before"][key] / 1024, ref["before"][key] / 1024, "{:.1f}")
        row(
            f"{label} after {d['evaluations']:,} evaluations (MiB)",
            d["after"][key] / 1024,
            ref["after"][key] / 1024,
            "{:.1f}",
        )
    d, ref = mem["durable_rules"], mem["reference"]
    if d["before"]["rss_kb"] is not None:
        rows.append(
            f"| current RSS growth over {d['evaluations']:,} evaluations (KiB) "
            f"| {d['after']['rss_kb'] - d['before']['rss_kb']:+d} "
            f"| {ref['after']['rss_kb'] - ref['before']['rss_kb']:+d} | — |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--latency-n", type=int, default=300, help="evaluations per latency figure")
    p.add_argument("--cases", type=int, default=2000, help="generated cases for throughput")
    p.add_argument("--memory-n", type=int, default=20000, help="evaluations for the RSS figure")
    p.add_argument("--first-call-runs", type=int, default=5, help="fresh processes per backend")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--case", type=Path, default=EXAMPLE, help="the example case (JSON)")
    p.add_argument(
        "--rulesets", type=Path, default=None, help="a rulesets folder instead of the bundled ones"
    )
    p.add_argument(
        "--quick", action="store_true", help="small counts: a smoke test, not a benchmark"
    )
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument(
        "--table", action="store_true", help="print the table of an earlier --out and stop"
    )
    args = p.parse_args(argv)
    if args.table:
        print(table(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0
    global ROOTS
    ROOTS = [args.rulesets.resolve()] if args.rulesets else None
    if args.quick:
        args.latency_n, args.cases, args.memory_n, args.first_call_runs = 30, 100, 500, 1

    pinned = _pin_one_core()
    rng = random.Random(args.seed)
    cases = [generated_case(rng) for _ in range(args.cases)]
    named = {"example case": example_case(args.case), "10-record case": ten_record_case(args.case)}
    scratch = tempfile.TemporaryDirectory(prefix="creditrules-bench-")
    case_file = Path(scratch.name) / "example_case.json"
    case_file.write_text(json.dumps(named["example case"], ensure_ascii=False), encoding="utf-8")

    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "affinity": pinned,
            "durable_rules": metadata.version("durable_rules"),
            "creditrules": metadata.version("creditrules"),
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
        },
        "settings": vars(args)
        | {
            "out": str(args.out),
            "case": str(args.case),
            "rulesets": str(args.rulesets or "bundled"),
        },
        "latency": {},
        "throughput": {},
        "first_call": {},
        "memory": {},
    }
    try:
        for backend in BACKENDS:
            print(f"[{backend}] latency …", file=sys.stderr)
            results["latency"][backend] = {
                name: latency(copy.deepcopy(c), backend, args.latency_n)
                for name, c in named.items()
            }
            print(f"[{backend}] throughput over {len(cases)} cases …", file=sys.stderr)
            results["throughput"][backend] = throughput(cases, backend)
            print(
                f"[{backend}] first call in {args.first_call_runs} fresh processes …",
                file=sys.stderr,
            )
            results["first_call"][backend] = first_call(case_file, backend, args.first_call_runs)
            print(f"[{backend}] RSS over {args.memory_n} evaluations …", file=sys.stderr)
            results["memory"][backend] = memory(case_file, backend, args.memory_n)
    finally:
        scratch.cleanup()

    results["ratios"] = {
        "latency_median_example": _ratio(
            results["latency"]["durable_rules"]["example case"]["median_ms"],
            results["latency"]["reference"]["example case"]["median_ms"],
        ),
        "latency_median_10_records": _ratio(
            results["latency"]["durable_rules"]["10-record case"]["median_ms"],
            results["latency"]["reference"]["10-record case"]["median_ms"],
        ),
        "throughput": _ratio(
            results["throughput"]["durable_rules"]["decisions_per_s"],
            results["throughput"]["reference"]["decisions_per_s"],
        ),
    }
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    m = results["machine"]
    print(
        f"\nPython {m['python']}, durable_rules {m['durable_rules']}, {m['processor']}, "
        f"{m['cpus']} CPUs ({m['affinity']}); {m['date']}. Written to {args.out}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
