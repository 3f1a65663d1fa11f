"""Wald pre-test of parallel trends on the pre-treatment group-time effects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

MACHINE_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class PreTrendTest:
    """Wald test that every pre-treatment ATT(g, t) is zero.

    Attributes
    ----------
    statistic : float
        ``n * att' V^-1 att`` with ``V`` the analytical covariance of the influence
        functions (NaN when the test cannot be computed, see ``note``).
    df : int
        Number of pre-treatment cells tested.
    p_value : float
        Chi-squared tail probability.
    note : str
        Why the test is missing, empty otherwise.
    """

    statistic: float
    df: int
    p_value: float
    note: str = ""


def wald_pretest(estimate: np.ndarray, influence: np.ndarray, pre: np.ndarray) -> PreTrendTest:
    """Pre-test of R ``did``'s summary ("P-value for pre-test of parallel trends assumption").

    Parameters
    ----------
    estimate : ndarray
        ATT(g, t) estimates.
    influence : ndarray
        ``(n_units, k)`` influence functions.
    pre : ndarray of bool
        Cells before treatment and anticipation. Cells with zero variance (reference
        cells) are left out.
    """
    n_units = influence.shape[0]
    variance_diag = np.einsum("ij,ij->j", influence, influence) / n_units
    varies = np.sqrt(variance_diag / n_units) > np.sqrt(MACHINE_EPS) * 10
    tested = np.flatnonzero(pre & varies)
    if len(tested) == 0:
        return PreTrendTest(np.nan, 0, np.nan, "no pre-treatment cells to test")
    psi = influence[:, tested]
    covariance = psi.T @ psi / n_units
    if 1.0 / np.linalg.cond(covariance, 1) <= MACHINE_EPS:
        return PreTrendTest(
            np.nan, len(tested), np.nan, "singular covariance of the pre-treatment effects"
        )
    att = estimate[tested]
    statistic = float(n_units * att @ np.linalg.solve(covariance, att))
    return PreTrendTest(statistic, len(tested), float(chi2.sf(statistic, len(tested))))
