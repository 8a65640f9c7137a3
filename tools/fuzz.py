"""Fuzz creditrules as an attacker would: mutated case inputs through the command line and
through the Python API, mutated rulesets through validate and evaluate.

    python tools/fuzz.py cases    [--n 2000] [--seed 1] [--timeout 20]
    python tools/fuzz.py cli      [--n 2000] [--seed 1] [--timeout 20]
    python tools/fuzz.py rulesets [--n 400]  [--seed 1] [--timeout 60]

Each input runs in a worker process watched by this one, so a hang (the worker is killed
and replaced) and a crash of the process (a signal such as SIGSEGV) are counted, not
suffered. Counted per run:

* ``decided`` / ``refused`` — a Decision, or one of the library's documented errors
  (``creditrules.errors``; on the command line exit 2 with ``error:`` lines only);
* ``should_be_refused_but_decided`` — a mutation that must be refused by construction
  (wrong type, unknown key, missing required key, text that is not Unicode, a number JSON
  cannot carry; ``tests/support/mutate.py``) that got a Decision, or a mutated ruleset
  with such a defect that ``validate`` passed;
* ``undocumented_exception`` — any other exception class reaching the caller;
* ``traceback`` — a traceback on the command line's stderr, or anything on stdout with exit 2;
* ``hang`` — no answer after ``--timeout`` seconds of the worker's CPU time (wall time on a
  shared machine measures the other programs); ``stalled`` — no answer and almost no CPU
  given for ten times that (not a finding of this program, reported apart);
  ``crash`` — the worker died by a signal.

The mutations are seeded: the same ``--seed`` and ``--n`` give the same inputs. Findings
are printed one per line (kind, label, detail) and a JSON summary closes the run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.mutate import (  # noqa: E402
    YAML_ATTACKS,
    mutate_case,
    mutate_json_text,
    mutate_yaml_data,
)

EXAMPLE = ROOT / "examples" / "nantong-2026.json"
#: A ruleset small enough to validate in a second, on the national layer.
BASE_RULESET = "cn/hb/huangshi/2017"


def seed_cases() -> list[dict[str, Any]]:
    """The example and a few generated subjects (several records, lists, events)."""
    from creditrules.synth import subjects

    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return [base, *subjects(seed=7, n=5, ruleset="cn.js.nantong", n_records=3)]


# ------------------------------------------------------------------ the worker


def _classify_exc(exc: BaseException) -> tuple[str, str]:
    from creditrules.errors import CreditRulesError, InputError

    if isinstance(exc, InputError):
        return "refused_input", str(exc)[:200]
    if isinstance(exc, CreditRulesError):
        return "refused", f"{type(exc).__name__}: {str(exc)[:200]}"
    tb = traceback.format_exception(exc)
    return (
        "undocumented_exception",
        f"{type(exc).__name__}: {str(exc)[:200]} @ {tb[-2].strip()[:200] if len(tb) > 1 else ''}",
    )


def _do_api(job: dict[str, Any], state: dict[str, Any]) -> tuple[str, str]:
    import creditrules

    rs = state.get("rs")
    if rs is None:
        rs = state["rs"] = creditrules.load_ruleset("cn.js.nantong", as_of="2026-11-21")
    try:
        creditrules.evaluate(job["ref"] if job.get("by_ref") else rs, job["case"], backend="both")
    except BaseException as exc:  # noqa: BLE001 - classified, that is the point
        return _classify_exc(exc)
    return "decided", ""


def _do_cli(job: dict[str, Any], state: dict[str, Any]) -> tuple[str, str]:
    from creditrules.cli.main import main

    path = Path(state["tmp"]) / "case.json"
    path.write_bytes(job["bytes"])
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", str(path)])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001 - what would be a traceback
        return "traceback", f"{type(exc).__name__}: {str(exc)[:200]}"
    text = err.getvalue()
    if "Traceback" in text:
        return "traceback", text[-300:]
    if code == 2:
        if out.getvalue() or any(
            line and not line.startswith(("error:", "warning:")) for line in text.splitlines()
        ):
            return "traceback", f"exit 2 with other output: {text[:200]!r}"
        return "refused_input", text.splitlines()[0][:200] if text else ""
    if code in (0, 1):
        return "decided", ""
    return "traceback", f"exit {code}: {text[:200]!r}"


def _do_ruleset(job: dict[str, Any], state: dict[str, Any]) -> tuple[str, str]:
    import creditrules
    from creditrules.errors import CreditRulesError

    folder = Path(state["tmp"]) / "rs" / "2017"
    if folder.parent.exists():
        shutil.rmtree(folder.parent)
    folder.mkdir(parents=True)
    for name, body in job["files"].items():
        (folder / name).write_bytes(body)
    try:
        diags = creditrules.validate(folder)
    except BaseException as exc:  # noqa: BLE001
        kind, detail = _classify_exc(exc)
        return ("validate_" + kind if kind == "undocumented_exception" else kind), detail
    if any(d.severity == "error" for d in diags):
        return "refused", diags[0].code
    try:
        rs = creditrules.load_ruleset(folder)
        for case in job["cases"]:
            with contextlib.suppress(CreditRulesError):
                creditrules.evaluate(rs, case, backend="both")
    except CreditRulesError as exc:
        return "accepted_then_refused", f"{type(exc).__name__}: {str(exc)[:200]}"
    except BaseException as exc:  # noqa: BLE001
        kind, detail = _classify_exc(exc)
        return "evaluate_" + kind, detail
    return "decided", ""


def _worker(conn: Any) -> None:
    state: dict[str, Any] = {"tmp": tempfile.mkdtemp(prefix="crfuzz-")}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    try:
        while True:
            job = conn.recv()
            if job is None:
                return
            fn = {"api": _do_api, "cli": _do_cli, "ruleset": _do_ruleset}[job["target"]]
            conn.send(fn(job, state))
    finally:
        shutil.rmtree(state["tmp"], ignore_errors=True)


class Pool1:
    """One worker process, replaced after a hang or a crash."""

    def __init__(self) -> None:
        self.ctx = multiprocessing.get_context("spawn")
        self.proc: Any = None
        self.conn: Any = None

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        self.conn = parent

    def _cpu_s(self) -> float:
        # utime + stime of the worker (/proc/PID/stat fields 14 and 15, in clock ticks).
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self, job: dict[str, Any], timeout: float) -> tuple[str, str]:
        """A hang is ``timeout`` seconds of the worker's own CPU time without an answer:
        on a shared machine wall time says more about the other programs than about
        this one. A worker given no CPU at all for ten times the timeout is 'stalled'."""
        if self.proc is None or not self.proc.is_alive():
            self._start()
        start = self._cpu_s()
        self.conn.send(job)
        waited = 0.0
        while True:
            if self.conn.poll(1.0):
                try:
                    result: tuple[str, str] = self.conn.recv()
                    return result
                except EOFError:
                    break
            waited += 1.0
            if not self.proc.is_alive():
                break
            used = self._cpu_s() - start
            if used > timeout or waited > 10 * timeout:
                self.proc.kill()
                self.proc.join()
                self.proc = None
                if used > timeout:
                    return "hang", f"no answer after {used:.0f} s of CPU time"
                return "stalled", f"no answer in {waited:.0f} s, {used:.0f} s of CPU time"
        code = self.proc.exitcode
        self.proc = None
        return "crash", f"worker exit code {code}"

    def close(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(10)


# ------------------------------------------------------------------ the runs

BAD = {
    "undocumented_exception",
    "validate_undocumented_exception",
    "evaluate_undocumented_exception",
    "traceback",
    "hang",
    "crash",
    "should_be_refused_but_decided",
}


def _record(counts: Counter[str], findings: list[str], kind: str, label: str, detail: str) -> None:
    counts[kind] += 1
    detail = " ".join(detail.split())
    if kind in BAD:
        findings.append(f"{kind}\t{label}\t{detail}")
        print(f"{kind}\t{label}\t{detail}", flush=True)


def run_cases(args: argparse.Namespace, target: str) -> dict[str, Any]:
    sys.setrecursionlimit(20_000)  # to hand deeply nested inputs to the worker (pickle)
    rng = random.Random(args.seed)
    seeds = seed_cases()
    pool = Pool1()
    counts: Counter[str] = Counter()
    findings: list[str] = []
    t0 = time.perf_counter()
    for i in range(args.n):
        base = rng.choice(seeds)
        if target == "cli":
            body, label, must = mutate_json_text(rng, base)
            job: dict[str, Any] = {"target": "cli", "bytes": body}
        else:
            m = mutate_case(rng, base)
            label, must = m.label, m.must_refuse
            job = {"target": "api", "case": m.data}
        kind, detail = pool.run(job, args.timeout)
        if kind == "decided" and must:
            kind, detail = "should_be_refused_but_decided", ""
        _record(counts, findings, kind, f"#{i} {label}", detail)
        if (i + 1) % 200 == 0:
            print(f"# {i + 1}/{args.n} {dict(counts)}", file=sys.stderr, flush=True)
    pool.close()
    return _summary(target, args, counts, t0)


def run_rulesets(args: argparse.Namespace) -> dict[str, Any]:
    import yaml

    from creditrules.loader import bundled_root

    rng = random.Random(args.seed)
    src = bundled_root() / BASE_RULESET
    files = {p.name: p.read_bytes() for p in sorted(src.glob("*.yaml"))}
    datas = {n: yaml.safe_load(b) for n, b in files.items()}
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    cases = [
        base,
        dict(
            base,
            as_of="2019-06-01",
            events=[],
            records=[
                dict(
                    base["records"][0],
                    list=None,
                    determined_on="2019-01-01",
                    published_on="2019-01-02",
                    basis=dict(base["records"][0]["basis"], issued_on="2019-01-01"),
                )
            ],
        ),
    ]
    pool = Pool1()
    counts: Counter[str] = Counter()
    findings: list[str] = []
    t0 = time.perf_counter()
    for i in range(args.n):
        mutated = dict(files)
        name = rng.choice(sorted(files))
        if rng.random() < 0.3:
            label, body, must = rng.choice(YAML_ATTACKS)
            text = files[name].decode()
            at = rng.choice([0, len(text)])
            mutated[name] = (text[:at] + body + text[at:]).encode("utf-8", "surrogatepass")
        else:
            data, label, must = mutate_yaml_data(rng, datas[name])
            mutated[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
        label = f"{name}: {label}"
        kind, detail = pool.run(
            {"target": "ruleset", "files": mutated, "cases": cases}, args.timeout
        )
        if kind in ("decided", "accepted_then_refused") and must:
            kind, detail = "should_be_refused_but_decided", detail
        _record(counts, findings, kind, f"#{i} {label}", detail)
        if (i + 1) % 50 == 0:
            print(f"# {i + 1}/{args.n} {dict(counts)}", file=sys.stderr, flush=True)
    pool.close()
    return _summary("rulesets", args, counts, t0)


def _summary(
    target: str, args: argparse.Namespace, counts: Counter[str], t0: float
) -> dict[str, Any]:
    bad = {k: counts.get(k, 0) for k in sorted(BAD)}
    return {
        "target": target,
        "n": args.n,
        "seed": args.seed,
        "timeout_s": args.timeout,
        "outcomes": dict(sorted(counts.items())),
        "bad": bad,
        "bad_total": sum(bad.values()),
        "s": round(time.perf_counter() - t0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("target", choices=("cases", "cli", "rulesets"))
    p.add_argument("--n", type=int, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=None)
    args = p.parse_args(argv)
    if args.n is None:
        args.n = 400 if args.target == "rulesets" else 2000
    if args.timeout is None:
        args.timeout = 60.0 if args.target == "rulesets" else 20.0
    if args.target == "rulesets":
        summary = run_rulesets(args)
    else:
        summary = run_cases(args, "api" if args.target == "cases" else "cli")
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if summary["bad_total"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
