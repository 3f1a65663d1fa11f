"""Calibration of the per-territory intervals by simulation, on the demo generator's model.

For each seed the demo model is drawn twice: with its heterogeneous effects and with no
effect at all. The script reports the coverage of the nominal 95% permutation intervals
(share containing each territory's true effect) and the rejection rate at 5% when the true
effect is zero. Usage: ``python benchmarks/calibration.py [--seeds N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from tzeval import demo, load_dataset, territory_effects


def one_dataset(seed: int, effect_scale: float, folder: Path) -> pd.DataFrame:
    data = load_dataset(demo.write(demo.generate(seed=seed, effect_scale=effect_scale), folder))
    effects = territory_effects(data, alpha=0.05).merge(data.truth, on="territory_id")
    effects["covered"] = (effects["conf_low"] <= effects["true_effect"]) & (effects["true_effect"] <= effects["conf_high"])
    effects["rejected"] = effects["p_value"] < 0.05
    effects["seed"], effects["effect_scale"] = seed, effect_scale
    return effects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=100, help="number of simulated data sets per scenario")
    parser.add_argument("--first-seed", type=int, default=1000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in tqdm(range(args.first_seed, args.first_seed + args.seeds), desc="datasets"):
            for scale in (1.0, 0.0):
                frames.append(one_dataset(seed, scale, Path(tmp) / f"{seed}-{scale}"))
    results = pd.concat(frames, ignore_index=True)
    by_dataset = results.groupby(["effect_scale", "seed"])[["covered", "rejected"]].mean()
    rows = []
    for scale, label in ((1.0, "heterogeneous effects"), (0.0, "no effect")):
        part = by_dataset.loc[scale]
        rows.append({
            "scenario": label,
            "intervals": int((results["effect_scale"] == scale).sum()),
            "coverage_95": part["covered"].mean(),
            "coverage_se": part["covered"].std(ddof=1) / np.sqrt(len(part)),
            "rejection_5pct": part["rejected"].mean(),
            "rejection_se": part["rejected"].std(ddof=1) / np.sqrt(len(part)),
        })
    table = pd.DataFrame(rows)
    print(table.to_markdown(index=False, floatfmt=".3f") if _has_tabulate() else table.to_string(index=False))
    print(f"\n{args.seeds} data sets per scenario, 85 territories each, {time.perf_counter() - started:.0f} s")
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
