"""Difference-in-differences for one treated unit, with placebo-in-space inference.

The estimate compares the treated unit's outcome with the average of the comparison
units, after minus before adoption. With a single treated unit no standard error can be
estimated from the treated side, so inference borrows the distribution of the same
statistic computed for each comparison unit in turn, as if it had been treated at the
same date (Conley & Taber 2011). Because small territories have noisier rates than
large ones, each statistic is studentised by the unit's own pre-period residual
standard deviation before the comparison (Ferman & Pinto 2019). The confidence interval
is the set of effects the permutation test does not reject, so the interval and the
p-value always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .results import EstimateResult, format_table, tidy_frame

METHOD_CODE = "placebo_did"
METHOD_LABEL = "difference-in-differences with studentized placebo-in-space inference"


class EstimationError(ValueError):
    """The data cannot support the estimate asked for; the message says why."""


@dataclass
class PlaceboDidResult(EstimateResult):
    """The effect on one treated unit, with a permutation confidence interval.

    Attributes
    ----------
    unit : str
        The treated unit.
    estimate : float
        Mean post-period gap minus mean pre-period gap (outcome units).
    conf_low, conf_high : float
        Permutation interval at level ``1 - alpha`` (test inversion).
    p_value : float
        Two-sided (equal-tailed) permutation p-value of "no effect".
    std_error : float
        Standard deviation of the placebo distribution rescaled to the treated unit:
        a descriptive scale, not used for the interval.
    gaps : DataFrame
        Per period: ``treated``, ``comparison_mean``, ``counterfactual`` and ``effect``.
    placebo_estimates : Series
        Each comparison unit's studentised statistic rescaled to the treated unit's
        noise, i.e. effects that chance alone would produce for this unit.
    placebo_gaps : DataFrame
        Per period and placebo unit, the gap to the other comparison units minus its
        pre-period mean: what the treated unit's ``effect`` column looks like by chance.
    """

    unit: str
    treatment_start: pd.Timestamp
    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    p_value: float
    alpha: float
    pre_rmspe: float
    n_pre: int
    n_post: int
    gaps: pd.DataFrame
    placebo_estimates: pd.Series
    placebo_gaps: pd.DataFrame
    yname: str = "outcome"
    interval_kind: str = field(default="permutation")

    @property
    def n_placebos(self) -> int:
        return int(self.placebo_estimates.size)

    @property
    def method(self) -> str:
        return METHOD_CODE

    def to_frame(self) -> pd.DataFrame:
        frame = tidy_frame(
            {"unit": [self.unit], "method": [METHOD_CODE]},
            self.estimate, self.std_error, self.conf_low, self.conf_high, self.p_value,
        )
        frame["alpha"] = self.alpha
        frame["interval_kind"] = self.interval_kind
        return frame

    def summary(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        lines = [
            f"Effect on {self.unit} of treatment from {self.treatment_start:%Y-%m}",
            f"Method: {METHOD_LABEL}",
            f"Outcome: {self.yname}; {self.n_pre} pre-periods, {self.n_post} post-periods, "
            f"{self.n_placebos} placebo units",
            f"Interval: {level} permutation interval (test inversion over placebos)",
            f"Pre-period fit (RMSPE of the gap): {self.pre_rmspe:.4f}",
            "",
            format_table(self.to_frame().drop(columns=["alpha", "interval_kind"])),
        ]
        return "\n".join(lines)

    def plot(self):
        from .plots import effect_gap_figure

        return effect_gap_figure(self)


def placebo_did(
    panel: pd.DataFrame,
    treated_unit: str,
    treatment_start,
    controls: list[str] | None = None,
    *,
    end=None,
    alpha: float = 0.05,
    max_placebos: int | None = None,
    seed: int | None = None,
    yname: str = "outcome",
) -> PlaceboDidResult:
    """Estimate the effect on one treated unit against the mean of comparison units.

    Parameters
    ----------
    panel : DataFrame
        Outcomes, periods (sorted index) x units (columns), with no missing values.
    treated_unit : str
        Column of ``panel`` holding the treated unit.
    treatment_start : date-like
        First treated period; earlier periods form the pre-period.
    controls : list of str, optional
        Comparison units; defaults to every other column.
    end : date-like, optional
        Last period used; defaults to the last period of ``panel``.
    alpha : float, default 0.05
        One minus the confidence level.
    max_placebos : int, optional
        Use a random subset of this many comparison units as placebos (all by default;
        all is exact and cheap, a subset only saves time on very large pools).
    seed : int, optional
        Seed for that subset; unused when every placebo is used.
    yname : str
        Name of the outcome, for summaries.

    Returns
    -------
    PlaceboDidResult
    """
    if not 0 < alpha < 1:
        raise EstimationError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    if treated_unit not in panel.columns:
        raise EstimationError(f"treated unit {treated_unit!r} is not in the panel")
    controls = [c for c in (controls if controls is not None else panel.columns) if c != treated_unit]
    missing = [c for c in controls if c not in panel.columns]
    if missing:
        raise EstimationError(f"comparison units not in the panel: {', '.join(map(str, missing[:10]))}")
    start = pd.Timestamp(treatment_start)
    periods = pd.DatetimeIndex(panel.index)
    window = periods <= pd.Timestamp(end) if end is not None else np.ones(len(periods), bool)
    pre = np.asarray((periods < start) & window)
    post = np.asarray((periods >= start) & window)
    if pre.sum() < 2:
        raise EstimationError(
            f"{treated_unit}: treatment starts {start:%Y-%m}, leaving {int(pre.sum())} pre-period month(s); "
            "at least 2 are needed to compare trends"
        )
    if post.sum() < 1:
        raise EstimationError(f"{treated_unit}: no period on or after {start:%Y-%m} in the data")
    if len(controls) < 2:
        raise EstimationError(f"{treated_unit}: at least 2 comparison units are needed, got {len(controls)}")

    used = pre | post
    values = panel.loc[used, [treated_unit, *controls]]
    if values.isna().to_numpy().any():
        where = values.isna().stack()
        unit_period = where[where].index[0]
        raise EstimationError(f"missing outcome for {unit_period[1]} in {unit_period[0]:%Y-%m}")
    outcome = values.to_numpy(dtype=float)
    pre_used, post_used = pre[used], post[used]
    treated_series = outcome[:, 0]
    control_matrix = outcome[:, 1:]
    comparison_mean = control_matrix.mean(axis=1)

    treated_stat, treated_scale, treated_gap = _studentised_did(
        treated_series[:, None], comparison_mean[:, None], pre_used, post_used
    )
    estimate = float(treated_stat[0] * treated_scale[0])
    scale = float(treated_scale[0])

    placebo_ids = np.asarray(controls)
    n_controls = control_matrix.shape[1]
    others_mean = (control_matrix.sum(axis=1, keepdims=True) - control_matrix) / (n_controls - 1)
    placebo_stats, placebo_scales, placebo_gap = _studentised_did(control_matrix, others_mean, pre_used, post_used)
    flat = placebo_scales <= 0
    if flat.any():
        raise EstimationError(
            f"comparison unit(s) with a constant pre-period gap, which cannot be studentised: "
            f"{', '.join(map(str, placebo_ids[flat][:10]))}"
        )
    if scale <= 0:
        raise EstimationError(f"{treated_unit}: the pre-period gap is constant; the noise scale is zero")
    if max_placebos is not None and max_placebos < n_controls:
        chosen = np.random.default_rng(seed).choice(n_controls, size=max_placebos, replace=False)
        placebo_stats, placebo_ids, placebo_gap = placebo_stats[chosen], placebo_ids[chosen], placebo_gap[:, chosen]

    conf_low, conf_high = _inverted_interval(estimate, scale, placebo_stats, alpha)
    p_value = _equal_tailed_p_value(estimate / scale, placebo_stats)
    pre_level = treated_gap[pre_used].mean()
    gaps = pd.DataFrame(
        {
            "treated": treated_series,
            "comparison_mean": comparison_mean,
            "counterfactual": comparison_mean + pre_level,
            "effect": treated_gap - pre_level,
            "post": post_used,
        },
        index=periods[used],
    )
    gaps.index.name = "period"
    return PlaceboDidResult(
        unit=treated_unit,
        treatment_start=start,
        estimate=estimate,
        std_error=float(np.std(placebo_stats, ddof=1) * scale),
        conf_low=conf_low,
        conf_high=conf_high,
        p_value=p_value,
        alpha=alpha,
        pre_rmspe=float(np.sqrt(np.mean((treated_gap[pre_used] - pre_level) ** 2))),
        n_pre=int(pre_used.sum()),
        n_post=int(post_used.sum()),
        gaps=gaps,
        placebo_estimates=pd.Series(placebo_stats * scale, index=placebo_ids, name="placebo_effect"),
        placebo_gaps=pd.DataFrame(
            placebo_gap - placebo_gap[pre_used].mean(axis=0), index=gaps.index, columns=placebo_ids
        ),
        yname=yname,
    )


def min_placebos_for_bounded_interval(alpha: float) -> int:
    """The fewest comparison units for which the permutation interval at ``alpha`` is bounded.

    Each tail of the interval needs one placebo beyond the statistic with
    ``1 / (n + 1) <= alpha / 2``, so ``n >= 2 / alpha - 1``: 39 at the 95% level, 19 at 90%.
    """
    return max(1, math.ceil(round(2.0 / alpha - 1.0, 9)))


def _studentised_did(series: np.ndarray, reference: np.ndarray, pre: np.ndarray, post: np.ndarray):
    """Return (DiD / scale, scale, gap) for each column of ``series`` against ``reference``.

    The scale is the standard deviation of the pre-period gap around its mean.
    """
    gap = series - reference
    pre_mean = gap[pre].mean(axis=0)
    did = gap[post].mean(axis=0) - pre_mean
    scale = gap[pre].std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = did / scale
    return statistic, scale, gap[:, 0] if gap.shape[1] == 1 else gap


def _equal_tailed_p_value(statistic: float, placebo_stats: np.ndarray) -> float:
    """Two-sided p-value, twice the smaller tail, counting the observed unit in both tails."""
    n = placebo_stats.size
    upper = (1 + np.count_nonzero(placebo_stats >= statistic)) / (n + 1)
    lower = (1 + np.count_nonzero(placebo_stats <= statistic)) / (n + 1)
    return float(min(1.0, 2 * min(upper, lower)))


def _inverted_interval(estimate: float, scale: float, placebo_stats: np.ndarray, alpha: float):
    """Effects ``tau`` whose test of ``(estimate - tau) / scale`` is not rejected at ``alpha``.

    A tail keeps ``tau`` while at least ``m`` placebos lie beyond the statistic, where
    ``m`` is the smallest integer with ``(1 + m) / (n + 1) > alpha / 2``. With too few
    placebos for the level, the interval is unbounded.
    """
    n = placebo_stats.size
    needed = math.floor(alpha / 2 * (n + 1) - 1) + 1
    needed = max(needed, 0)
    if needed == 0:
        return -math.inf, math.inf
    ordered = np.sort(placebo_stats)
    lowest_kept = ordered[needed - 1]
    highest_kept = ordered[n - needed]
    return float(estimate - scale * highest_kept), float(estimate - scale * lowest_kept)
