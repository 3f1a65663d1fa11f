"""Checks of one territory's identifying assumption, each with a permutation p-value of known size.

The per-territory estimate (:func:`tzeval.placebo_did.placebo_did`) assumes the territory
would have followed the comparison average, shifted to its own level. Nothing in its
interval can see a territory that was drifting away from the comparisons before it was
habilitated: such a drift goes on after habilitation and is read as an effect. These
checks look at the pre-period, where the programme had no effect yet, and compute each
statistic for the territory and, in the same way, for every comparison territory against
the others (the same placebos as the estimate). The territory's rank among them gives a
p-value whose size is known under the estimate's own exchangeability assumption, so a
small or noisy territory is not flagged for being small or noisy.

* **Pre-trend**: the slope of a linear trend fitted to the pre-period gap, divided by
  the residual standard deviation around it.
* **In-time placebos**: the estimator re-run at fake adoption dates one third, one half
  and two thirds of the way through the pre-period, on pre-period data only; the
  statistic is the largest absolute studentised effect over the three dates.
* **Trend-robust estimate**: the same difference-in-differences on gaps from which each
  unit's own pre-period linear trend was removed (extrapolated into the post-period),
  with placebos detrended the same way and the interval obtained by test inversion.
  It stays valid when the territory drifts linearly against the comparisons, at the
  price of a wider interval (a trend extrapolated over years is uncertain).
* **Fit**: the pre-period misfit (root mean square of the gap around its mean) relative
  to the territory's own short-run noise (the standard deviation of month-to-month
  changes over square root 2), ranked against the placebos': it grows with drifts and
  slow swings, not with the size of the noise.
* **Persistence**: the lag-1 autocorrelation of the detrended pre-period gap; the
  studentisation assumes the territory's is like the comparisons', so a value outside
  the range the comparison territories span (lowest to highest) is flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .placebo_did import PlaceboDidResult, _equal_tailed_p_value, _inverted_interval
from .results import EstimateResult, format_table, tidy_frame

IN_TIME_FRACTIONS = (1 / 3, 1 / 2, 2 / 3)
POOR_FIT_SHARE = 0.975
"""The fit warning fires when the territory's misfit ratio exceeds this share of the placebos'."""
PERSISTENCE_RANGE = (0.0, 1.0)
WARNING_CODES = ("pretrend", "placebo_in_time", "not_trend_robust", "poor_fit", "persistence", "few_controls",
                 "unbounded_interval")
"""Short codes written to ``territory_effects.csv``; the README documents each."""


@dataclass
class TerritoryChecks(EstimateResult):
    """Pre-period checks of one territory and its trend-robust estimate.

    Attributes
    ----------
    unit : str
    alpha : float
        Level of the checks and of the trend-robust interval.
    pretrend_statistic, pretrend_p_value : float
        Studentised pre-period slope of the gap and its permutation p-value.
    placebo_in_time_statistic, placebo_in_time_p_value : float
        Largest absolute studentised effect at the fake adoption dates, and its p-value
        (NaN when the pre-period is too short for three fake dates).
    robust_estimate, robust_conf_low, robust_conf_high, robust_p_value : float
        Difference-in-differences on detrended gaps, permutation interval and p-value.
    fit_ratio, fit_share_better : float
        Misfit over own noise, and the share of placebos with a smaller ratio.
    persistence, persistence_low, persistence_high : float
        Lag-1 autocorrelation of the detrended pre-period gap, and the placebos' range (lowest, highest).
    effect_p_value : float
        The default estimate's p-value, for the verdict.
    n_placebos : int
    warnings : list of str
        Codes from :data:`WARNING_CODES`.
    gaps : DataFrame
        Per period: the territory's gap to the comparisons (``gap``, pre-period mean
        removed), its pre-period linear trend extended to every period (``trend``) and
        ``post``.
    """

    unit: str
    alpha: float
    pretrend_statistic: float
    pretrend_p_value: float
    placebo_in_time_statistic: float
    placebo_in_time_p_value: float
    robust_estimate: float
    robust_conf_low: float
    robust_conf_high: float
    robust_p_value: float
    fit_ratio: float
    fit_share_better: float
    persistence: float
    persistence_low: float
    persistence_high: float
    effect_p_value: float
    n_placebos: int
    warnings: list[str] = field(default_factory=list)
    interval_kind: str = field(default="permutation")
    gaps: pd.DataFrame | None = None

    @property
    def trends_rejected(self) -> bool:
        """True when a pre-period check rejects parallel trends at ``alpha``."""
        return "pretrend" in self.warnings or "placebo_in_time" in self.warnings

    @property
    def verdict(self) -> str:
        """How the report words the default estimate.

        ``"not_significant"``; ``"significant_but_trends_rejected"`` when a pre-period
        check rejects parallel trends; ``"significant_not_trend_robust"`` when the checks
        pass but the trend-robust interval contains zero (a drift the pre-period is too
        short or too noisy to detect would explain the gap); ``"significant"`` otherwise.
        """
        if not self.effect_p_value < self.alpha:
            return "not_significant"
        if self.trends_rejected:
            return "significant_but_trends_rejected"
        return "significant_not_trend_robust" if "not_trend_robust" in self.warnings else "significant"

    def to_frame(self) -> pd.DataFrame:
        """One row per check: ``check``, then estimate, std_error, conf_low, conf_high, p_value.

        ``estimate`` is the check's statistic (the effect, for the trend-robust estimate);
        only the trend-robust estimate has an interval, a permutation interval.
        """
        checks = ["pretrend", "placebo_in_time", "trend_robust_effect"]
        return tidy_frame(
            {"unit": [self.unit] * 3, "check": checks},
            [self.pretrend_statistic, self.placebo_in_time_statistic, self.robust_estimate],
            conf_low=[np.nan, np.nan, self.robust_conf_low], conf_high=[np.nan, np.nan, self.robust_conf_high],
            p_value=[self.pretrend_p_value, self.placebo_in_time_p_value, self.robust_p_value],
        )

    def summary(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        lines = [
            f"Pre-period checks of {self.unit} against {self.n_placebos} placebo units (permutation p-values)",
            f"  differential pre-period trend: p = {self.pretrend_p_value:.3f}",
            f"  in-time placebos (fake adoption dates): p = {self.placebo_in_time_p_value:.3f}",
            f"  fit: misfit / own noise = {self.fit_ratio:.2f}, worse than {self.fit_share_better:.0%} of placebos",
            f"  persistence (lag-1 autocorrelation) {self.persistence:.2f}; placebos' range "
            f"[{self.persistence_low:.2f}, {self.persistence_high:.2f}]",
            f"Trend-robust estimate (detrended gaps): {self.robust_estimate:.4f}, {level} permutation interval "
            f"[{self.robust_conf_low:.4f}, {self.robust_conf_high:.4f}], p = {self.robust_p_value:.3f}",
            f"Warnings: {', '.join(self.warnings) or 'none'}; verdict: {self.verdict}",
            "",
            format_table(self.to_frame()),
        ]
        return "\n".join(lines)

    def plot(self):
        """The territory's gap with its pre-period trend extrapolated: what the trend-robust estimate removes."""
        from .plots import pretrend_figure

        return pretrend_figure(self)


