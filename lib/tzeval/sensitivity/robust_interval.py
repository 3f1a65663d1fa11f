"""Confidence intervals under Delta^RM by inverting a conservative union test.

With ``psi_0 = l'beta_post`` and pre-period changes ``d = C beta_pre``, the identified set
is ``|psi_0 - theta| <= Mbar * kappa * max_s |d_s|`` (``kappa``: bias range for a unit
bound). A value ``theta`` lies in it iff, for some pre-period change ``s`` and sign ``b``,
both linear inequalities

    (psi_0 - theta) - Mbar kappa b d_s <= 0   and   -(psi_0 - theta) - Mbar kappa b d_s <= 0

hold. Each pair is tested with the normal critical value z_{1-alpha/2} on both
t statistics (Bonferroni over the two), and ``theta`` is rejected only if every pair is
rejected (intersection-union): the pair true under the data-generating process is
rejected with probability at most alpha, so the test is valid for every process in
Delta^RM. Its acceptance region is a union of intervals, reported by its hull. At
Mbar = 0 it is the conventional interval. For Mbar > 0 it is usually wider than
Rambachan & Roth's conditional/hybrid intervals (R package HonestDiD), which
:mod:`tzeval.sensitivity.hybrid_interval` implements; this test is
``honest_did(..., method="conservative")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .breakdown import breakdown_value

BREAKDOWN_TOLERANCE = 1e-10
MAX_DOUBLINGS = 60


@dataclass(frozen=True)
class UnionTest:
    """Sufficient statistics of the test: target and pre-period changes with covariances.

    Attributes
    ----------
    target : float
        ``l'beta_post``.
    target_variance : float
    changes : ndarray (S,)
        Estimated pre-period changes ``d_s``.
    change_variances, change_covariances : ndarray (S,)
        ``Var(d_s)`` and ``Cov(l'beta_post, d_s)``.
    kappa : float
        Largest ``l'delta_post`` when each post-period change is at most 1.
    critical_value : float
        z_{1-alpha/2}.
    """

    target: float
    target_variance: float
    changes: np.ndarray
    change_variances: np.ndarray
    change_covariances: np.ndarray
    kappa: float
    critical_value: float

    @property
    def target_se(self) -> float:
        return float(np.sqrt(self.target_variance))

    def interval(self, mbar: float) -> tuple[float, float]:
        """Hull of the accepted values of ``l'tau_post`` under Delta^RM(mbar)."""
        scale = mbar * self.kappa * np.concatenate([np.ones_like(self.changes),
                                                    -np.ones_like(self.changes)])
        changes = np.tile(self.changes, 2)
        variances = np.tile(self.change_variances, 2)
        covariances = np.tile(self.change_covariances, 2)
        spread_low = self.target_variance - 2 * scale * covariances + scale**2 * variances
        spread_high = self.target_variance + 2 * scale * covariances + scale**2 * variances
        low = (self.target - scale * changes
               - self.critical_value * np.sqrt(np.clip(spread_low, 0, None)))
        high = (self.target + scale * changes
                + self.critical_value * np.sqrt(np.clip(spread_high, 0, None)))
        accepted = low <= high
        return float(low[accepted].min()), float(high[accepted].max())

    def excludes_zero(self, mbar: float) -> bool:
        low, high = self.interval(mbar)
        return low > 0 or high < 0

    def breakdown(self) -> float:
        """Smallest Mbar at which the interval reaches zero (NaN if it does at Mbar = 0).

        The interval excludes zero for every Mbar below the returned value. Returns inf
        if no Mbar up to 2^60 reaches zero.
        """
        return breakdown_value(lambda mbar: not self.excludes_zero(mbar), BREAKDOWN_TOLERANCE,
                               MAX_DOUBLINGS)


def union_test(
    beta_pre: np.ndarray,
    beta_post: np.ndarray,
    covariance: np.ndarray,
    l_vec: np.ndarray,
    difference_matrix: np.ndarray,
    kappa: float,
    alpha: float,
) -> UnionTest:
    """Collect the statistics of :class:`UnionTest` from the event-study estimates."""
    num_pre = len(beta_pre)
    target_loading = np.concatenate([np.zeros(num_pre), l_vec])
    change_loading = np.hstack([difference_matrix, np.zeros((num_pre, len(beta_post)))])
    return UnionTest(
        target=float(l_vec @ beta_post),
        target_variance=float(target_loading @ covariance @ target_loading),
        changes=difference_matrix @ beta_pre,
        change_variances=np.einsum("ij,jk,ik->i", change_loading, covariance, change_loading),
        change_covariances=change_loading @ covariance @ target_loading,
        kappa=float(kappa),
        critical_value=float(stats.norm.ppf(1 - alpha / 2)),
    )
