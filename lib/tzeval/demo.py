"""A seeded generator of synthetic TZCLD-like data with a known true effect per territory.

The model, month by month, for territory ``i``:

* a long-term job-seeker rate without the programme (per 100 inhabitants aged 15-64)
  ``r0 = level_i + national_path(t) + season(month) + u_it``, where ``u`` is a persistent
  AR(1) deviation whose size shrinks with population (small places are noisier);
* an EBE that opens one to three months after habilitation and grows towards its
  eventual headcount like ``1 - exp(-months / pace)``, calibrated to the national
  headcounts in DOMAIN.md (about 2,200 in mid-2023 and 3,300 at the end of 2024);
* a programme effect: a share ``k_i`` of EBE employees would otherwise still be
  long-term job seekers, so the count falls by ``round(k_i * headcount)``. ``k_i`` is
  heterogeneous, near zero for some territories.

Parallel trends hold by construction (the national path is common), so the
difference-in-differences estimator is unbiased here; the model is the workbook's
reference for calibration studies. ``truth.csv`` holds, for every treated territory,
the exact average over post-adoption months of the effect on the rate, the quantity
:func:`tzeval.territory_effect` estimates.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import atomic, config
from .contract import METADATA_FILENAME, OUTCOMES, PROGRAMME, TERRITORIES, TRUTH_FILENAME

DEFAULT_SEED = config.DEFAULT_SEED
FIRST_MONTH = "2012-01"
LAST_MONTH = "2024-12"

# (first month, last month, number of territories) of each habilitation wave, DOMAIN.md.
PHASE_ONE_WAVES = ((("2017-01", "2017-03"), 10),)
PHASE_TWO_WAVES = (
    (("2021-11", "2021-11"), 3),
    (("2022-01", "2022-06"), 25),
    (("2022-07", "2022-12"), 14),
    (("2023-01", "2023-02"), 9),
    (("2023-03", "2024-06"), 24),
)

# Long-term job seekers per 100 aged 15-64, added to every territory's level: rises to
# 2016, eases to 2019, a Covid bump in 2020-21, then falls (percentage points).
NATIONAL_PATH_KNOTS = {
    "2012-01": 0.0, "2016-06": 1.2, "2019-12": 0.8, "2021-03": 1.3, "2023-06": 0.3, "2024-12": 0.5,
}
SEASON_AMPLITUDE = 0.08
AR_PERSISTENCE = 0.9
NOISE_SD_AT_5000 = 0.22  # stationary s.d. of u, in points, for 5,000 inhabitants aged 15-64

NAME_ROOTS = (
    "Exempleville", "Démobourg", "Fauxmont", "Testigny", "Imaginac", "Chimèreuil", "Fictivière",
    "Songeval", "Inventas", "Mirageac", "Utopiange", "Fablecourt", "Illusiers", "Postiche",
    "Semblancy", "Factissac", "Simulhac", "Modèlerie", "Prototype", "Essaimont", "Brouillonne",
    "Maquetteville", "Leurreuil", "Pasticheux", "Contrefaçay",
)
NAME_QUALIFIERS = (
    "", "-sur-Fiction", "-les-Bains", "-la-Forêt", " Centre", " Nord", " Sud", "-le-Haut",
    "-en-Plaine", "-sur-Mer", "-les-Vignes", " Les Tilleuls", "-Saint-Rêve", "-en-Vallée",
)


@dataclass(frozen=True)
class DemoData:
    """The four tables the generator writes, plus its metadata."""

    territories: pd.DataFrame
    outcomes: pd.DataFrame
    programme: pd.DataFrame
    truth: pd.DataFrame
    metadata: dict


def generate(seed: int = DEFAULT_SEED, n_comparison: int = 250, first_month: str = FIRST_MONTH,
             last_month: str = LAST_MONTH, effect_scale: float = 1.0) -> DemoData:
    """Generate one synthetic data set.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives identical tables.
    n_comparison : int
        Number of never-treated comparison territories.
    first_month, last_month : str
        Span of the monthly panel, YYYY-MM.
    effect_scale : float
        Multiplies every territory's effect; 0 gives a data set with no effect at all,
        which calibration studies use to measure false rejections.
    """
    rng = np.random.default_rng(seed)
    months = pd.date_range(first_month, last_month, freq="MS")
    territories = draw_territories(rng, n_comparison, months)
    model = simulate(rng, territories, months, effect_scale=effect_scale)
    n_months = len(months)

    ids = territories["territory_id"].to_numpy()
    outcomes = pd.DataFrame({
        "territory_id": np.repeat(ids, n_months),
        "period": np.tile(months.strftime("%Y-%m"), len(ids)),
        "long_term_jobseekers": model.long_term.astype(np.int64).ravel(),
        "jobseekers_abc": model.jobseekers_abc.astype(np.int64).ravel(),
        "population_15_64": model.population_15_64.astype(np.int64).ravel(),
    })

    treated_rows = np.flatnonzero(territories["treated"].to_numpy() == 1)
    effects = []
    for row in treated_rows:
        adopted = months >= pd.Timestamp(territories.at[row, "adoption_date"])
        effects.append(model.effect_on_rate[row, adopted].mean())
    truth = pd.DataFrame({"territory_id": ids[treated_rows], "true_effect": np.round(effects, 6)})
    metadata = {
        "synthetic": True,
        "description": "Synthetic demonstration data generated by tzeval.demo; no real territory.",
        "seed": seed,
        "n_comparison": n_comparison,
        "effect_scale": effect_scale,
        "periods": [first_month, last_month],
    }
    return DemoData(territories, outcomes, model.programme, truth, metadata)


@dataclass(frozen=True)
class MonthlyModel:
    """Every series of the model, territories x months, before it becomes tables.

    Other generators (:mod:`tzeval.demo_yearly`) publish the same model differently, so
    the arrays are kept whole: rows follow ``territories``, columns follow ``months``.

    Attributes
    ----------
    months : DatetimeIndex
        First day of each month.
    territories : DataFrame
        The territories simulated, with ``potential_beneficiaries`` filled in.
    population_15_64 : ndarray
        Inhabitants aged 15-64.
    long_term_without_programme : ndarray
        Long-term job seekers had no EBE opened.
    removed : ndarray
        Long-term job seekers the EBE took out of the stock (zero where untreated).
    long_term, jobseekers_abc : ndarray
        The observed counts.
    headcount : ndarray
        EBE employees at the end of each month.
    programme : DataFrame
        The monthly programme table of treated territories.
    """

    months: pd.DatetimeIndex
    territories: pd.DataFrame
    population_15_64: np.ndarray
    long_term_without_programme: np.ndarray
    removed: np.ndarray
    long_term: np.ndarray
    jobseekers_abc: np.ndarray
    headcount: np.ndarray
    programme: pd.DataFrame

    @property
    def effect_on_rate(self) -> np.ndarray:
        """The true effect on the long-term rate, points per 100 aged 15-64, each month."""
        return -100.0 * self.removed / self.population_15_64


def simulate(rng: np.random.Generator, territories: pd.DataFrame, months: pd.DatetimeIndex,
             effect_scale: float = 1.0) -> MonthlyModel:
    """Draw every monthly series of ``territories`` (as :func:`draw_territories` makes them).

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator :func:`draw_territories` used; draws continue from it, so one seed
        gives one data set.
    territories : DataFrame
        Columns of ``territories.csv``; ``potential_beneficiaries`` is filled in place.
    months : DatetimeIndex
        First day of each month of the panel.
    effect_scale : float
        Multiplies every territory's effect (0: no effect), without changing any draw.
    """
    population_15_64 = _population_15_64(rng, territories, months)
    counterfactual_rate = _rate_without_programme(rng, territories, months, population_15_64)
    headcount, programme = _draw_programme(rng, territories, months)
    share_hired_from_stock = _effect_shares(rng, territories) * effect_scale

    n_months = len(months)
    long_term_0 = np.rint(population_15_64 * counterfactual_rate / 100.0)
    removed = np.rint(share_hired_from_stock[:, None] * headcount)
    removed = np.minimum(removed, long_term_0)
    long_term = long_term_0 - removed
    long_term_share = np.clip(0.45 + rng.normal(0.0, 0.03, size=(len(territories), 1))
                              + rng.normal(0.0, 0.01, size=(len(territories), n_months)), 0.3, 0.7)
    abc = np.maximum(np.rint(long_term_0 / long_term_share) - removed, long_term)
    return MonthlyModel(months, territories, population_15_64, long_term_0, removed, long_term, abc,
                        headcount, programme)


def write(data: DemoData, out_dir: Path | str) -> Path:
    """Write the tables of ``data`` into ``out_dir`` as contract files, atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        TERRITORIES.filename: data.territories,
        OUTCOMES.filename: data.outcomes,
        PROGRAMME.filename: data.programme,
        TRUTH_FILENAME: data.truth,
    }
    for filename, table in tables.items():
        atomic.write_text(out_dir / filename, table.to_csv(index=False, lineterminator="\n"))
    atomic.write_text(out_dir / METADATA_FILENAME, json.dumps(data.metadata, indent=2, ensure_ascii=False) + "\n")
    return out_dir


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def _fictional_names(rng: np.random.Generator, count: int) -> list[str]:
    pairs = [(root, qualifier) for root in NAME_ROOTS for qualifier in NAME_QUALIFIERS]
    chosen = rng.choice(len(pairs), size=count, replace=False)
    return [pairs[i][0] + pairs[i][1] for i in chosen]


