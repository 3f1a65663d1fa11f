"""Calibration of the pooled sample-ATT intervals off the demo model, with noisier treated units.

The pooled effect (Callaway & Sant'Anna, :func:`tzeval.pooled_effects`) gives intervals for
the average effect in the habilitated territories, imputing their noise from the
comparison territories (:mod:`tzeval.staggered.sample_inference`). That assumes the
habilitated territories' untreated noise follows the comparisons' law. This script
measures, on a simulator that is *not* the demo generator, what happens when it does not,
for the default ``dispersion="adaptive"`` (imputed noise scaled by an upper confidence
bound of the pre-treatment dispersion ratio, floored at 1) and for
``dispersion="assume_equal"`` (the plain imputation), on the same estimates.

Simulator (:func:`simulate`): a yearly panel 2012-2024 of 250 never-treated and 85
treated territories in four adoption cohorts (2017: 10, 2022: 28, 2023: 31, 2024: 16),
spread over 95 départements at random. Rate of territory ``i`` in year ``t``::

    y_it = a_i + b_t + e_it + s_d(i)t

with ``a_i`` a territory level, ``b_t`` a national path, ``e_it`` AR(1) noise (persistence
0.6, stationary) whose standard deviation is ``0.25 * sqrt(8,000 / population_i)`` points
(a rate's noise shrinks like one over the population; populations aged 15-64 log-normal,
median 8,000), multiplied by ``noise_ratio`` for treated territories, and ``s_dt`` an
AR(1) département shock (persistence 0.5) shared by all territories of the département,
treated and comparison alike, of standard deviation ``shock_sd``. True effects are zero,
so every post-treatment and pre-treatment cell has truth 0: the simple ATT's interval
should contain 0, and the event-study simultaneous band the whole zero curve.

The analysis is exactly :func:`tzeval.pooled_effects`'s on the yearly panel (outcome
regression, never-treated comparisons, varying base period, multiplier bootstrap, noise
variance 1 / population).

Designs: (a) treated as comparisons; (b) treated 1.2 times noisier at the same size;
(c) 1.5 times noisier; (d) spatially correlated noise, département shocks of s.d. 0.25
point (as large as the noise of a median territory).

Usage::

    .venv/bin/python benchmarks/calibration_pooled_offdemo.py            # ~8 min on 2 cores
    .venv/bin/python benchmarks/calibration_pooled_offdemo.py --reps 40 --no-write   # quick look

The table is written into benchmarks/CALIBRATION.md between the markers
``<!-- pooled-offdemo:start -->`` and ``<!-- pooled-offdemo:end -->`` (appended at the end
if they are absent).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from tzeval import att_gt

CALIBRATION = Path(__file__).resolve().parent / "CALIBRATION.md"
START, END = "<!-- pooled-offdemo:start -->", "<!-- pooled-offdemo:end -->"
YEARS = np.arange(2012, 2025)
COHORTS = {2017: 10, 2022: 28, 2023: 31, 2024: 16}
N_NEVER = 250
N_DEPARTEMENTS = 95
NOISE_SD = 0.25
DESIGNS = {
    "a": ("(a) treated as comparisons", dict(noise_ratio=1.0, shock_sd=0.0)),
    "b": ("(b) treated 1.2x noisier, same size", dict(noise_ratio=1.2, shock_sd=0.0)),
    "c": ("(c) treated 1.5x noisier, same size", dict(noise_ratio=1.5, shock_sd=0.0)),
    "d": ("(d) département shocks shared by treated and comparisons", dict(noise_ratio=1.0, shock_sd=0.25)),
}
DISPERSIONS = ("adaptive", "assume_equal")
TARGET_SIMPLE = (0.93, 0.97)
TARGET_BAND = 0.90


def _ar1(rng, shape, persistence, sd):
    """Stationary AR(1) series along the last axis with marginal s.d. ``sd``."""
    innovations = rng.normal(0.0, 1.0, shape)
    out = np.empty(shape)
    out[..., 0] = innovations[..., 0]
    scale = np.sqrt(1.0 - persistence**2)
    for t in range(1, shape[-1]):
        out[..., t] = persistence * out[..., t - 1] + scale * innovations[..., t]
    return out * sd


def simulate(seed: int, noise_ratio: float = 1.0, shock_sd: float = 0.0, persistence: float = 0.6):
    """One yearly panel with no effect: long data (unit, year, y, cohort) and 1 / population.

    See the module docstring for the model.
    """
    rng = np.random.default_rng(seed)
    cohort = np.concatenate([np.full(size, g) for g, size in COHORTS.items()] + [np.zeros(N_NEVER, int)])
    n = len(cohort)
    population = np.exp(rng.normal(np.log(8_000), 0.7, n))
    sd = NOISE_SD * np.sqrt(8_000 / population) * np.where(cohort > 0, noise_ratio, 1.0)
    noise = _ar1(rng, (n, len(YEARS)), persistence, 1.0) * sd[:, None]
    departement = rng.integers(0, N_DEPARTEMENTS, n)
    shocks = _ar1(rng, (N_DEPARTEMENTS, len(YEARS)), 0.5, shock_sd)[departement] if shock_sd > 0 else 0.0
    level = rng.normal(5.0, 1.0, n)
    path = 0.3 * np.sin(np.arange(len(YEARS)) / 2.0) - 0.05 * np.arange(len(YEARS))
    y = level[:, None] + path[None, :] + noise + shocks
    data = pd.DataFrame({"unit": np.repeat(np.arange(1, n + 1), len(YEARS)), "year": np.tile(YEARS, n),
                         "y": y.ravel(), "cohort": np.repeat(cohort, len(YEARS))})
    noise_variance = pd.Series(1.0 / population, index=np.arange(1, n + 1))
    return data, noise_variance


def analyse(seed: int, design: str, n_boot: int) -> list[dict]:
    """Both dispersion choices on one simulated data set (same population estimates)."""
    data, noise_variance = simulate(seed, **DESIGNS[design][1])
    population = att_gt(data, yname="y", tname="year", idname="unit", gname="cohort", est_method="reg",
                        n_boot=n_boot, seed=seed)
    rows = []
    for dispersion in DISPERSIONS:
        result = population.with_sample_inference(noise_variance=noise_variance, dispersion=dispersion)
        simple = result.aggregate("simple").overall
        band = result.aggregate("dynamic").to_frame("simultaneous")
        rows.append({
            "design": design, "seed": seed, "dispersion": dispersion,
            "simple_estimate": simple.estimate, "simple_se": simple.std_error,
            "simple_covers": bool(simple.conf_low <= 0 <= simple.conf_high),
            "band_covers": bool(((band["conf_low"] <= 0) & (0 <= band["conf_high"])).all()),
            "pretest_rejects": bool(result.pretest.p_value < 0.05),
            "ratio": result.dispersion_ratio, "bound": result.dispersion_bound, "scale": result.dispersion_scale,
        })
    return rows


def _job(args):
    return analyse(*args)


def run(reps: int, n_boot: int, workers: int, first_seed: int = 7000) -> pd.DataFrame:
    jobs = [(first_seed + 10_000 * k + r, design, n_boot)
            for k, design in enumerate(DESIGNS) for r in range(reps)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_job, jobs, chunksize=8))
    else:
        results = [_job(job) for job in jobs]
    return pd.DataFrame([row for rows in results for row in rows])


def _share(values) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    return float(mean), float(np.sqrt(mean * (1 - mean) / len(values)))


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    out = []
    for design, (label, _) in DESIGNS.items():
        for dispersion in DISPERSIONS:
            part = rows[(rows["design"] == design) & (rows["dispersion"] == dispersion)]
            simple, simple_se = _share(part["simple_covers"])
            band, band_se = _share(part["band_covers"])
            pretest, pretest_se = _share(part["pretest_rejects"])
            out.append({
                "design": label, "dispersion": dispersion, "n": len(part),
                "simple": simple, "simple_se": simple_se, "band": band, "band_se": band_se,
                "pretest": pretest, "pretest_se": pretest_se,
                "se_over_sd": part["simple_se"].mean() / part["simple_estimate"].std(ddof=1),
                "ratio": part["ratio"].mean(), "bound": part["bound"].mean(),
                "widened": (part["scale"] > 1).mean(), "scale": part["scale"].mean(),
            })
    return pd.DataFrame(out)


def markdown(table: pd.DataFrame, reps: int, n_boot: int, seconds: float, workers: int) -> str:
    def cell(value, se):
        return f"{value:.3f} ({se:.3f})"

    lines = [
        f"Per design, {reps} simulated data sets of 250 never-treated and 85 habilitated territories "
        f"(cohorts 2017/2022/2023/2024 of 10/28/31/16), yearly 2012-2024, no effect: the truth of the "
        f"simple ATT and of every event time is 0. Both rows of a design use the same estimates "
        f"(outcome regression, multiplier bootstrap {n_boot} draws, noise variance 1 / population). "
        f"Cells: share (Monte Carlo standard error). *SE / s.d.*: mean reported standard error of the "
        f"simple ATT over the s.d. of its estimates across data sets (1 is right). *ratio*, *bound*: "
        f"mean pre-treatment dispersion ratio and its 95% upper bound; *widened*: share of data sets "
        f"where the adaptive scale exceeded 1; *scale*: its mean. Measured in {seconds:.0f} s on "
        f"{workers} processes by `benchmarks/calibration_pooled_offdemo.py`.",
        "",
        "| design | dispersion | simple ATT covers 0 | band covers the zero curve | Wald pre-test rejects | "
        "SE / s.d. | ratio | bound | widened | scale |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.design} | {row.dispersion}{' (default)' if row.dispersion == 'adaptive' else ''} | {cell(row.simple, row.simple_se)} | {cell(row.band, row.band_se)} | "
            f"{cell(row.pretest, row.pretest_se)} | {row.se_over_sd:.2f} | {row.ratio:.2f} | {row.bound:.2f} | "
            f"{row.widened:.2f} | {row.scale:.2f} |")
    lines += ["", f"Targets: simple-ATT coverage {TARGET_SIMPLE[0]:.2f}-{TARGET_SIMPLE[1]:.2f} and band "
                  f"coverage at least {TARGET_BAND:.2f} in each design (point values; the s.e. says how "
                  "firmly).", ""]
    for row in table.itertuples():
        simple_ok = TARGET_SIMPLE[0] <= row.simple <= TARGET_SIMPLE[1]
        band_ok = row.band >= TARGET_BAND
        lines.append(f"- {row.design}, {row.dispersion}: simple ATT {'met' if simple_ok else 'NOT met'}, "
                     f"band {'met' if band_ok else 'NOT met'}.")
    return "\n".join(lines)


def write_section(body: str, path: Path = CALIBRATION) -> None:
    text = path.read_text(encoding="utf-8")
    block = f"{START}\n{body}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Results: pooled ATT off the demo model, noisier habilitated territories\n\n" \
            + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=500, help="data sets per design")
    parser.add_argument("--n-boot", type=int, default=199)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--no-write", action="store_true", help="print only, leave CALIBRATION.md alone")
    parser.add_argument("--out", type=Path, default=None, help="CSV of the raw rows")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run(args.reps, args.n_boot, args.workers)
    seconds = time.perf_counter() - started
    if args.out is not None:
        rows.to_csv(args.out, index=False)
    body = markdown(summarise(rows), args.reps, args.n_boot, seconds, args.workers)
    print(body)
    if not args.no_write:
        write_section(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