@dataclass(frozen=True)
class _Statistics:
    """Every check's statistic for the treated unit (column 0) and each placebo (columns 1..n)."""

    pretrend: np.ndarray
    in_time: np.ndarray
    robust: np.ndarray
    robust_scale: np.ndarray
    fit_ratio: np.ndarray
    persistence: np.ndarray
    trend: np.ndarray


def territory_checks(result: PlaceboDidResult, *, alpha: float | None = None) -> TerritoryChecks:
    """Run every pre-period check on a per-territory estimate.

    Parameters
    ----------
    result : PlaceboDidResult
        The territory's estimate, with its placebo gaps.
    alpha : float, optional
        Level of the checks and of the trend-robust interval; the estimate's by default.

    Returns
    -------
    TerritoryChecks
    """
    alpha = result.alpha if alpha is None else float(alpha)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    gaps = np.column_stack([result.gaps["effect"].to_numpy(dtype=float), result.placebo_gaps.to_numpy(dtype=float)])
    post = result.gaps["post"].to_numpy(dtype=bool)
    stats = _statistics(gaps, post)

    def p_value(values: np.ndarray) -> float:
        return _equal_tailed_p_value(values[0], values[1:]) if np.isfinite(values[0]) else math.nan

    robust_low, robust_high = _inverted_interval(stats.robust[0] * stats.robust_scale[0], stats.robust_scale[0],
                                                 stats.robust[1:], alpha)
    in_time_p = (float((1 + np.count_nonzero(stats.in_time[1:] >= stats.in_time[0])) / stats.in_time.size)
                 if np.isfinite(stats.in_time[0]) else math.nan)
    fit_share = float((stats.fit_ratio[1:] < stats.fit_ratio[0]).mean())
    persistence_low, persistence_high = np.quantile(stats.persistence[1:], PERSISTENCE_RANGE)
    checks = TerritoryChecks(
        unit=result.unit, alpha=alpha,
        pretrend_statistic=float(stats.pretrend[0]), pretrend_p_value=p_value(stats.pretrend),
        placebo_in_time_statistic=float(stats.in_time[0]), placebo_in_time_p_value=in_time_p,
        robust_estimate=float(stats.robust[0] * stats.robust_scale[0]), robust_conf_low=robust_low,
        robust_conf_high=robust_high, robust_p_value=p_value(stats.robust),
        fit_ratio=float(stats.fit_ratio[0]), fit_share_better=fit_share,
        persistence=float(stats.persistence[0]), persistence_low=float(persistence_low),
        persistence_high=float(persistence_high), effect_p_value=result.p_value, n_placebos=gaps.shape[1] - 1,
        gaps=pd.DataFrame({"gap": gaps[:, 0], "trend": stats.trend, "post": post}, index=result.gaps.index),
    )
    checks.warnings.extend(_warnings(checks, result))
    return checks


