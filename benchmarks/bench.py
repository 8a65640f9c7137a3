"""City-scale benchmark: creditrules beside raw durable_rules, zen-engine and plain Python.

One run, one process, pinned to one core where the OS allows. It measures:

* ruleset load (read, validate, hash the YAML), plan compile (stratify) and durable_rules
  registration time;
* single-decision latency (p50, p99, full trace) on each backend for the one-record example
  (``examples/nantong-2026.json``) and a generated 10-record subject;
* batch throughput over a seeded corpus from ``creditrules.synth`` (records/s, subjects/s);
* the same rules on the same facts without creditrules' machinery: every stratum's rules and
  facts, as the evaluation handed them to its backend, captured once and replayed on
  raw durable_rules (its own Host and rulesets, facts pre-encoded), on a GoRules zen-engine
  decision table (one JDM per stratum, hit policy "collect") and on plain Python functions
  generated from the rules; each checked to fire exactly what the reference backend fires;
* peak RSS (getrusage) and RSS after each phase.

Ratios against creditrules' durable_rules path are reported; absolute figures depend on the
machine and its load, which is recorded (``os.getloadavg``, as ``uptime`` shows it).

    pip install -e '.[bench]'
    python benchmarks/bench.py                   # full run, writes benchmarks/results-bench.json
    python benchmarks/bench.py --quick           # small counts: a smoke test, not a benchmark
    python benchmarks/bench.py --table FILE      # the Markdown table of an earlier run
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import creditrules
from creditrules import synth
from creditrules.compile import durable as adapter
from creditrules.compile import reference
from creditrules.compile.ir import And, CompiledRule, Cond, Neg, Or, TrueCond, stratify
from creditrules.errors import CreditRulesError
from creditrules.evaluate import run as evaluate_run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nantong-2026.json"
OUT = Path(__file__).resolve().parent / "results-bench.json"
BACKENDS = ("durable_rules", "reference")


def _pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # not Linux
        return "not pinned"


def _rss_mib() -> float | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": _pct(times, 0.99) * 1000,
        "mean_ms": statistics.fmean(times) * 1000,
    }


# ------------------------------------------------------------------ rulesets by date


class Loader:
    """``load_ruleset`` once per set of versions in force on a date (loading is measured apart)."""

    def __init__(self, ruleset: str) -> None:
        self.ruleset = ruleset
        self.entries = creditrules.list_rulesets()
        self.cache: dict[tuple[tuple[str, str], ...], Any] = {}

    def key(self, day: date) -> tuple[tuple[str, str], ...]:
        return tuple(
            sorted(
                (e.id, e.version)
                for e in self.entries
                if e.manifest.effective_from <= day
                and (e.manifest.effective_to is None or day < e.manifest.effective_to)
            )
        )

    def __call__(self, as_of: str) -> Any:
        k = self.key(date.fromisoformat(as_of))
        if k not in self.cache:
            try:
                self.cache[k] = creditrules.load_ruleset(self.ruleset, as_of=as_of)
            except CreditRulesError as exc:
                self.cache[k] = exc
        got = self.cache[k]
        if isinstance(got, Exception):
            raise got
        return got


# ------------------------------------------------------------------ capturing strata


class Capture:
    """Wraps the evaluation loop's backend call to keep (plan, stratum, facts) of each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, list[dict[str, Any]], set[tuple[str, str]]]] = []
        self.plans: dict[str, Any] = {}
        self._orig = evaluate_run._fire

    def __enter__(self) -> Capture:
        def fire(plan: Any, level: int, facts: list[dict[str, Any]], backend: Any) -> Any:
            got = self._orig(plan, level, facts, backend)
            self.plans.setdefault(plan.digest, plan)
            self.calls.append((plan.digest, level, [dict(f) for f in facts], set(got)))
            return got

        evaluate_run._fire = fire  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        evaluate_run._fire = self._orig  # type: ignore[assignment]


