"""Time the cost Monte Carlo on every demo territory-year at 10,000 draws.

Run with ``.venv/bin/python benchmarks/bench_costs.py [--draws N] [--repeat R]``. Prints
wall-clock and CPU time of :func:`tzeval.costs.simulate_costs` (the first, cold call
separately: it includes loading the unit-cost table and numpy/scipy warm-up), and of
the tables derived from the result.
"""

from __future__ import annotations

import argparse
import time

from tzeval import costs, demo


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    data = demo.generate()
    inputs, wall, cpu = timed(costs.cost_inputs_from_programme, data.programme, data.territories)
    print(f"inputs: {len(inputs)} territory-years, {inputs['territory_id'].nunique()} territories "
          f"({wall:.3f} s wall, {cpu:.3f} s CPU to build from the monthly programme table)")

    result, wall, cpu = timed(costs.simulate_costs, inputs, n_draws=args.draws)
    print(f"simulate_costs, first call, {args.draws:,} draws: {wall:.3f} s wall, {cpu:.3f} s CPU")
    table = costs.load_unit_costs()
    walls, cpus = [], []
    for _ in range(args.repeat):
        _, wall, cpu = timed(costs.simulate_costs, inputs, table, n_draws=args.draws)
        walls.append(wall)
        cpus.append(cpu)
    print(f"simulate_costs, {args.repeat} further calls: best {min(walls):.3f} s wall "
          f"(median {sorted(walls)[len(walls) // 2]:.3f} s), best {min(cpus):.3f} s CPU")
    for name, call in (("to_frame (with break-even)", result.to_frame), ("tornado, all", result.tornado),
                       ("waterfall, all", result.waterfall), ("summary", result.summary)):
        _, wall, cpu = timed(call)
        print(f"{name}: {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
