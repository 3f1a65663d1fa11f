"""The pooled effect across territories: Callaway & Sant'Anna on a yearly panel.

Monthly and quarterly rates are averaged by calendar year, so the event study reads in
years since habilitation. A territory's cohort is then the first calendar year with at
least six months of habilitation: one habilitated in November 2021 joins the 2022 cohort
rather than forming a cohort of its own on two treated months, which would also leave
too few territories per cohort for a stable covariance. Event time 0 is therefore at
least half treated, and the months before it, when the EBE is barely open, count as
pre-treatment.

Yearly data are stocks at 31 December and are used as they are. The cohort is then the
first year-end after habilitation (:mod:`tzeval.periods`), the rule the per-territory
estimate follows too; a territory habilitated in November is treated from that
December's stock, with little effect yet, which dilutes event time 0.

The estimator needs a balanced panel, so a territory with a suppressed cell in any year
used is left out of the pooled estimate (:func:`excluded_territories` lists them).
"""

from __future__ import annotations

import pandas as pd

from .dataset import OUTCOME_RATE, Dataset
from .staggered import GroupTimeATT, att_gt
from .staggered.sample_inference import DISPERSIONS

ESTIMANDS = ("sample", "population")


def _check_options(estimand: str, dispersion: str) -> None:
    if estimand not in ESTIMANDS:
        raise ValueError(f"estimand must be one of {ESTIMANDS}, got {estimand!r}")
    if dispersion not in DISPERSIONS:
        raise ValueError(f"dispersion must be one of {DISPERSIONS}, got {dispersion!r}")


def yearly_panel(data: Dataset, yname: str = OUTCOME_RATE) -> pd.DataFrame:
    """One row per territory and calendar year: the yearly value of ``yname`` and the cohort.

    Monthly and quarterly data: only complete calendar years are kept, so that every
    yearly mean covers the whole year, and the cohort is the first year with at least
    six months of habilitation. Yearly data: the year-end values, and the cohort is the
    first year-end after habilitation (see the module docstring). Territories with a
    suppressed cell in a kept year are left out (:func:`excluded_territories`).
    Columns: ``territory_id``, ``unit`` (an integer id), ``year``, ``yname`` and
    ``cohort`` (0 for comparison territories).
    """
    kept = _complete_year_rows(data)
    kept = kept[~kept["territory_id"].isin(excluded_territories(data, yname))]
    yearly = kept.groupby(["territory_id", "year"], as_index=False)[yname].mean()
    adoption = data.territories["adoption_date"]
    if data.frequency == "yearly":
        cohort = adoption.dt.year.fillna(0).astype(int)
    else:
        cohort = (adoption.dt.year + (adoption.dt.month > 6)).fillna(0).astype(int)
    yearly["cohort"] = yearly["territory_id"].map(cohort)
    codes = {territory_id: i for i, territory_id in enumerate(data.territories.index, start=1)}
    yearly["unit"] = yearly["territory_id"].map(codes)
    return yearly