# ------------------------------------------------------------------ raw durable_rules


class RawDurable:
    """durable_rules driven directly: its own Host and rulesets, one session per call."""

    def __init__(self) -> None:
        from durable import engine

        class Host(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no self-rescheduling timer threads
                return None

        self.engine = engine
        self.host = Host()
        self.names: dict[tuple[str, int], list[str]] = {}
        self.fired: set[tuple[str, str]] = set()
        self.sid = 0

    def register(self, digest: str, level: int, rules: list[CompiledRule]) -> None:
        names = []
        for i, part in enumerate(adapter.chunk(rules)):
            name = f"raw_{digest[:12]}_l{level}_c{i}"
            defn: dict[str, Any] = {
                "__begin__": {
                    "all": [{"m": {"kind_": "__begin__"}}],
                    "run": lambda c: None,
                }
            }
            for r in part:
                defn[r.id] = {"all": [{"m": adapter.rule_expression(r)}], "run": self._action(r.id)}
            self.host.register_rulesets({name: defn})
            names.append(name)
        self.names[(digest, level)] = names

    def _action(self, rid: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            self.fired.add((rid, c.m._d["fk_"]))

        return run

    def run(self, digest: str, level: int, encoded: list[dict[str, Any]]) -> set[tuple[str, str]]:
        self.fired = set()
        for name in self.names[(digest, level)]:
            self.sid += 1
            sid = f"b{self.sid}"
            self.host.assert_fact(name, {"kind_": "__begin__", "fk_": "_", "sid": sid})
            for f in encoded:
                f["sid"] = sid
                try:
                    self.host.assert_fact(name, f)
                except self.engine.MessageNotHandledException:
                    pass
            self.host.delete_state(name, sid)
        return self.fired


# ------------------------------------------------------------------ zen-engine

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _zen_value(v: Any) -> Any:
    """zen compares strings only for equality: ISO dates become yyyymmdd integers."""
    if isinstance(v, str) and _ISO.match(v):
        return int(v.replace("-", ""))
    if isinstance(v, list | tuple):
        return [_zen_value(x) for x in v]
    return v


def _zen_lit(v: Any) -> str:
    return json.dumps(_zen_value(v), ensure_ascii=False)


def _zen_name(field: str) -> str:
    return adapter.key(field)


def zen_expr(c: Cond) -> str:
    """IR condition → a ZEN expression with the reference's semantics (null fails every test
    but ``is_null``; values of another type never compare equal)."""
    if isinstance(c, TrueCond):
        return "true"
    if isinstance(c, And):
        return "(" + " and ".join(zen_expr(x) for x in c.items) + ")" if c.items else "true"
    if isinstance(c, Or):
        return "(" + " or ".join(zen_expr(x) for x in c.items) + ")" if c.items else "false"
    if isinstance(c, Neg):
        return f"(not {zen_expr(c.item)})"
    f = _zen_name(c.field)
    guard = f"{f} != null"
    if c.op == "is_null":
        return f"({f} == null)" if c.value else f"({guard})"
    if c.op == "eq":
        return f"({guard} and {f} == {_zen_lit(c.value)})"
    if c.op == "ne":
        return f"({guard} and {f} != {_zen_lit(c.value)})"
    if c.op == "in":
        return f"({guard} and {f} in {_zen_lit(list(c.value))})"
    if c.op == "not_in":
        return f"({guard} and not ({f} in {_zen_lit(list(c.value))}))"
    if c.op == "contains":
        return f"({guard} and some({f}, # in {_zen_lit(list(c.value))}))"
    op = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[c.op]
    return f"({guard} and {f} {op} {_zen_lit(c.value)})"


def zen_fact(fact: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"kind_": fact["_kind"], "fk_": fact["_key"]}
    for k, v in fact.items():
        if not k.startswith("_") and v is not None:
            out[_zen_name(k)] = _zen_value(v)
    return out


def zen_jdm(rules: list[CompiledRule]) -> dict[str, Any]:
    pos = {"x": 0, "y": 0}
    rows = [
        {"_id": f"r{i}", "c": f"kind_ == '{r.kind}' and {zen_expr(r.cond)}", "o": json.dumps(r.id)}
        for i, r in enumerate(rules)
    ]
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": pos},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": "rules",
                "position": pos,
                "content": {
                    "hitPolicy": "collect",
                    "inputs": [{"id": "c", "name": "condition", "field": ""}],
                    "outputs": [{"id": "o", "name": "rule", "field": "rule"}],
                    "rules": rows,
                },
            },
            {"id": "out", "type": "outputNode", "name": "Response", "position": pos},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"},
        ],
    }


