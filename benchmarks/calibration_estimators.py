"""Calibration by simulation of the pooled ATT and of the SDID and SC per-territory intervals.

Every seed of the demo generator is drawn twice, with its heterogeneous effects
(``effect_scale=1``) and with no effect (``effect_scale=0``). The random draws do not depend
on ``effect_scale``, so the two data sets share every noise term and their outcomes differ
only by the programme effect. That gives exact truths:

* **pooled (Callaway & Sant'Anna on the yearly panel).** ``D_it`` is the difference of the
  yearly mean rates of the two data sets. For each group-time cell ``(g, t)`` estimated by
  :func:`tzeval.pooled_effects`, the *effect* truth is the cohort mean of ``D_it`` and the
  *estimand* truth is the cohort mean of ``D_it - D_i,b`` with ``b`` the cell's base year
  (``g - 1`` after treatment, ``t - 1`` before, the varying base period). The two differ
  because a territory habilitated in July-December of ``g - 1`` belongs to cohort ``g``
  and already has a small effect in its base year. The aggregations are weighted exactly
  as :mod:`tzeval.staggered.aggregate` does: ``simple`` averages the post-treatment cells
  with weights proportional to the cohort size, ``group`` averages each cohort's
  post-treatment cells equally, ``dynamic`` averages the cells of one event time with
  cohort-size weights. The estimator is linear in the outcome, so the estimate on the
  effect data minus the estimate on the no-effect data equals the estimand truth to
  rounding (checked and reported as ``equivariance gap``).
* **per territory (SDID and SC on the monthly rate).** ``data.truth``: the mean over the
  post-adoption months of the effect on the monthly rate, exactly what both estimators
  target when run on the monthly panel (treated territory plus the never-treated
  comparison territories, treatment from the adoption month), so no time aggregation is
  needed. SDID uses placebo standard errors; SC uses the conformal interval for the average
  effect (outcome-only weights, no placebo-in-space run).

Usage::

    python benchmarks/calibration_estimators.py --seeds 100 --territory-seeds 40

Raw rows can be kept with ``--out FOLDER``; ``--max-minutes`` stops cleanly (the report
then says how many data sets were actually used).
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

import tzeval
from tzeval import demo, load_dataset, yearly_panel
from tzeval.pooled import rate_noise_variance
from tzeval.dataset import OUTCOME_RATE


# --------------------------------------------------------------------------------------
# Data and truths
# --------------------------------------------------------------------------------------


def simulate_pair(seed: int, folder: Path, n_comparison: int = 250):
    """The data sets of ``seed`` with effects (scale 1) and without (scale 0), same noise."""
    folder = Path(folder)
    with_effect = load_dataset(demo.write(demo.generate(seed=seed, n_comparison=n_comparison), folder / "effect"))
    without = load_dataset(demo.write(
        demo.generate(seed=seed, n_comparison=n_comparison, effect_scale=0.0), folder / "null"))
    return with_effect, without


def yearly_effect(with_effect, without) -> pd.DataFrame:
    """``D``: yearly mean rate with effects minus without, indexed by ``unit`` x ``year``."""
    y1 = yearly_panel(with_effect).set_index(["unit", "year"])
    y0 = yearly_panel(without).set_index(["unit", "year"])
    if not (y1["cohort"] == y0["cohort"]).all():
        raise AssertionError("the two data sets do not share their design")
    return (y1[OUTCOME_RATE] - y0[OUTCOME_RATE]).unstack("year")


def pooled_truth(result, effect: pd.DataFrame) -> dict:
    """Exact truths of the simple, group and dynamic aggregations of ``result``.

    Parameters
    ----------
    result : GroupTimeATT
        ``tzeval.pooled_effects`` on either data set of the pair (only its design is used:
        cells, base years, cohorts of the units).
    effect : DataFrame
        :func:`yearly_effect` of the pair (all zeros gives the truth of a null data set).
    """
    cohorts = np.asarray(result.unit_cohorts, dtype=float)
    units = np.asarray(result.unit_ids)
    d = effect.reindex(units)
    groups, times, bases = (np.asarray(a, dtype=float) for a in (result.groups, result.times, result.base_times))
    post = np.asarray(result.post, dtype=bool)
    cell_effect, cell_estimand, size = [], [], []
    for g, t, b in zip(groups, times, bases):
        members = cohorts == g
        at_t = d.loc[members, int(t)].to_numpy()
        at_b = d.loc[members, int(b)].to_numpy()
        cell_effect.append(at_t.mean())
        cell_estimand.append((at_t - at_b).mean())
        size.append(members.sum())
    cells = pd.DataFrame({"group": groups, "time": times, "event_time": times - groups, "post": post,
                          "effect": cell_effect, "estimand": cell_estimand, "size": size})

    def weighted(frame):
        return pd.Series({k: np.average(frame[k], weights=frame["size"]) for k in ("effect", "estimand")})

    simple = weighted(cells[cells["post"]])
    group = cells[cells["post"]].groupby("group")[["effect", "estimand"]].mean()
    dynamic = cells.groupby("event_time")[["effect", "estimand", "size"]].apply(weighted)
    return {"simple_effect": float(simple["effect"]), "simple_estimand": float(simple["estimand"]),
            "group": group, "dynamic": dynamic, "cells": cells}


# --------------------------------------------------------------------------------------
# One data set
# --------------------------------------------------------------------------------------


def pooled_rows(seed: int, result, truth: dict, scale: float) -> tuple[dict, float]:
    """Coverage and rejection of the pooled aggregations of ``result`` on one data set."""
    simple = result.aggregate("simple").overall
    group = result.aggregate("group").to_frame().set_index("group")
    dynamic = result.aggregate("dynamic")
    band = dynamic.to_frame("simultaneous").set_index("event_time")
    pointwise = dynamic.to_frame("pointwise").set_index("event_time")

    def inside(low, high, value):
        return (np.asarray(low) <= np.asarray(value)) & (np.asarray(value) <= np.asarray(high))

    g_truth = truth["group"].reindex(group.index.astype(float))
    e_truth = truth["dynamic"].reindex(band.index.astype(float))
    post_e = band.index.to_numpy() >= 0
    band_in = inside(band["conf_low"], band["conf_high"], e_truth["estimand"])
    row = {
        "seed": seed, "effect_scale": scale, "estimand": result.estimand,
        "pretest_rejects": result.pretest.p_value < 0.05,
        "simple_estimate": simple.estimate, "simple_se": simple.std_error,
        "simple_truth_effect": truth["simple_effect"], "simple_truth_estimand": truth["simple_estimand"],
        "simple_covers_estimand": bool(inside(simple.conf_low, simple.conf_high, truth["simple_estimand"])),
        "simple_covers_effect": bool(inside(simple.conf_low, simple.conf_high, truth["simple_effect"])),
        "simple_rejects": simple.p_value < 0.05,
        "group_coverage_estimand": inside(group["conf_low"], group["conf_high"], g_truth["estimand"]).mean(),
        "group_coverage_effect": inside(group["conf_low"], group["conf_high"], g_truth["effect"]).mean(),
        "group_rejection": (group["p_value"] < 0.05).mean(),
        "dynamic_pointwise_coverage": inside(pointwise["conf_low"], pointwise["conf_high"],
                                             e_truth["estimand"]).mean(),
        "band_covers_curve": bool(band_in.all()),
        "band_covers_post_curve": bool(band_in[post_e].all()),
        "band_covers_post_effect": bool(inside(band["conf_low"], band["conf_high"], e_truth["effect"])[post_e].all()),
    }
    return row, simple.estimate


def monthly_long(data, territory_id: str) -> pd.DataFrame:
    """The treated territory and the comparison territories, monthly rate, long format."""
    wide = data.wide(OUTCOME_RATE)[[territory_id, *data.comparison_ids]]
    long = wide.stack().rename("y").reset_index()
    long.columns = ["period", "unit", "y"]
    adoption = data.territories.at[territory_id, "adoption_date"]
    long["treated"] = ((long["unit"] == territory_id) & (long["period"] >= adoption)).astype(int)
    return long


def territory_rows(seed: int, data, territory_ids, scale: float, n_reps: int, sc_grid: int = 21) -> list[dict]:
    """SDID (placebo SE) and SC (conformal average-effect interval) for each territory."""
    truth = data.truth.set_index("territory_id")["true_effect"]
    rows = []
    for tid in territory_ids:
        long = monthly_long(data, tid)
        adoption = data.territories.at[tid, "adoption_date"]
        true_effect = float(truth[tid])
        fits = {}
        sdid = tzeval.synthetic_did(long, "unit", "period", "y", "treated", n_reps=n_reps, seed=seed)
        fits["sdid"] = (sdid.estimate, sdid.conf_low, sdid.conf_high, sdid.p_value)
        sc = tzeval.synthetic_control(long, "unit", "period", "y", tid, adoption, placebo=False, seed=seed,
                                     conformal_grid_size=sc_grid)
        average = sc.to_frame().query("term == 'average'").iloc[0]
        fits["sc"] = (average["estimate"], average["conf_low"], average["conf_high"], average["p_value"])
        for method, (estimate, low, high, p) in fits.items():
            rows.append({
                "seed": seed, "effect_scale": scale, "method": method, "territory_id": tid,
                "pioneer": adoption.year < 2020, "true_effect": true_effect, "estimate": estimate,
                "conf_low": low, "conf_high": high, "p_value": p,
                "covered": bool(low <= true_effect <= high), "rejected": bool(p < 0.05),
                "width": high - low,
            })
    return rows


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------


def mean_and_se(per_dataset: pd.Series) -> tuple[float, float]:
    """Mean across data sets and its standard error (data sets are independent)."""
    values = per_dataset.astype(float).dropna()
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return float(values.mean()), float(se)


def pooled_table(pooled: pd.DataFrame) -> pd.DataFrame:
    measures = [
        ("simple ATT, 95% pointwise, vs estimand truth", "simple_covers_estimand", 1.0),
        ("simple ATT, 95% pointwise, vs effect truth", "simple_covers_effect", 1.0),
        ("cohort ATTs, 95% pointwise (share of cohorts), vs estimand", "group_coverage_estimand", 1.0),
        ("cohort ATTs, 95% pointwise (share of cohorts), vs effect", "group_coverage_effect", 1.0),
        ("event-time ATTs, 95% pointwise (share of event times)", "dynamic_pointwise_coverage", 1.0),
        ("event study, 95% simultaneous band covers the whole curve", "band_covers_curve", 1.0),
        ("event study, band covers the post-treatment curve", "band_covers_post_curve", 1.0),
        ("event study, band covers post-treatment effect truth", "band_covers_post_effect", 1.0),
        ("simple ATT rejects at 5% (power)", "simple_rejects", 1.0),
        ("simple ATT, coverage under no effect", "simple_covers_estimand", 0.0),
        ("cohort ATTs, coverage under no effect", "group_coverage_estimand", 0.0),
        ("event study band covers the zero curve", "band_covers_curve", 0.0),
        ("simple ATT rejects at 5% under no effect (size)", "simple_rejects", 0.0),
        ("cohort ATTs reject at 5% under no effect (share)", "group_rejection", 0.0),
        ("Wald pre-test rejects at 5% (parallel trends hold)", "pretest_rejects", 0.0),
    ]
    rows = []
    for label, column, scale in measures:
        row = {"measure": label, "scenario": "effects" if scale else "no effect"}
        for estimand in ("sample", "population"):
            chosen = (pooled["effect_scale"] == scale) & (pooled["estimand"] == estimand)
            mean, se = mean_and_se(pooled.loc[chosen, column])
            row[f"{estimand}_value"], row[f"{estimand}_se"] = mean, se
        row["data_sets"] = int(((pooled["effect_scale"] == scale) & (pooled["estimand"] == "sample")).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def territory_table(territory: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for method in ("sdid", "sc"):
        for scale, label in ((1.0, "effects"), (0.0, "no effect")):
            part = territory[(territory["method"] == method) & (territory["effect_scale"] == scale)]
            by_dataset = part.groupby("seed")[["covered", "rejected"]].mean()
            coverage, coverage_se = mean_and_se(by_dataset["covered"])
            rejection, rejection_se = mean_and_se(by_dataset["rejected"])
            error = part["estimate"] - part["true_effect"]
            rows.append({
                "method": method, "scenario": label, "data_sets": len(by_dataset), "intervals": len(part),
                "coverage_95": coverage, "coverage_se": coverage_se,
                "rejection_5pct": rejection, "rejection_se": rejection_se,
                "mean_abs_error": float(error.abs().mean()), "mean_error": float(error.mean()),
                "median_width": float(part["width"].median()),
            })
    return pd.DataFrame(rows)


def _markdown(frame: pd.DataFrame) -> str:
    try:
        return frame.to_markdown(index=False, floatfmt=".3f")
    except ImportError:
        return frame.to_string(index=False)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def run(seeds, territory_seeds, n_territories, n_boot, n_reps, deadline=None, progress=True, sc_grid=21):
    """Simulate; returns (pooled rows, territory rows, equivariance gaps).

    The cheap pooled analysis runs first on every seed; SDID and SC then run on
    ``territory_seeds`` until ``deadline`` (``time.monotonic()`` value) if any.
    """
    pooled, territory, gaps = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in tqdm(seeds, desc="pooled", disable=not progress):
            if deadline is not None and time.monotonic() > deadline:
                break
            with_effect, without = simulate_pair(seed, Path(tmp) / str(seed))
            effect = yearly_effect(with_effect, without)
            estimates = {}
            for scale, data in ((1.0, with_effect), (0.0, without)):
                population = tzeval.pooled_effects(data, n_boot=n_boot, seed=seed, estimand="population")
                truth = pooled_truth(population, effect if scale else effect * 0.0)
                # The sample-ATT intervals with dispersion="assume_equal": pooled_effects(data) before the
                # adaptive bound became its default (see the off-demo pooled section of CALIBRATION.md).
                sample = population.with_sample_inference(
                    noise_variance=rate_noise_variance(data, yearly_panel(data)))
                for result in (sample, population):
                    row, estimates[scale] = pooled_rows(seed, result, truth, scale)
                    pooled.append(row)
            gaps.append(abs(estimates[1.0] - estimates[0.0] - pooled[-4]["simple_truth_estimand"]))
        for seed in tqdm(territory_seeds, desc="territories", disable=not progress):
            if deadline is not None and time.monotonic() > deadline:
                break
            with_effect, without = simulate_pair(seed, Path(tmp) / str(seed))
            rng = np.random.default_rng(seed)
            ids = sorted(rng.choice(with_effect.treated_ids, size=n_territories, replace=False))
            for scale, data in ((1.0, with_effect), (0.0, without)):
                territory += territory_rows(seed, data, ids, scale, n_reps, sc_grid)
    return pd.DataFrame(pooled), pd.DataFrame(territory), np.array(gaps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=100, help="simulated data sets (pooled analysis)")
    parser.add_argument("--territory-seeds", type=int, default=None,
                        help="how many of those data sets also run SDID and SC (default: all)")
    parser.add_argument("--territories", type=int, default=5, help="treated territories sampled per data set")
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--n-boot", type=int, default=999, help="multiplier bootstrap draws (pooled)")
    parser.add_argument("--n-reps", type=int, default=50, help="SDID placebo replications")
    parser.add_argument("--sc-grid", type=int, default=21, help="first-scan grid of the SC conformal inversion")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop starting new data sets after this")
    parser.add_argument("--out", type=Path, default=None, help="folder for the raw rows (CSV)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    n_territory_seeds = args.seeds if args.territory_seeds is None else args.territory_seeds
    deadline = None if args.max_minutes is None else time.monotonic() + 60 * args.max_minutes
    pooled, territory, gaps = run(seeds, seeds[:n_territory_seeds], args.territories, args.n_boot, args.n_reps,
                                  deadline, sc_grid=args.sc_grid)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        pooled.to_csv(args.out / "pooled_rows.csv", index=False)
        territory.to_csv(args.out / "territory_rows.csv", index=False)
    print("## Pooled ATT (Callaway & Sant'Anna, yearly panel)\n")
    print(_markdown(pooled_table(pooled)))
    effects = pooled[(pooled["effect_scale"] == 1.0) & (pooled["estimand"] == "sample")]
    print(f"\nmean simple ATT estimand truth {effects['simple_truth_estimand'].mean():.4f}, effect truth "
          f"{effects['simple_truth_effect'].mean():.4f}; mean estimate {effects['simple_estimate'].mean():.4f}; "
          f"s.d. of (estimate - estimand) {(effects['simple_estimate'] - effects['simple_truth_estimand']).std():.4f}")
    mean_se = pooled.groupby(["estimand", "effect_scale"])["simple_se"].mean()
    print("mean reported SE of the simple ATT: " + "; ".join(
        f"{estimand}, {'effects' if scale else 'no effect'} {value:.4f}" for (estimand, scale), value in mean_se.items()))
    print(f"equivariance gap (estimate with effects - estimate without - estimand truth): max {gaps.max():.2e}")
    if len(territory):
        print("\n## Per-territory intervals (monthly rate)\n")
        print(_markdown(territory_table(territory)))
        both = territory.pivot_table(index=["seed", "territory_id"], columns=["method", "effect_scale"],
                                     values="estimate")
        for method in ("sdid", "sc"):
            shift = both[(method, 1.0)] - both[(method, 0.0)]
            truth = territory[(territory["method"] == method) & (territory["effect_scale"] == 1.0)]
            truth = truth.set_index(["seed", "territory_id"])["true_effect"]
            print(f"{method}: max |estimate(effects) - estimate(no effect) - truth| = "
                  f"{(shift - truth.reindex(shift.index)).abs().max():.2e}")
    print(f"\n{pooled['seed'].nunique()} data sets (pooled), {territory['seed'].nunique() if len(territory) else 0} "
          f"with {args.territories} territories each (SDID, SC); n_boot {args.n_boot}, SDID n_reps {args.n_reps}; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
