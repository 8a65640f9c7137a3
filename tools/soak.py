"""The soak run: generated cases of every bundled ruleset, each checked for every property
of ``tests/property/agreement.py`` (the backends agree; no contradiction or defect; never
publishable after the maximum period; never repairable before the minimum; no deadline on
a non-working day; and, on one case in ``--deep-every``, an unrelated record changes
nothing, evaluation is deterministic and independent of the order of records and keys).

    python tools/soak.py                    # 200,000 cases (make soak)
    python tools/soak.py --cases 2000       # a shorter run, e.g. to measure the rate
    python tools/soak.py --seed 7 --out soak.json

It prints progress every ``--every`` cases and a summary at the end (written as JSON to
``--out`` as well), and exits 1 if any case broke a property, naming the first case of each.
A run interrupted (Ctrl-C) still prints and writes what it saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "property")]

import agreement  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200_000, help="cases to run (default 200000)")
    ap.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    ap.add_argument(
        "--deep-every", type=int, default=10, help="compare derived cases on one in N (10)"
    )
    ap.add_argument("--every", type=int, default=1000, help="progress every N cases (1000)")
    ap.add_argument("--out", type=Path, help="write the summary as JSON here as well")
    ap.add_argument(
        "--seconds",
        type=float,
        help="stop after this many seconds, with the cases run so far (default: no limit)",
    )
    ap.add_argument(
        "--jobs", type=int, default=1, help="processes, each with its own seed (default 1)"
    )
    args = ap.parse_args(argv)
    if args.jobs > 1:
        return _parallel(args)

    tally = agreement.Tally()
    start = time.monotonic()

    def progress() -> None:
        el = time.monotonic() - start
        fails = sum(tally.failures.values())
        print(
            f"{tally.cases} cases ({tally.deep} deep) in {el:.0f} s, "
            f"{tally.cases / max(el, 1e-9):.1f}/s; failures {fails}",
            flush=True,
        )

    # Failures are counted, not raised: hypothesis never shrinks, and the run goes on.
    @seed(args.seed)
    @settings(
        max_examples=args.cases,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(agreement.cases())
    def run(arg: tuple[str, dict[str, Any]]) -> None:
        if args.seconds is not None and time.monotonic() - start > args.seconds:
            raise _TimeUp
        rid, case = arg
        deep = tally.cases % args.deep_every == 0
        tally.add(rid, case, agreement.check(rid, case, deep=deep, tally=tally))
        if tally.cases % args.every == 0:
            progress()

    interrupted = timed_out = False
    try:
        run()
    except KeyboardInterrupt:
        interrupted = True
    except _TimeUp:
        timed_out = True
    except Exception as exc:  # noqa: BLE001 - hypothesis wraps the time-up in its report
        if not any(isinstance(e, _TimeUp) for e in _chain(exc)):
            raise
        timed_out = True
    progress()
    summary = {
        "cases": tally.cases,
        "deep": tally.deep,
        "seconds": round(time.monotonic() - start),
        "seed": args.seed,
        "interrupted": interrupted,
        "timed_out": timed_out,
        "outcomes": tally.outcomes,
        "failures": tally.failures,
        "examples": {
            prop: {"ruleset": rid, "detail": detail, "case": case}
            for prop, (rid, case, detail) in tally.examples.items()
        },
    }
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "examples"}, ensure_ascii=False))
    for prop, (rid, _case, detail) in tally.examples.items():
        print(f"FAILED {prop} ({tally.failures[prop]}×), first on {rid}: {detail}")
    return 1 if tally.failures or interrupted else 0


class _TimeUp(Exception):  # noqa: N818 - not an error: the run's time limit
    """The ``--seconds`` limit has passed."""


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = [exc]
    for e in getattr(exc, "exceptions", ()):
        out += _chain(e)
    if exc.__cause__ is not None:
        out += _chain(exc.__cause__)
    return out


def _parallel(args: argparse.Namespace) -> int:
    """Run ``--jobs`` processes on seeds ``seed``, ``seed + 1``…, and add up what they saw."""
    import subprocess  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    tmp = Path(tempfile.mkdtemp(prefix="creditrules-soak-"))
    share = [args.cases // args.jobs + (i < args.cases % args.jobs) for i in range(args.jobs)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--cases",
                str(n),
                "--seed",
                str(args.seed + i),
                "--deep-every",
                str(args.deep_every),
                "--every",
                str(args.every),
                "--out",
                str(tmp / f"{i}.json"),
                *(["--seconds", str(args.seconds)] if args.seconds is not None else []),
            ]
        )
        for i, n in enumerate(share)
    ]
    try:
        for p in procs:
            p.wait()
    except KeyboardInterrupt:
        for p in procs:
            p.wait()
    total: dict[str, Any] = {"cases": 0, "deep": 0, "seconds": 0, "seeds": [], "outcomes": {}}
    total.update(interrupted=False, timed_out=False, failures={}, examples={})
    for i in range(args.jobs):
        part = tmp / f"{i}.json"
        if not part.is_file():
            total["interrupted"] = True
            continue
        got = json.loads(part.read_text(encoding="utf-8"))
        total["cases"] += got["cases"]
        total["deep"] += got["deep"]
        total["seconds"] = max(total["seconds"], got["seconds"])
        total["seeds"].append(got["seed"])
        total["interrupted"] = total["interrupted"] or got["interrupted"]
        total["timed_out"] = total["timed_out"] or got["timed_out"]
        for key in ("outcomes", "failures"):
            for k, v in got[key].items():
                total[key][k] = total[key].get(k, 0) + v
        for k, v in got["examples"].items():
            total["examples"].setdefault(k, v)
    text = json.dumps(total, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in total.items() if k != "examples"}, ensure_ascii=False))
    for prop, ex in total["examples"].items():
        print(
            f"FAILED {prop} ({total['failures'][prop]}×), first on {ex['ruleset']}: {ex['detail']}"
        )
    return 1 if total["failures"] or total["interrupted"] else 0


if __name__ == "__main__":
    sys.exit(main())