def _adoption_months(rng: np.random.Generator, waves) -> list[str]:
    dates = []
    for (start, end), count in waves:
        span = pd.date_range(start, end, freq="MS")
        dates += sorted(rng.choice(span, size=count).astype("datetime64[M]").astype(str).tolist())
    return dates


def draw_territories(rng: np.random.Generator, n_comparison: int, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Draw the rollout's treated territories and ``n_comparison`` comparison territories (territories.csv columns)."""
    adoption = _adoption_months(rng, PHASE_ONE_WAVES) + _adoption_months(rng, PHASE_TWO_WAVES)
    adoption = [a for a in adoption if pd.Timestamp(a) <= months[-1]]
    n_treated = len(adoption)
    n = n_treated + n_comparison
    names = _fictional_names(rng, n)
    # Phase 2 territories are 70% urban (DOMAIN.md); the pioneers were half and half.
    urban_share = np.r_[np.full(10, 0.5), np.full(n_treated - 10, 0.7), np.full(n_comparison, 0.6)]
    setting = np.where(rng.random(n) < urban_share, "urban", "rural")
    median_population = np.where(setting == "urban", 9000, 4500)
    population = np.clip(np.rint(median_population * rng.lognormal(0.0, 0.55, size=n)), 1500, 60000)
    departments = [f"{d:02d}" for d in rng.integers(1, 96, size=n)]
    territories = pd.DataFrame({
        "territory_id": [_slugify(name) for name in names],
        "name": names,
        "setting": setting,
        "department": departments,
        "population": population.astype(np.int64),
        "treated": np.r_[np.ones(n_treated, dtype=int), np.zeros(n_comparison, dtype=int)],
        "adoption_date": adoption + [""] * n_comparison,
        "potential_beneficiaries": [""] * n,
    })
    return territories


def _population_15_64(rng: np.random.Generator, territories: pd.DataFrame, months: pd.DatetimeIndex) -> np.ndarray:
    n = len(territories)
    share = rng.uniform(0.58, 0.66, size=n)
    annual_growth = rng.normal(0.001, 0.004, size=n)
    years_since_start = (months.year - months.year[0]).to_numpy()
    base = territories["population"].to_numpy() * share
    return np.rint(base[:, None] * (1.0 + annual_growth[:, None]) ** years_since_start[None, :])


def _rate_without_programme(rng: np.random.Generator, territories: pd.DataFrame, months: pd.DatetimeIndex,
                            population_15_64: np.ndarray) -> np.ndarray:
    n, n_months = population_15_64.shape
    treated = territories["treated"].to_numpy() == 1
    # Habilitated territories are poorer on average, hence higher levels; levels differ
    # but trends are common, which is what difference-in-differences needs.
    level = np.where(treated, rng.normal(6.8, 1.4, size=n), rng.normal(5.8, 1.5, size=n))
    level = np.clip(level, 2.0, 12.0)
    knots = pd.to_datetime(list(NATIONAL_PATH_KNOTS))
    national = np.interp(months.asi8, knots.asi8, list(NATIONAL_PATH_KNOTS.values()))
    season = SEASON_AMPLITUDE * np.cos(2 * np.pi * (months.month.to_numpy() - 2) / 12)
    noise_sd = NOISE_SD_AT_5000 * np.sqrt(5000.0 / population_15_64[:, 0])
    innovation_sd = noise_sd * np.sqrt(1 - AR_PERSISTENCE**2)
    deviation = np.empty((n, n_months))
    deviation[:, 0] = rng.normal(0.0, noise_sd)
    shocks = rng.normal(0.0, 1.0, size=(n, n_months)) * innovation_sd[:, None]
    for t in range(1, n_months):
        deviation[:, t] = AR_PERSISTENCE * deviation[:, t - 1] + shocks[:, t]
    return np.maximum(level[:, None] + national[None, :] + season[None, :] + deviation, 0.3)


def _effect_shares(rng: np.random.Generator, territories: pd.DataFrame) -> np.ndarray:
    """Share of EBE employees who would otherwise still be long-term job seekers."""
    n = len(territories)
    treated = territories["treated"].to_numpy() == 1
    near_zero = rng.random(n) < 0.2
    share = np.where(near_zero, rng.uniform(0.0, 0.05, size=n), 0.8 * rng.beta(2.0, 2.0, size=n))
    return np.where(treated, share, 0.0)


def _draw_programme(rng: np.random.Generator, territories: pd.DataFrame, months: pd.DatetimeIndex):
    """EBE headcounts for every territory (zero where untreated) and the programme table."""
    n, n_months = len(territories), len(months)
    headcount = np.zeros((n, n_months))
    rows = []
    potential = territories["potential_beneficiaries"].astype(object).to_numpy().copy()
    for i in np.flatnonzero(territories["treated"].to_numpy() == 1):
        adoption = pd.Timestamp(territories.at[i, "adoption_date"])
        pioneer = adoption.year < 2020
        eventual = rng.uniform(50, 160) if pioneer else rng.uniform(30, 95)
        pace = rng.uniform(16, 28) if pioneer else rng.uniform(12, 30)
        opening_lag = rng.integers(1, 4)
        since = (months.year - adoption.year) * 12 + (months.month - adoption.month)
        active = np.asarray(since >= 0)
        open_months = np.maximum(np.asarray(since) - opening_lag, 0)
        expected = eventual * (1 - np.exp(-open_months / pace))
        jitter = np.cumsum(rng.normal(0.0, 0.6, size=n_months)) * (open_months > 0)
        h = np.maximum(np.rint(expected + jitter), 0) * active
        headcount[i] = h
        potential[i] = int(np.rint(eventual * rng.uniform(0.9, 3.0)))
        fte_share = np.clip(0.72 + 0.18 * (1 - np.exp(-open_months / 18.0)), 0, 1)
        # Hires are net growth plus replacements of the month's departures, so the
        # cumulative count never falls and always covers the current headcount.
        departures = np.rint(0.007 * h)
        cumulative_hires = np.cumsum(np.maximum(np.diff(h, prepend=0.0), 0.0) + departures)
        waiting = np.rint(rng.uniform(0.1, 0.5) * eventual * np.exp(-open_months / 40.0)) * active
        for t in np.flatnonzero(active):
            rows.append((
                territories.at[i, "territory_id"], months[t].strftime("%Y-%m"), int(h[t]),
                round(float(h[t] * fte_share[t]), 1), int(cumulative_hires[t]),
                int(cumulative_hires[t] + waiting[t]), int(waiting[t]),
            ))
    territories["potential_beneficiaries"] = potential
    programme = pd.DataFrame(rows, columns=["territory_id", "period"] + PROGRAMME.column_names[2:])
    return headcount, programme


def main(out_dir: Path | str, seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo data with ``seed`` and write them to ``out_dir``."""
    return write(generate(seed=seed), out_dir)
