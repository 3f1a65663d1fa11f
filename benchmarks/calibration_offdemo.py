"""Calibration of the per-territory interval, checks and verdict on models that are not the demo's.

Runs every design of ``offdemo_model.py`` (1,200 habilitated territories each by default,
no programme effect) and the demo generator with its effects set to zero (false warnings
where every assumption holds), then writes the tables into ``CALIBRATION.md`` between
the markers ``<!-- offdemo:start -->`` and ``<!-- offdemo:end -->``.

    python benchmarks/calibration_offdemo.py              # 120 replications x 10 territories per design
    python benchmarks/calibration_offdemo.py --reps 20    # quick look, prints only
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

import offdemo_model  # noqa: E402

from tzeval import demo, load_dataset, territory_effect  # noqa: E402
from tzeval.territory_checks import territory_checks  # noqa: E402

CALIBRATION = Path(__file__).resolve().parent / "CALIBRATION.md"
SDID_DESIGNS = ("off-demo baseline", "drift 0.03 point a year", "habilitated 1.5 times noisier",
                "small territory (1,000 aged 15-64)")
"""Designs where the synthetic DiD second opinion is also run (about 2 s a territory)."""
START, END = "<!-- offdemo:start -->", "<!-- offdemo:end -->"


def demo_null(n_datasets: int, seed: int = 500) -> pd.DataFrame:
    """The demo generator with no effect: every assumption holds, so every warning is a false alarm."""
    rows = []
    for k in tqdm(range(n_datasets), desc="demo model, no effect"):
        generated = demo.generate(seed=seed + k, effect_scale=0.0)
        with tempfile.TemporaryDirectory() as folder:
            data = load_dataset(demo.write(generated, Path(folder)))
            for territory_id in data.treated_ids:
                result = territory_effect(data, territory_id)
                checks = territory_checks(result)
                rows.append({"design": "demo model, no effect", "rep": k, "unit": territory_id, "truth": 0.0,
                             "estimate": result.estimate, "conf_low": result.conf_low,
                             "conf_high": result.conf_high, "p_value": result.p_value,
                             "robust_conf_low": checks.robust_conf_low, "robust_conf_high": checks.robust_conf_high,
                             "pretrend_p_value": checks.pretrend_p_value,
                             "placebo_in_time_p_value": checks.placebo_in_time_p_value,
                             "warnings": ";".join(checks.warnings), "verdict": checks.verdict})
    return pd.DataFrame(rows)


def warning_shares(results: pd.DataFrame) -> pd.DataFrame:
    codes = results.assign(code=results["warnings"].str.split(";")).explode("code")
    codes = codes[codes["code"] != ""]
    counts = codes.groupby(["design", "code"], sort=False).size().unstack(fill_value=0)
    totals = results.groupby("design", sort=False).size()
    return counts.div(totals, axis=0).reindex(totals.index).fillna(0.0)


def markdown(table: pd.DataFrame, shares: pd.DataFrame, reps: int, demo_sets: int, seconds: float) -> str:
    def cell(row, measure):
        return f"{row[measure]:.3f} ({row[f'{measure} s.e.']:.3f})"

    measures = ["coverage", "rejections of zero", "reported significant (verdict)", "significant with no warning",
                "any warning", "trend-robust coverage"]
    lines = [
        f"Per design, {reps} replications x 10 habilitated territories against 250 comparisons, no programme "
        "effect (the truth is zero) except in the power row (-0.4 point, where rejecting zero is power); the "
        f"demo model row pools {demo_sets} demo data sets drawn with no effect. "
        "Cells: share (Monte Carlo standard error). *Coverage* is the default permutation interval's, the one "
        "the report leads with; *reported significant* counts the verdict `significant`, the only case the "
        "findings call a clear fall or rise; *significant with no warning* counts p < 0.05 with an empty "
        f"warnings column. Measured in {seconds:.0f} s.",
        "",
        "| design | n | " + " | ".join(measures) + " |",
        "|---|---|" + "---|" * len(measures),
    ]
    for design, row in table.iterrows():
        lines.append(f"| {design} | {int(row['n'])} | " + " | ".join(cell(row, m) for m in measures) + " |")
    sdid = table[table["n SDID"] > 0]
    if len(sdid):
        sdid_measures = ["SDID plain placebo coverage", "SDID studentised coverage", "SDID shown",
                         "SDID studentised coverage, shown"]
        lines += ["", "The synthetic DiD second opinion (50 placebos), on the first habilitated territory of each "
                  "replication. *Plain placebo*: R synthdid's placebo standard error. *Studentised*: each placebo "
                  "effect rescaled from its donor's pre-period noise to the territory's "
                  "(`se_method=\"placebo_studentised\"`), the interval the report prints. *Shown*: the report prints "
                  "it only when the territory's noise lies within the comparison territories' range.", "",
                  "| design | n | " + " | ".join(sdid_measures) + " |", "|---|---|" + "---|" * len(sdid_measures)]
        for design, row in sdid.iterrows():
            lines.append(f"| {design} | {int(row['n SDID'])} | " + " | ".join(cell(row, m) for m in sdid_measures)
                         + " |")
    lines += ["", "Share of territories carrying each warning code:", "",
              "| design | " + " | ".join(shares.columns) + " |", "|---|" + "---|" * len(shares.columns)]
    for design, row in shares.iterrows():
        lines.append(f"| {design} | " + " | ".join(f"{value:.3f}" for value in row) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=120, help="replications per design (10 territories each)")
    parser.add_argument("--demo-sets", type=int, default=12, help="demo data sets drawn with no effect")
    parser.add_argument("--sdid-reps", type=int, default=60,
                        help="replications whose first territory also gets the synthetic DiD (4 designs)")
    parser.add_argument("--no-write", action="store_true", help="print the tables without editing CALIBRATION.md")
    args = parser.parse_args()
    started = time.perf_counter()
    parts = [offdemo_model.simulate(design, args.reps, seed=1000 * (i + 1),
                                    sdid_reps=args.sdid_reps if design.name in SDID_DESIGNS else 0)
             for i, design in enumerate(tqdm(offdemo_model.DESIGNS, desc="off-demo designs"))]
    parts.append(demo_null(args.demo_sets))
    results = pd.concat(parts, ignore_index=True)
    table = offdemo_model.summarise(results).set_index("design")
    shares = warning_shares(results)
    text = markdown(table, shares, args.reps, args.demo_sets, time.perf_counter() - started)
    print(text)
    if args.no_write:
        return
    document = CALIBRATION.read_text(encoding="utf-8")
    if START in document:
        before, rest = document.split(START, 1)
        after = rest.split(END, 1)[1]
        document = f"{before}{START}\n{text}\n{END}{after}"
    else:
        document += f"\n## Results: per-territory interval off the demo model\n\n{START}\n{text}\n{END}\n"
    CALIBRATION.write_text(document, encoding="utf-8")


if __name__ == "__main__":
    main()
