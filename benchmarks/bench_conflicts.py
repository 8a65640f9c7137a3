"""Time the conflict check of `creditrules validate` (CR316) on every bundled layering.

Prints a Markdown table: process CPU time of ``find_conflicts`` per layering (median of
``--runs``), and of ``creditrules.validate`` over the bundled folder with and without the
check. Absolute times depend on the machine and on what else runs on it.

    python benchmarks/bench_conflicts.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import creditrules
import creditrules.api as api
from creditrules.evaluate.conflicts import find_conflicts
from creditrules.loader import MANIFEST, bundled_root, load
from creditrules.validate import field_dictionary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = bundled_root()
    layered = []
    for manifest in sorted(root.rglob(MANIFEST)):
        rs, _ = load(manifest.parent, roots=[root])
        assert rs is not None
        layered += api.layerings(rs, manifest.parent, root)
    print("| layering | find_conflicts, ms CPU |\n|---|---:|")
    total = 0.0
    for rs in layered:
        own = {r.id for r in rs.rules}
        fields = field_dictionary(rs)
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            find_conflicts(rs, fields, only=own)
            times.append(time.process_time() - start)
        total += statistics.median(times)
        on = f" on {rs.parent.ref}" if rs.parent else ""
        print(f"| {rs.ref}{on} | {statistics.median(times) * 1000:.0f} |")
    print(f"| all {len(layered)} layerings | {total * 1000:.0f} |\n")

    def validate_cpu() -> float:
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            creditrules.validate(root)
            times.append(time.process_time() - start)
        return statistics.median(times)

    with_check = validate_cpu()
    real = api.check_conflicts
    api.check_conflicts = lambda *a, **k: []  # type: ignore[assignment]
    try:
        without = validate_cpu()
    finally:
        api.check_conflicts = real
    print(
        f"validate, all bundled rulesets: {with_check:.2f} s CPU with the check, {without:.2f} s without"
    )


if __name__ == "__main__":
    main()
