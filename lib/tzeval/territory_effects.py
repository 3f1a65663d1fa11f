"""The per-territory impact estimate used by the reports, and the table of all of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dataset import OUTCOME_RATE, Dataset
from .placebo_did import METHOD_CODE, EstimationError, PlaceboDidResult, min_placebos_for_bounded_interval, placebo_did
from .territory_checks import territory_checks

OUTCOME_NAME = "long_term_jobseekers_rate"
OUTCOME_UNIT = (
    "change in long-term job seekers (categories A, B, C, 12 months or more) per 100 "
    "inhabitants aged 15-64, averaged over post-adoption periods (months, quarters or years, as the data)"
)
EFFECT_COLUMNS = [
    "territory_id", "method", "estimate", "std_error", "conf_low", "conf_high",
    "p_value", "alpha", "outcome", "unit", "status",
    "pretrend_p_value", "placebo_in_time_p_value", "robust_estimate", "robust_conf_low", "robust_conf_high",
    "verdict", "warnings", "n_controls", "n_controls_excluded", "n_periods_dropped",
]
"""Columns of ``territory_effects.csv``; the checks' columns come from :mod:`tzeval.territory_checks`."""


@dataclass(frozen=True)
class EstimationSample:
    """The panel one territory's estimate uses, and what suppressed cells took out of it.

    Attributes
    ----------
    wide : DataFrame
        Periods x territories: the treated territory first, then the comparison pool.
    controls : list of str
        The comparison territories kept: every never-treated territory with a value in
        every period of ``wide``.
    excluded_controls : list of str
        Comparison territories left out because a cell of theirs is suppressed in one of
        those periods (a comparison average over a changing set of territories would move
        for reasons that are not the programme).
    dropped_periods : list of Timestamp
        The treated territory's suppressed periods: the estimate uses the periods it has.
    """

    wide: pd.DataFrame
    controls: list[str]
    excluded_controls: list[str]
    dropped_periods: list[pd.Timestamp]

    def too_few_controls(self, alpha: float) -> bool:
        """True when the permutation interval at ``alpha`` cannot be bounded with these controls."""
        return len(self.controls) < min_placebos_for_bounded_interval(alpha)


def estimation_sample(data: Dataset, territory_id: str, yname: str = OUTCOME_RATE) -> EstimationSample:
    """The periods and comparison territories one territory's estimate can use (see :class:`EstimationSample`)."""
    wide = data.wide(yname)
    own = wide[territory_id]
    dropped = list(own.index[own.isna()])
    kept_periods = own.index[own.notna()]
    comparison = wide.loc[kept_periods, data.comparison_ids]
    complete = comparison.notna().all(axis=0)
    controls = [c for c in data.comparison_ids if complete[c]]
    excluded = [c for c in data.comparison_ids if not complete[c]]
    return EstimationSample(wide.loc[kept_periods, [territory_id, *controls]], controls, excluded, dropped)


def territory_effect(
    data: Dataset,
    territory_id: str,
    *,
    alpha: float = 0.05,
    seed: int | None = None,
    max_placebos: int | None = None,
) -> PlaceboDidResult:
    """Estimate one treated territory's effect on its long-term job-seeker rate.

    The comparison group is every never-treated territory with no suppressed cell in the
    territory's periods; the pre-period is every period before the first treated one (the
    period holding ``adoption_date``, :mod:`tzeval.periods`) and the post-period every
    period from it to the end of the data, at the data's frequency. A suppressed period
    of the territory itself is left out (:func:`estimation_sample`). See
    :func:`tzeval.placebo_did.placebo_did` for the inference.
    """
    territory = data.territory(territory_id)
    if not territory["treated"]:
        raise EstimationError(f"{territory_id} is a comparison territory (treated = 0); it has no effect to estimate")
    sample = estimation_sample(data, territory_id)
    return placebo_did(
        sample.wide,
        territory_id,
        territory["first_period"],
        controls=sample.controls,
        alpha=alpha,
        max_placebos=max_placebos,
        seed=seed,
        yname=OUTCOME_NAME,
    )


def people_per_point(data: Dataset, territory_id: str) -> float:
    """People aged 15-64 behind one point of the rate, averaged over post-adoption periods."""
    start = data.territory(territory_id)["first_period"]
    rows = data.outcomes[(data.outcomes["territory_id"] == territory_id) & (data.outcomes["period"] >= start)]
    return float(rows["population_15_64"].astype(float).mean() / 100.0)


def effect_in_people(data: Dataset, result: PlaceboDidResult) -> float:
    """Translate an effect on the rate into people, using the post-period population 15-64."""
    return result.estimate * people_per_point(data, result.unit)


def territory_effects(data: Dataset, *, alpha: float = 0.05, seed: int | None = None) -> pd.DataFrame:
    """One row per treated territory with the columns of ``territory_effects.csv``.

    A territory whose estimate cannot be computed keeps its row, with empty numbers and
    the reason in ``status``, so that no territory silently disappears. The pre-period
    checks (:func:`tzeval.territory_checks.territory_checks`) add their p-values, the
    trend-robust estimate and interval, the ``verdict`` and the ``warnings`` codes
    (``;``-separated, empty when none).
    """
    rows = []
    for territory_id in data.treated_ids:
        sample = estimation_sample(data, territory_id)
        row = {"territory_id": territory_id, "method": METHOD_CODE, "alpha": alpha,
               "outcome": OUTCOME_NAME, "unit": OUTCOME_UNIT, "n_controls": len(sample.controls),
               "n_controls_excluded": len(sample.excluded_controls),
               "n_periods_dropped": len(sample.dropped_periods)}
        try:
            result = territory_effect(data, territory_id, alpha=alpha, seed=seed)
        except EstimationError as error:
            row.update(estimate=np.nan, std_error=np.nan, conf_low=np.nan, conf_high=np.nan,
                       p_value=np.nan, status=f"failed: {error}", pretrend_p_value=np.nan,
                       placebo_in_time_p_value=np.nan, robust_estimate=np.nan, robust_conf_low=np.nan,
                       robust_conf_high=np.nan, verdict="", warnings="")
        else:
            checks = territory_checks(result)
            row.update(estimate=result.estimate, std_error=result.std_error, conf_low=result.conf_low,
                       conf_high=result.conf_high, p_value=result.p_value, status="ok",
                       pretrend_p_value=checks.pretrend_p_value,
                       placebo_in_time_p_value=checks.placebo_in_time_p_value,
                       robust_estimate=checks.robust_estimate, robust_conf_low=checks.robust_conf_low,
                       robust_conf_high=checks.robust_conf_high, verdict=checks.verdict,
                       warnings=";".join(checks.warnings))
        rows.append(row)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)
