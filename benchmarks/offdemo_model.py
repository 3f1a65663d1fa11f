"""A simulation model that is not the demo generator's, for calibrating the per-territory intervals.

The demo data satisfy every estimator's assumptions by construction (exactly parallel
trends, one persistence for all, treated territories whose noise follows the comparisons'
law). This model departs from them in the ways real territories do, one feature at a
time per design:

* every territory has its own linear trend (drawn from one law), its own persistence
  (AR(1) coefficient drawn in [0.80, 0.95]) and heavy-tailed innovations (Student t, 5
  degrees of freedom) whose scale falls with population as ``population ** -0.35``, not
  as ``1 / sqrt(population)``;
* territories of one département share an AR(0.7) shock;
* counts are drawn from a Poisson law around the latent rate, and, in one design, counts
  of territories under 5,000 inhabitants aged 15-64 are rounded to 10, as published;
* the habilitated territory's departures: a linear drift against the comparisons, a
  higher persistence, more noise, a small population, a shared département shock.

Each replication draws 250 comparison territories and 10 habilitated ones (adoption
month drawn between 2017 and 2023), with no programme effect except in the power
design, so every interval should contain the truth. :func:`simulate` returns one row per habilitated territory with the
default estimate's interval, its pre-period checks and the trend-robust interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tzeval.placebo_did import placebo_did
from tzeval.robustness import noise_within_donors
from tzeval.sdid import synthetic_did
from tzeval.territory_checks import territory_checks

MONTHS = pd.date_range("2012-01-01", "2024-12-01", freq="MS")
N_COMPARISON = 250
N_TREATED = 10
N_DEPARTMENTS = 12


@dataclass(frozen=True)
class Design:
    """One departure from the comparison territories' law, applied to the habilitated ones.

    Attributes
    ----------
    name : str
    drift_per_year : float
        Extra linear trend of habilitated territories against the comparisons, rate points a year.
    treated_persistence : float or None
        AR(1) coefficient of habilitated territories (None: drawn like the comparisons').
    treated_noise_scale : float
        Multiplier of habilitated territories' innovation scale.
    treated_population : float or None
        Population aged 15-64 of habilitated territories (None: drawn like the comparisons').
    rounding : int
        Counts of territories under 5,000 aged 15-64 rounded to this (0: not rounded).
    department_shock_sd : float
        Innovation s.d. of the shock shared within a département (rate points).
    trend_sd : float
        S.d. of every territory's own linear trend (rate points a year).
    effect : float
        Programme effect on habilitated territories from their adoption month (rate points);
        0 in every design but the power one.
    """

    name: str
    drift_per_year: float = 0.0
    treated_persistence: float | None = None
    treated_noise_scale: float = 1.0
    treated_population: float | None = None
    rounding: int = 0
    department_shock_sd: float = 0.02
    trend_sd: float = 0.01
    effect: float = 0.0


DESIGNS = (
    Design("off-demo baseline"),
    Design("drift 0.03 point a year", drift_per_year=0.03),
    Design("drift 0.06 point a year", drift_per_year=0.06),
    Design("persistence 0.97", treated_persistence=0.97),
    Design("habilitated 1.5 times noisier", treated_noise_scale=1.5),
    Design("small territory (1,000 aged 15-64)", treated_population=1_000.0),
    Design("counts rounded to 10 under 5,000", rounding=10),
    Design("strong département shocks", department_shock_sd=0.06),
    Design("power: effect -0.4 point", effect=-0.4),
)


def draw_panel(design: Design, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str], list[str], dict]:
    """One replication: rates per 100 aged 15-64 (months x territories), the ids and adoption months."""
    n = N_COMPARISON + N_TREATED
    treated = np.zeros(n, dtype=bool)
    treated[N_COMPARISON:] = True
    population = np.exp(rng.normal(np.log(5_000), 0.8, n)).clip(600, 80_000)
    if design.treated_population is not None:
        population[treated] = design.treated_population
    persistence = rng.uniform(0.80, 0.95, n)
    if design.treated_persistence is not None:
        persistence[treated] = design.treated_persistence
    scale = 0.12 * (population / 5_000) ** -0.35
    scale[treated] *= design.treated_noise_scale
    level = rng.uniform(2.0, 6.0, n)
    years = (np.arange(len(MONTHS)) / 12.0)[:, None]
    trend = rng.normal(0.0, design.trend_sd, n) + np.where(treated, design.drift_per_year, 0.0)
    department = rng.integers(0, N_DEPARTMENTS, n)

    noise = np.zeros((len(MONTHS), n))
    shock = np.zeros((len(MONTHS), N_DEPARTMENTS))
    national = np.cumsum(rng.normal(0, 0.02, len(MONTHS)))  # shared by all: differenced out
    state = rng.standard_t(5, n) * scale / np.sqrt(1 - persistence ** 2) / np.sqrt(5 / 3)
    department_state = np.zeros(N_DEPARTMENTS)
    for t in range(len(MONTHS)):
        state = persistence * state + rng.standard_t(5, n) * scale / np.sqrt(5 / 3)
        department_state = 0.7 * department_state + rng.normal(0, design.department_shock_sd, N_DEPARTMENTS)
        noise[t] = state
        shock[t] = department_state
    latent = level + trend * years + national[:, None] + noise + shock[:, department]
    expected = np.clip(latent, 0.05, None) * population / 100.0
    counts = rng.poisson(expected).astype(float)
    if design.rounding:
        small = population < 5_000
        counts[:, small] = np.round(counts[:, small] / design.rounding) * design.rounding
    rates = counts / population * 100.0
    ids = [f"c{i:03d}" for i in range(N_COMPARISON)] + [f"t{i:02d}" for i in range(N_TREATED)]
    panel = pd.DataFrame(rates, index=MONTHS, columns=ids)
    panel.attrs["population"] = dict(zip(ids, population))  # for turning rates back into counts
    adoption = {ids[i]: MONTHS[rng.integers(60, 133)] for i in np.flatnonzero(treated)}
    for unit, start in adoption.items():
        panel.loc[panel.index >= start, unit] += design.effect
    return panel, ids[:N_COMPARISON], ids[N_COMPARISON:], adoption


def simulate(design: Design, n_reps: int, seed: int = 0, alpha: float = 0.05, sdid_reps: int = 0,
             sdid_placebos: int = 50) -> pd.DataFrame:
    """One row per habilitated territory and replication; ``truth`` is the design's effect.

    With ``sdid_reps``, the first habilitated territory of that many replications also gets
    the synthetic DiD second opinion (``sdid_placebos`` placebo replications): its interval,
    and whether the report shows it (:func:`tzeval.robustness.noise_within_donors`).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for rep in range(n_reps):
        panel, controls, treated_ids, adoption = draw_panel(design, rng)
        for position, unit in enumerate(treated_ids):
            result = placebo_did(panel[[unit, *controls]], unit, adoption[unit], controls=controls, alpha=alpha)
            checks = territory_checks(result)
            rows.append({
                "design": design.name, "rep": rep, "unit": unit, "truth": design.effect, "estimate": result.estimate,
                "conf_low": result.conf_low, "conf_high": result.conf_high, "p_value": result.p_value,
                "robust_conf_low": checks.robust_conf_low, "robust_conf_high": checks.robust_conf_high,
                "pretrend_p_value": checks.pretrend_p_value,
                "placebo_in_time_p_value": checks.placebo_in_time_p_value,
                "warnings": ";".join(checks.warnings), "verdict": checks.verdict,
            })
            if rep < sdid_reps and position == 0:
                rows[-1].update(_second_opinion(panel[[unit, *controls]], unit, adoption[unit], result, alpha,
                                                sdid_placebos, seed + rep))
    return pd.DataFrame(rows)


def _second_opinion(panel: pd.DataFrame, unit: str, start, result, alpha: float, n_placebos: int, seed: int) -> dict:
    long = panel.stack().rename("rate").reset_index()
    long.columns = ["period", "territory_id", "rate"]
    long["treated"] = ((long["territory_id"] == unit) & (long["period"] >= start)).astype(int)
    fits = {se_method: synthetic_did(long, "territory_id", "period", "rate", "treated", method="sdid",
                                     se_method=se_method, n_reps=n_placebos, alpha=alpha,
                                     seed=seed).to_frame().iloc[0]
            for se_method in ("placebo", "placebo_studentised")}
    pre = ~result.gaps["post"].to_numpy(dtype=bool)
    donors = result.placebo_gaps.to_numpy()[pre].std(axis=0, ddof=1)
    own = result.gaps["effect"].to_numpy()[pre].std(ddof=1)
    return {"sdid_conf_low": fits["placebo"]["conf_low"], "sdid_conf_high": fits["placebo"]["conf_high"],
            "sdid_noise_rank": float((donors < own).mean()),
            "sdid_scaled_low": fits["placebo_studentised"]["conf_low"],
            "sdid_scaled_high": fits["placebo_studentised"]["conf_high"],
            "sdid_shown": noise_within_donors(result)[0]}


def summarise(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Coverage, false rejections and warnings per design, with Monte Carlo standard errors."""
    def share(mask: pd.Series) -> tuple[float, float]:
        p = float(mask.mean())
        return p, float(np.sqrt(p * (1 - p) / len(mask)))

    rows = []
    for name, group in results.groupby("design", sort=False):
        truth = group["truth"]
        covered = (group["conf_low"] <= truth) & (truth <= group["conf_high"])
        robust = (group["robust_conf_low"] <= truth) & (truth <= group["robust_conf_high"])
        significant = group["p_value"] < alpha
        warned = group["warnings"] != ""
        if "sdid_shown" in group and group["sdid_shown"].notna().any():
            sdid = group[group["sdid_shown"].notna()]
            plain = (sdid["sdid_conf_low"] <= sdid["truth"]) & (sdid["truth"] <= sdid["sdid_conf_high"])
            studentised = (sdid["sdid_scaled_low"] <= sdid["truth"]) & (sdid["truth"] <= sdid["sdid_scaled_high"])
            shown = sdid["sdid_shown"].astype(bool)
            extra = {"SDID plain placebo coverage": share(plain), "SDID studentised coverage": share(studentised),
                     "SDID shown": share(shown), "SDID studentised coverage, shown": share(studentised[shown])}
        else:
            extra = {}
        measures = {
            "coverage": share(covered),
            "rejections of zero": share(significant),
            "reported significant (verdict)": share(group["verdict"] == "significant"),
            "significant with no warning": share(significant & ~warned),
            "any warning": share(warned),
            "trend-robust coverage": share(robust),
            **extra,
        }
        row = {"design": name, "n": len(group),
               "n SDID": int(group["sdid_shown"].notna().sum()) if "sdid_shown" in group else 0}
        for measure, (value, se) in measures.items():
            row[measure] = value
            row[f"{measure} s.e."] = se
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = ["DESIGNS", "Design", "draw_panel", "simulate", "summarise"]