# ------------------------------------------------------------------ plain Python


def py_expr(c: Cond) -> str:
    """IR condition → a Python expression over ``f`` (a fact dict), reference semantics."""
    if isinstance(c, TrueCond):
        return "True"
    if isinstance(c, And):
        return "(" + " and ".join(py_expr(x) for x in c.items) + ")" if c.items else "True"
    if isinstance(c, Or):
        return "(" + " or ".join(py_expr(x) for x in c.items) + ")" if c.items else "False"
    if isinstance(c, Neg):
        return f"(not {py_expr(c.item)})"
    g = f"f.get({c.field!r})"
    if c.op == "is_null":
        return f"({g} is None)" if c.value else f"({g} is not None)"
    v = c.value
    t = type(v[0] if isinstance(v, tuple) and v else v).__name__
    typed = f"type({g}) is {t}"
    if c.op == "eq":
        return f"({g} == {v!r} and {typed})"
    if c.op == "ne":
        return f"({g} is not None and not ({g} == {v!r} and {typed}))"
    if c.op == "in":
        return f"({g} in {frozenset(v)!r} and {typed})"
    if c.op == "not_in":
        return f"({g} is not None and not ({g} in {frozenset(v)!r} and {typed}))"
    if c.op == "contains":
        return f"(isinstance({g}, (list, tuple)) and not {frozenset(v)!r}.isdisjoint({g}))"
    op = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[c.op]
    return f"({typed} and {g} {op} {v!r})"


def py_function(rules: list[CompiledRule]) -> Callable[[list[dict[str, Any]]], set[Any]]:
    by_kind: dict[str, list[CompiledRule]] = {}
    for r in rules:
        by_kind.setdefault(r.kind, []).append(r)
    lines = ["def run(facts):", "    out = set()", "    for f in facts:", "        k = f['_kind']"]
    for kind, rs in by_kind.items():
        lines.append(f"        if k == {kind!r}:")
        lines.append("            key = f['_key']")
        for r in rs:
            lines.append(f"            if {py_expr(r.cond)}: out.add(({r.id!r}, key))")
    lines.append("    return out")
    ns: dict[str, Any] = {}
    exec("\n".join(lines), ns)  # noqa: S102 - code generated from the rule plan above
    return ns["run"]  # type: ignore[no-any-return]


# ------------------------------------------------------------------ phases


def measure_load(ruleset: str, as_of: str, n: int) -> dict[str, Any]:
    loads, compiles = [], []
    rs = None
    for _ in range(n):
        t = time.perf_counter()
        rs = creditrules.load_ruleset(ruleset, as_of=as_of)
        loads.append(time.perf_counter() - t)
        t = time.perf_counter()
        stratify(rs)
        compiles.append(time.perf_counter() - t)
    assert rs is not None
    plan = evaluate_run.plan_for(rs)
    t = time.perf_counter()
    for level in range(plan.levels):
        rules = plan.at(level)
        if rules:
            adapter.prepare(f"cr_{plan.digest[:16]}_l{level}", rules)
    register = time.perf_counter() - t
    return {
        "ruleset": rs.ref + (f"+{rs.parent.ref}" if rs.parent else ""),
        "rules": len(plan.rules),
        "strata": plan.levels,
        "durable_rulesets": adapter.live_rulesets(),
        "load_ms": statistics.median(loads) * 1000,
        "compile_ms": statistics.median(compiles) * 1000,
        "durable_register_ms": register * 1000,
    }


