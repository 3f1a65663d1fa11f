"""Quantiles of a standard normal truncated to an interval, vectorised and tail-safe."""

from __future__ import annotations

import numpy as np
from scipy import stats


def truncated_normal_quantile(p: float, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The ``p`` quantile of ``Z ~ N(0, 1)`` conditional on ``lower <= Z <= upper``.

    Parameters
    ----------
    p : float
        Probability in (0, 1).
    lower, upper : ndarray
        Truncation points (``-inf``/``inf`` allowed), broadcast together.

    Returns
    -------
    ndarray
        The quantiles; the endpoint nearer to 0 where the interval has (numerically) no
        mass.

    Notes
    -----
    Intervals in the upper tail are handled through the survival function by symmetry
    (``-Z``), so that truncation far from zero keeps its precision.
    """
    lower, upper = np.broadcast_arrays(np.asarray(lower, float), np.asarray(upper, float))
    upper_tail = lower > 0
    # Upper-tail intervals: quantile p of Z on [l, u] is minus the quantile 1 - p of Z on [-u, -l].
    low = np.where(upper_tail, -upper, lower)
    high = np.where(upper_tail, -lower, upper)
    level = np.where(upper_tail, 1 - p, p)
    cdf_low, cdf_high = stats.norm.cdf(low), stats.norm.cdf(high)
    with np.errstate(invalid="ignore"):
        quantile = stats.norm.ppf(cdf_low + level * (cdf_high - cdf_low))
    # After the reflection every massless interval lies below 0: its mass concentrates at high.
    quantile = np.clip(np.where(cdf_high > cdf_low, quantile, high), low, high)
    return np.where(upper_tail, -quantile, quantile)