def _complete_year_rows(data: Dataset) -> pd.DataFrame:
    """Outcome rows of the calendar years the data cover entirely, with a ``year`` column."""
    outcomes = data.outcomes.assign(year=data.outcomes["period"].dt.year)
    counts = outcomes.groupby("year")["period"].nunique()
    complete_years = counts.index[counts == 12 // data.months_per_period]
    return outcomes[outcomes["year"].isin(complete_years)]


def excluded_territories(data: Dataset, yname: str = OUTCOME_RATE) -> list[str]:
    """Territories left out of the pooled estimate: a suppressed (missing) value in a complete year."""
    kept = _complete_year_rows(data)
    missing = kept.loc[kept[yname].isna(), "territory_id"]
    return sorted(set(missing))


def rate_noise_variance(data: Dataset, panel: pd.DataFrame) -> pd.Series:
    """Relative noise variance of each territory's rate: one over its population aged 15-64.

    A rate is a count over a population, so its random variation shrinks like one over
    the population (as a proportion's sampling variance does). Indexed by the panel's
    ``unit`` codes, for :meth:`~tzeval.staggered.GroupTimeATT.with_sample_inference`.
    """
    population = data.outcomes.groupby("territory_id")["population_15_64"].mean()
    units = panel.drop_duplicates("unit").set_index("unit")["territory_id"]
    return 1.0 / units.map(population)


def pooled_effects(
    data: Dataset,
    *,
    alpha: float = 0.05,
    n_boot: int = 999,
    seed: int | None = None,
    control_group: str = "nevertreated",
    est_method: str = "reg",
    estimand: str = "sample",
    dispersion: str = "adaptive",
) -> GroupTimeATT:
    """Group-time effects of habilitation on the yearly long-term job-seeker rate.

    See :func:`tzeval.att_gt`; aggregate the result with ``.aggregate("dynamic")`` for
    the event study or ``.aggregate("group")`` for the cohort table.

    Parameters
    ----------
    estimand : {"sample", "population"}
        ``"sample"`` (default): intervals for the average effect in the habilitated
        territories of the data, the question a funder asks of this experiment; their
        year-to-year noise is imputed from the comparison territories, scaled by
        population (:func:`rate_noise_variance`,
        :meth:`~tzeval.staggered.GroupTimeATT.with_sample_inference`). ``"population"``:
        R ``did``'s intervals, for the average effect in a super-population of territories
        like them. The population intervals count the spread of the territories' own
        effects as uncertainty, and estimate it from as few as ten pioneer territories;
        in simulation (benchmarks/CALIBRATION.md) they cover the territories' average
        effect far more often than 95%, while the sample intervals cover it at 95%.
    dispersion : {"adaptive", "assume_equal"}
        Sample ATT only. ``"adaptive"`` (default): if the habilitated territories' year-to-
        year changes were more dispersed before habilitation than the comparison
        territories' (at equal population), their imputed noise is widened by a 95% upper
        confidence bound of that ratio, never narrowed (the result's
        ``dispersion_scale``; see :mod:`tzeval.staggered.sample_inference`).
        ``"assume_equal"``: the imputation as published (scale 1).
    """
    _check_options(estimand, dispersion)
    panel = yearly_panel(data)
    result = att_gt(panel, yname=OUTCOME_RATE, tname="year", idname="unit", gname="cohort",
                    control_group=control_group, est_method=est_method, alpha=alpha,
                    n_boot=n_boot, seed=seed)
    if estimand == "population":
        return result
    return result.with_sample_inference(noise_variance=rate_noise_variance(data, panel),
                                        dispersion=dispersion)


def pooled_sensitivity(
    data: Dataset,
    *,
    alpha: float = 0.05,
    mbar: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0),
    est_method: str = "reg",
    estimand: str = "sample",
    dispersion: str = "adaptive",
):
    """How robust the pooled effect is to violations of parallel trends (Rambachan & Roth).

    The event study is re-estimated with a universal base period (the year before
    habilitation), as the relative-magnitudes restriction requires, with analytical
    covariances from the influence functions. The target is the average of the
    post-habilitation event-time effects. See :func:`tzeval.honest_did` (C-LF hybrid
    intervals by default); the result's ``breakdown`` is the smallest ``Mbar`` at which
    the robust interval reaches zero (it excludes zero for every smaller ``Mbar``).
    ``estimand`` and ``dispersion`` are as in :func:`pooled_effects`.
    """
    _check_options(estimand, dispersion)
    from .sensitivity import honest_did_from

    panel = yearly_panel(data)
    result = att_gt(panel, yname=OUTCOME_RATE, tname="year", idname="unit", gname="cohort",
                    est_method=est_method, base_period="universal", alpha=alpha, n_boot=0)
    if estimand == "sample":
        result = result.with_sample_inference(noise_variance=rate_noise_variance(data, panel),
                                              dispersion=dispersion)
    dynamic = result.aggregate("dynamic")
    influence = dynamic.influence
    covariance = influence.T @ influence / influence.shape[0] ** 2
    return honest_did_from(dynamic, covariance=covariance, Mbar=mbar, alpha=alpha)
