"""How the analysis time grows with the number of territories and of periods.

Builds larger data sets by stacking independently seeded demo data sets (ids prefixed,
so each block keeps its own comparison territories inside one bigger pool), then times
each analysis stage the reports run, in one process, single-threaded BLAS:

* loading and validating the raw files;
* every territory's default estimate with its pre-period checks (``territory_effects``);
* the synthetic-DiD second opinion, per territory (a sample of three);
* the national cost Monte Carlo and the coverage projections;
* the pooled Callaway & Sant'Anna estimate.

    python benchmarks/bench_scaling.py            # 10, 85 and 340 habilitated territories; monthly and yearly
    python benchmarks/bench_scaling.py --quick    # 10 and 85 only

Results are printed as a Markdown table for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from tzeval import demo, load_dataset  # noqa: E402
from tzeval.coverage import territory_coverage  # noqa: E402
from tzeval.pooled import pooled_effects  # noqa: E402
from tzeval.robustness import sdid_check  # noqa: E402
from tzeval.territory_costs import national_costs  # noqa: E402
from tzeval.territory_effects import territory_effects  # noqa: E402

SIZES = {10: (1, 10, 40), 85: (1, 85, 250), 340: (4, 85, 250)}
"""Habilitated territories: (demo blocks stacked, habilitated kept per block, comparisons per block)."""


def build(n_treated: int, folder: Path, *, yearly: bool = False) -> Path:
    """Write a data folder with ``n_treated`` habilitated territories (monthly, or yearly December stocks)."""
    blocks, keep, comparisons = SIZES[n_treated]
    parts = []
    for block in range(blocks):
        data = demo.generate(seed=demo.DEFAULT_SEED + block, n_comparison=comparisons)
        treated = data.territories.loc[data.territories["treated"] == 1, "territory_id"].iloc[:keep]
        kept = set(treated) | set(data.territories.loc[data.territories["treated"] == 0, "territory_id"])
        prefix = f"b{block}-"
        tables = {}
        for name in ("territories", "outcomes", "programme"):
            table = getattr(data, name)
            table = table[table["territory_id"].isin(kept)].copy()
            table["territory_id"] = prefix + table["territory_id"]
            tables[name] = table
        parts.append(tables)
    tables = {name: pd.concat([part[name] for part in parts], ignore_index=True)
              for name in ("territories", "outcomes", "programme")}
    folder.mkdir(parents=True, exist_ok=True)
    if yearly:
        for name in ("outcomes", "programme"):
            table = tables[name]
            table = table[table["period"].str.endswith("-12")].copy()
            table["period"] = table["period"].str[:4]
            tables[name] = table
        (folder / "dataset.json").write_text('{"frequency": "yearly"}')
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    return folder


def measure(folder: Path, label: str) -> dict:
    timings = {}
    started = time.perf_counter()
    data = load_dataset(folder)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    territory_effects(data)
    timings["effects + checks, all"] = time.perf_counter() - started
    sample = data.treated_ids[:3]
    started = time.perf_counter()
    for territory_id in sample:
        sdid_check(data, territory_id)
    timings["SDID per territory"] = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    national_costs(data)
    territory_coverage(data)
    timings["costs + coverage"] = time.perf_counter() - started
    started = time.perf_counter()
    pooled_effects(data, n_boot=199)
    timings["pooled (199 boot)"] = time.perf_counter() - started
    return {"data": label, "habilitated": len(data.treated_ids), "comparison": len(data.comparison_ids),
            "periods": len(data.periods), **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only 10 and 85 habilitated territories")
    args = parser.parse_args()
    sizes = (10, 85) if args.quick else (10, 85, 340)
    rows = []
    with tempfile.TemporaryDirectory() as root:
        for n_treated in sizes:
            for yearly in (False, True):
                label = "yearly" if yearly else "monthly"
                folder = build(n_treated, Path(root) / f"{n_treated}-{label}", yearly=yearly)
                rows.append(measure(folder, label))
                print(rows[-1], file=sys.stderr)
    table = pd.DataFrame(rows)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    columns = [c for c in table.columns if c not in ("data", "habilitated", "comparison", "periods")]
    print("| data | habilitated | comparison | periods | " + " | ".join(f"{c} (s)" for c in columns) + " |")
    print("|---|---|---|---|" + "---|" * len(columns))
    for values in table.to_dict("records"):
        print(f"| {values['data']} | {values['habilitated']} | {values['comparison']} | {values['periods']} | "
              + " | ".join(f"{values[c]:.2f}" for c in columns) + " |")
    print(f"\nPeak resident memory of the measuring process: {peak_mib:.0f} MiB.")


if __name__ == "__main__":
    main()