def _warnings(checks: TerritoryChecks, result: PlaceboDidResult) -> list[str]:
    flags = {
        "pretrend": checks.pretrend_p_value < checks.alpha,
        "placebo_in_time": checks.placebo_in_time_p_value < checks.alpha,
        "not_trend_robust": result.p_value < result.alpha and checks.robust_conf_low <= 0 <= checks.robust_conf_high,
        "poor_fit": checks.fit_share_better > POOR_FIT_SHARE,
        "persistence": not checks.persistence_low <= checks.persistence <= checks.persistence_high,
        "few_controls": checks.n_placebos < 2 / result.alpha - 1,
        "unbounded_interval": not (math.isfinite(result.conf_low) and math.isfinite(result.conf_high)),
    }
    return [code for code in WARNING_CODES if flags[code]]


def _statistics(gaps: np.ndarray, post: np.ndarray) -> _Statistics:
    """Each check's statistic for every column of ``gaps`` (periods x units)."""
    pre = ~post
    n_pre = int(pre.sum())
    time = np.arange(gaps.shape[0], dtype=float)
    centred = time - time[pre].mean()
    pre_gaps = gaps[pre]
    slope = centred[pre] @ (pre_gaps - pre_gaps.mean(axis=0)) / (centred[pre] @ centred[pre])
    intercept = pre_gaps.mean(axis=0)
    detrended = gaps - intercept[None, :] - centred[:, None] * slope[None, :]
    dof = max(n_pre - 2, 1)
    residual_sd = np.sqrt((detrended[pre] ** 2).sum(axis=0) / dof)
    with np.errstate(divide="ignore", invalid="ignore"):
        pretrend = slope / residual_sd
        robust = detrended[post].mean(axis=0) / residual_sd
        misfit = np.sqrt(((pre_gaps - intercept) ** 2).mean(axis=0))
        own_noise = np.diff(pre_gaps, axis=0).std(axis=0, ddof=1) / math.sqrt(2.0)
        fit_ratio = misfit / own_noise
        lagged = detrended[pre]
        persistence = (lagged[1:] * lagged[:-1]).sum(axis=0) / (lagged ** 2).sum(axis=0)
    return _Statistics(pretrend=pretrend, in_time=_in_time_statistic(pre_gaps), robust=robust,
                       robust_scale=residual_sd, fit_ratio=fit_ratio, persistence=persistence,
                       trend=gaps[:, 0] - detrended[:, 0])


def _in_time_statistic(pre_gaps: np.ndarray) -> np.ndarray:
    """Largest absolute studentised DiD over fake adoption dates inside the pre-period."""
    n_pre = pre_gaps.shape[0]
    cuts = sorted({int(round(fraction * n_pre)) for fraction in IN_TIME_FRACTIONS})
    cuts = [cut for cut in cuts if cut >= 2 and n_pre - cut >= 1]
    if len(cuts) < len(IN_TIME_FRACTIONS):
        return np.full(pre_gaps.shape[1], np.nan)
    largest = np.zeros(pre_gaps.shape[1])
    for cut in cuts:
        before, after = pre_gaps[:cut], pre_gaps[cut:]
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = (after.mean(axis=0) - before.mean(axis=0)) / before.std(axis=0, ddof=1)
        largest = np.maximum(largest, np.abs(statistic))
    return largest


__all__ = ["POOR_FIT_SHARE", "TerritoryChecks", "WARNING_CODES", "territory_checks"]
