"""Calibration of the per-territory interval on data shaped like the published series.

The off-demo model (``offdemo_model.py``) draws monthly counts. Here each replication is
turned into what an evaluator actually downloads, then estimated through the library's
own path (:func:`tzeval.territory_effect`, which applies the suppression rules of
:func:`tzeval.territory_effects.estimation_sample`):

* **yearly**: the stock at 31 December, 2012 to 2024 (13 periods), first treated year the
  one holding the habilitation month;
* **quarterly averages**: the mean of the quarter's three months (DARES's quarterly series);
* counts **rounded** to 10, as published;
* **suppressed** cells: rounded counts under 20 hidden, as statistical secrecy does, so
  comparison territories leave the pool and treated territories lose periods.

Every design has no programme effect except the power rows, so every interval should
contain zero. Results go into ``CALIBRATION.md`` between ``<!-- published:start -->`` and
``<!-- published:end -->``.

    python benchmarks/calibration_published_shapes.py             # 100 replications x 10 territories per design
    python benchmarks/calibration_published_shapes.py --reps 10 --no-write
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

import offdemo_model  # noqa: E402

from tzeval import territory_effect  # noqa: E402
from tzeval.dataset import OUTCOME_RATE, Dataset  # noqa: E402
from tzeval.periods import containing_period  # noqa: E402
from tzeval.territory_checks import territory_checks  # noqa: E402
from tzeval.territory_effects import estimation_sample  # noqa: E402

CALIBRATION = Path(__file__).resolve().parent / "CALIBRATION.md"
START, END = "<!-- published:start -->", "<!-- published:end -->"


@dataclass(frozen=True)
class Shape:
    """How a monthly panel of counts is published."""

    name: str
    frequency: str = "yearly"
    rounding: int = 10
    suppress_under: int = 0


SHAPES = (
    Shape("yearly, rounded to 10"),
    Shape("yearly, rounded to 10, under 20 suppressed", suppress_under=20),
    Shape("quarterly averages, rounded to 10", frequency="quarterly"),
)
BASES = (
    offdemo_model.Design("off-demo baseline"),
    offdemo_model.Design("drift 0.03 point a year", drift_per_year=0.03),
    offdemo_model.Design("small territory (1,000 aged 15-64)", treated_population=1_000.0),
    offdemo_model.Design("power: effect -0.4 point", effect=-0.4),
)


def publish(panel: pd.DataFrame, adoption: dict, shape: Shape) -> Dataset:
    """The monthly rates of one replication as an in-memory data set of the published shape."""
    population = pd.Series(panel.attrs["population"])
    counts = panel * population / 100.0
    if shape.frequency == "yearly":
        published = counts[counts.index.month == 12]
    else:
        published = counts.groupby(containing_period(pd.Series(counts.index, index=counts.index),
                                                     "quarterly")).mean()
    published.index = containing_period(pd.Series(published.index, index=published.index), shape.frequency)
    rounded = np.round(published / shape.rounding) * shape.rounding
    if shape.suppress_under:
        rounded = rounded.where(rounded >= shape.suppress_under)
    rates = rounded / population * 100.0
    outcomes = rates.rename_axis(index="period", columns="territory_id").stack()
    outcomes = outcomes.rename(OUTCOME_RATE).reset_index()
    territories = pd.DataFrame({"treated": [unit in adoption for unit in panel.columns]}, index=panel.columns)
    territories.index.name = "territory_id"
    territories["adoption_date"] = pd.Series(adoption).reindex(territories.index)
    territories["first_period"] = containing_period(territories["adoption_date"], shape.frequency)
    return Dataset(Path("."), territories, outcomes, pd.DataFrame(), None,
                   {"frequency": shape.frequency, "rounding": shape.rounding})


def simulate(base: offdemo_model.Design, shape: Shape, n_reps: int, seed: int) -> pd.DataFrame:
    """One row per habilitated territory and replication."""
    rng = np.random.default_rng(seed)
    rows = []
    for rep in range(n_reps):
        panel, _, treated_ids, adoption = offdemo_model.draw_panel(base, rng)
        data = publish(panel, adoption, shape)
        for unit in treated_ids:
            sample = estimation_sample(data, unit)
            result = territory_effect(data, unit)
            checks = territory_checks(result)
            rows.append({"design": f"{base.name} | {shape.name}", "rep": rep, "unit": unit, "truth": base.effect,
                         "estimate": result.estimate, "conf_low": result.conf_low, "conf_high": result.conf_high,
                         "p_value": result.p_value, "robust_conf_low": checks.robust_conf_low,
                         "robust_conf_high": checks.robust_conf_high, "warnings": ";".join(checks.warnings),
                         "verdict": checks.verdict, "n_controls": len(sample.controls),
                         "n_dropped": len(sample.dropped_periods)})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame, results: pd.DataFrame, reps: int, seconds: float) -> str:
    def cell(row, measure):
        return f"{row[measure]:.3f} ({row[f'{measure} s.e.']:.3f})"

    measures = ["coverage", "rejections of zero", "reported significant (verdict)", "trend-robust coverage"]
    extra = results.groupby("design", sort=False).agg(controls=("n_controls", "mean"),
                                                      dropped=("n_dropped", "mean"))
    lines = [
        f"Per row, {reps} replications x 10 habilitated territories against 250 comparisons of the off-demo "
        "model, published as the row says, estimated through `tzeval.territory_effect`. No programme effect "
        "(the truth is zero) except in the power rows (-0.4 point, where rejecting zero is power). Cells: share "
        "(Monte Carlo standard error). *Comparisons kept*: mean size of the comparison pool after suppressed "
        f"territories leave it; *periods dropped*: mean suppressed periods of the territory. Measured in "
        f"{seconds:.0f} s.",
        "",
        "| design | published as | n | " + " | ".join(measures) + " | comparisons kept | periods dropped |",
        "|---|---|---|" + "---|" * (len(measures) + 2),
    ]
    for design, row in table.iterrows():
        base, shape = design.split(" | ")
        lines.append(f"| {base} | {shape} | {int(row['n'])} | " + " | ".join(cell(row, m) for m in measures)
                     + f" | {extra.loc[design, 'controls']:.0f} | {extra.loc[design, 'dropped']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=100, help="replications per row (10 territories each)")
    parser.add_argument("--no-write", action="store_true", help="print the table without editing CALIBRATION.md")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [(base, shape) for base in BASES for shape in SHAPES]
    parts = [simulate(base, shape, args.reps, seed=7000 + 97 * i)
             for i, (base, shape) in enumerate(tqdm(rows, desc="published shapes"))]
    results = pd.concat(parts, ignore_index=True)
    table = offdemo_model.summarise(results).set_index("design")
    text = markdown(table, results, args.reps, time.perf_counter() - started)
    print(text)
    if args.no_write:
        return
    document = CALIBRATION.read_text(encoding="utf-8")
    if START in document:
        before, rest = document.split(START, 1)
        document = f"{before}{START}\n{text}\n{END}{rest.split(END, 1)[1]}"
    else:
        document += ("\n## Results: per-territory interval on published shapes (yearly, quarterly, rounded, "
                     f"suppressed)\n\n{START}\n{text}\n{END}\n")
    CALIBRATION.write_text(document, encoding="utf-8")


if __name__ == "__main__":
    main()