def measure_latency(rs: Any, case: dict[str, Any], backend: str, n: int) -> dict[str, float]:
    for _ in range(max(5, n // 20)):
        creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
    times, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        creditrules.evaluate(rs, case, backend=backend)  # type: ignore[arg-type]
        cpu.append(time.process_time() - c)
        times.append(time.perf_counter() - t)
    return _summary(times) | {f"cpu_{k}": v for k, v in _summary(cpu).items() if k != "n"}


def measure_throughput(load: Loader, cases: list[dict[str, Any]], backend: str) -> dict[str, Any]:
    for case in cases[: min(len(cases), 200)]:  # warm plans and registrations
        try:
            creditrules.evaluate(load(case["as_of"]), case, backend=backend)  # type: ignore[arg-type]
        except CreditRulesError:
            pass
    errors: dict[str, int] = {}
    records = 0
    t, c = time.perf_counter(), time.process_time()
    for case in cases:
        try:
            creditrules.evaluate(load(case["as_of"]), case, backend=backend)  # type: ignore[arg-type]
            records += len(case["records"])
        except CreditRulesError as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
    cpu = time.process_time() - c
    s = time.perf_counter() - t
    ok = len(cases) - sum(errors.values())
    return {
        "subjects": len(cases),
        "decided": ok,
        "records": records,
        "seconds": s,
        "cpu_seconds": cpu,
        "subjects_per_s": len(cases) / s,
        "records_per_s": records / s if s else 0.0,
        "subjects_per_cpu_s": len(cases) / cpu,
        "records_per_cpu_s": records / cpu if cpu else 0.0,
        "errors": errors,
    }


def capture(load: Loader, cases: list[dict[str, Any]]) -> Capture:
    cap = Capture()
    with cap:
        for case in cases:
            try:
                creditrules.evaluate(load(case["as_of"]), case, backend="reference")
            except CreditRulesError:
                pass
    return cap


def measure_raw(cap: Capture, records: int, subjects: int, repeat: int) -> dict[str, Any]:
    """Replay the captured strata on each raw engine; time only the engine calls."""
    import zen

    out: dict[str, Any] = {}
    levels = {(d, lv) for d, lv, _, _ in cap.calls}

    # raw durable_rules
    raw = RawDurable()
    t = time.perf_counter()
    for d, lv in sorted(levels):
        raw.register(d, lv, cap.plans[d].at(lv))
    reg = time.perf_counter() - t
    work = [
        (d, lv, [adapter.encode_fact(f) for f in facts], want) for d, lv, facts, want in cap.calls
    ]
    agree = all(raw.run(d, lv, enc) == want for d, lv, enc, want in work)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for d, lv, enc, _ in work:
            raw.run(d, lv, enc)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    out["raw durable_rules"] = {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "register_ms": reg * 1000,
        "agrees": agree,
    }

    # zen-engine
    eng = zen.ZenEngine()
    t = time.perf_counter()
    decisions = {
        (d, lv): eng.create_decision(json.dumps(zen_jdm(cap.plans[d].at(lv)))) for d, lv in levels
    }
    reg = time.perf_counter() - t
    zwork = [
        (decisions[(d, lv)], [zen_fact(f) for f in facts], want) for d, lv, facts, want in cap.calls
    ]

    def zen_run(dec: Any, facts: list[dict[str, Any]]) -> set[tuple[str, str]]:
        got = set()
        for f in facts:
            for row in dec.evaluate(f)["result"]:
                got.add((row["rule"], f["fk_"]))
        return got

    agree = all(zen_run(dec, facts) == want for dec, facts, want in zwork)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for dec, facts, _ in zwork:
            zen_run(dec, facts)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    out["zen-engine"] = {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "register_ms": reg * 1000,
        "agrees": agree,
    }

    # plain Python
    t = time.perf_counter()
    funcs = {(d, lv): py_function(cap.plans[d].at(lv)) for d, lv in levels}
    reg = time.perf_counter() - t
    pwork = [(funcs[(d, lv)], facts, want) for d, lv, facts, want in cap.calls]
    agree = all(fn(facts) == want for fn, facts, want in pwork)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for fn, facts, _ in pwork:
            fn(facts)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    out["plain Python"] = {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "register_ms": reg * 1000,
        "agrees": agree,
    }

    # the reference interpreter on the same strata (our rules, no decision assembly)
    rwork = [(cap.plans[d].at(lv), facts, want) for d, lv, facts, want in cap.calls]
    agree = all(reference.run(rules, facts) == want for rules, facts, want in rwork)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for rules, facts, _ in rwork:
            reference.run(rules, facts)
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    out["reference interpreter (matching only)"] = {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "register_ms": 0.0,
        "agrees": agree,
    }

    for v in out.values():
        v["records_per_s"] = records / v["seconds"]
        v["subjects_per_s"] = subjects / v["seconds"]
        v["records_per_cpu_s"] = records / v["cpu_seconds"]
        v["subjects_per_cpu_s"] = subjects / v["cpu_seconds"]
        v["us_per_subject"] = v["seconds"] / subjects * 1e6
    return out


def ten_record_subject(seed: int, ruleset: str, load: Loader) -> dict[str, Any]:
    """The first generated 10-record subject that both backends decide (no rule conflict)."""
    for case in synth.subjects(seed=seed, n=200, ruleset=ruleset, n_records=10):
        try:
            rs = load(case["as_of"])
            creditrules.evaluate(rs, case, backend="both")
            return case
        except CreditRulesError:
            continue
    raise SystemExit("no generated 10-record subject could be decided")


# ------------------------------------------------------------------ report


def table(r: dict[str, Any]) -> str:
    lines = []
    m = r["machine"]
    lines.append(
        f"Run of {m['date']} UTC: Python {m['python']}, durable_rules {m['durable_rules']}, "
        f"zen-engine {m['zen_engine']}, creditrules {m['creditrules']} ({m['commit']}); "
        f"{m['cpus']} CPUs, {m['affinity']}; load average before {m['load_before']}, "
        f"after {m['load_after']}. Settings: {r['settings']}."
    )
    lines += ["", "**Load and compile**", "", "| step | ms |", "|---|---:|"]
    ld = r["load"]
    lines += [
        f"| load_ruleset {ld['ruleset']} (read, validate, hash the YAML) | {ld['load_ms']:.1f} |",
        f"| compile the plan (stratify {ld['rules']} rules into {ld['strata']} strata) | {ld['compile_ms']:.1f} |",
        f"| register its {ld['durable_rulesets']} durable_rules rulesets | {ld['durable_register_ms']:.1f} |",
    ]
    lines += [
        "",
        "**Single decision, full trace** (ms; CPU time of the process, and wall-clock time)",
        "",
        "| case | backend | CPU p50 | CPU p99 | wall p50 | wall p99 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, per in r["latency"].items():
        for b, s in per.items():
            lines.append(
                f"| {name} | {b} | {s['cpu_p50_ms']:.2f} | {s['cpu_p99_ms']:.2f} | "
                f"{s['p50_ms']:.2f} | {s['p99_ms']:.2f} |"
            )
    thr = r["throughput"]
    d_rps = thr["durable_rules"]["records_per_cpu_s"]
    lines += [
        "",
        f"**Batch throughput**: {thr['durable_rules']['subjects']} generated subjects, "
        f"{thr['durable_rules']['records']} records decided",
        "",
        "| path | records per CPU s | subjects per CPU s | records/s (wall) "
        "| ratio to creditrules durable_rules (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for b in BACKENDS:
        t = thr[b]
        lines.append(
            f"| creditrules, {b} (full decisions and traces) | {t['records_per_cpu_s']:.0f} | "
            f"{t['subjects_per_cpu_s']:.1f} | {t['records_per_s']:.0f} | "
            f"{t['records_per_cpu_s'] / d_rps:.2f}× |"
        )
    for name, v in r["raw"].items():
        lines.append(
            f"| {name}, same rules and strata{'' if v['agrees'] else ' (DISAGREES)'} | "
            f"{v['records_per_cpu_s']:.0f} | {v['subjects_per_cpu_s']:.1f} | "
            f"{v['records_per_s']:.0f} | {v['records_per_cpu_s'] / d_rps:.2f}× |"
        )
    mem = r["memory"]
    lines += [
        "",
        f"**Memory**: peak RSS {mem['peak_rss_mib']:.0f} MiB; RSS by phase (MiB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in mem["rss_by_phase"].items()),
    ]
    return "\n".join(lines)


def _git_commit() -> str:
    try:
        import subprocess

        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            ).stdout.strip()
            or "unknown"
        )
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--ruleset", default="cn.js.nantong")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--subjects", type=int, default=1000, help="generated subjects for throughput")
    p.add_argument("--latency-n", type=int, default=400, help="evaluations per latency figure")
    p.add_argument("--load-n", type=int, default=5, help="loads for the load figure")
    p.add_argument("--repeat", type=int, default=3, help="replays of the raw engines (best kept)")
    p.add_argument("--quick", action="store_true", help="small counts: a smoke test")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--table", type=Path, default=None, help="print the table of a results file")
    args = p.parse_args(argv)
    if args.table:
        print(table(json.loads(args.table.read_text(encoding="utf-8"))))
        return 0
    if args.quick:
        args.subjects, args.latency_n, args.load_n, args.repeat = 60, 30, 1, 1
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    pinned = _pin_one_core()
    rss: dict[str, float] = {}

    def mark(phase: str) -> None:
        v = _rss_mib()
        if v is not None:
            rss[phase] = v
        print(f"[bench] {phase}", file=sys.stderr)

    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    mark("start")
    load_fig = measure_load(args.ruleset, example["as_of"], args.load_n)
    mark("loaded")
    load = Loader(args.ruleset)
    ten = ten_record_subject(args.seed, args.ruleset, load)
    latency: dict[str, dict[str, Any]] = {"one-record example": {}, "10-record subject": {}}
    for b in BACKENDS:
        latency["one-record example"][b] = measure_latency(
            load(example["as_of"]), example, b, args.latency_n
        )
        latency["10-record subject"][b] = measure_latency(
            load(ten["as_of"]), ten, b, args.latency_n
        )
    mark("latency")
    cases = list(synth.subjects(seed=args.seed, n=args.subjects, ruleset=args.ruleset))
    throughput = {b: measure_throughput(load, cases, b) for b in BACKENDS}
    mark("throughput")
    cap = capture(load, cases)
    gc.collect()
    raw = measure_raw(
        cap, throughput["reference"]["records"], throughput["reference"]["decided"], args.repeat
    )
    mark("raw engines")
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "affinity": pinned,
            "durable_rules": metadata.version("durable_rules"),
            "zen_engine": metadata.version("zen-engine"),
            "creditrules": metadata.version("creditrules"),
            "commit": _git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "load_before": load_before,
            "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        },
        "settings": {k: v for k, v in vars(args).items() if k not in ("out", "table")},
        "load": load_fig,
        "ten_record_subject": {"as_of": ten["as_of"], "subject_type": ten["subject"]["type"]},
        "latency": latency,
        "throughput": throughput,
        "strata_captured": len(cap.calls),
        "raw": raw,
        "memory": {"peak_rss_mib": _maxrss_mib(), "rss_by_phase": rss},
    }
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
