"""How long the report batch takes, and how it grows with the number of territories.

Builds the reports for the first k demo territories, for several k, into a temporary
folder, and prints the wall time, the time per territory report, and the time of the
estimation step alone (``territory_effects`` on all 85 territories).
Usage: ``python benchmarks/bench_reports.py [--sizes 1 5 20]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from tzeval import open_dataset, territory_effects
from tzeval.report.runner import build_reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20])
    args = parser.parse_args(argv)
    data = open_dataset()
    started = time.perf_counter()
    territory_effects(data)
    print(f"estimation, all {len(data.treated_ids)} territories: {time.perf_counter() - started:.2f} s")
    print(f"{'territories':>11} {'wall (s)':>9} {'per report (s)':>15}   ({os.cpu_count()} cores)")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            summary = build_reports(territory_ids=data.treated_ids[:size], out_dir=out, progress=False)
            wall = time.perf_counter() - started
        if summary.failed:
            print(f"failures: {[o.name for o in summary.failed]}", file=sys.stderr)
            return 1
        print(f"{size:>11} {wall:>9.1f} {wall / (size + 1):>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
