"""Rambachan & Roth (2023) relative-magnitudes restriction on parallel-trends violations.

Event-study coefficients ``beta = tau + delta``: ``delta`` is the bias from a violation
of parallel trends, ``tau_pre = 0``, and the reference period (event time -1) is
normalised to ``delta_0 = 0``. Under Delta^RM(Mbar) every post-period change of the bias
is at most Mbar times the largest pre-period change:

    |delta_{t+1} - delta_t| <= Mbar * max_{s<0} |delta_{s+1} - delta_s|   for t >= 0.

The pre-period biases equal the pre-period coefficients, so the largest pre-period change
``m`` is identified and the post-period biases range over a polyhedron.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from .errors import SensitivityInputError


def pre_difference_matrix(num_pre_periods: int) -> np.ndarray:
    """Matrix mapping pre-period coefficients to consecutive changes of the bias.

    Coefficients are ordered by event time, the last one just before the reference
    period (normalised to 0), so the last change is ``0 - beta_{-2}``.
    """
    matrix = np.zeros((num_pre_periods, num_pre_periods))
    for row in range(num_pre_periods - 1):
        matrix[row, row], matrix[row, row + 1] = -1.0, 1.0
    matrix[-1, -1] = -1.0
    return matrix


def largest_pre_change(beta_pre: np.ndarray) -> float:
    """The largest absolute consecutive change of the pre-period bias, reference included."""
    return float(np.abs(pre_difference_matrix(len(beta_pre)) @ beta_pre).max())


def post_bias_range(l_vec: np.ndarray, bound: float) -> tuple[float, float]:
    """Range of ``l' delta_post`` when each post-period change of the bias is at most ``bound``.

    Solves the two linear programs ``min/max l'delta`` subject to
    ``|delta_t - delta_{t-1}| <= bound`` for ``t = 1..T`` with ``delta_0 = 0``.
    """
    l_vec = np.asarray(l_vec, dtype=float)
    if bound < 0:
        raise SensitivityInputError(f"the bound on post-period changes must be >= 0, got {bound}")
    if bound == 0:
        return 0.0, 0.0
    n_post = len(l_vec)
    changes = np.eye(n_post) - np.eye(n_post, k=-1)  # row t: delta_t - delta_{t-1}
    a_ub = np.vstack([changes, -changes])
    b_ub = np.full(2 * n_post, bound)
    free = [(None, None)] * n_post
    extremes = []
    for sign in (1.0, -1.0):
        solution = linprog(sign * l_vec, A_ub=a_ub, b_ub=b_ub, bounds=free, method="highs")
        if solution.status != 0:
            raise RuntimeError(f"linear program for the bias range failed: {solution.message}")
        extremes.append(sign * solution.fun)
    return extremes[0], extremes[1]


def identified_set(
    beta_pre: np.ndarray, beta_post: np.ndarray, l_vec: np.ndarray, mbar: float
) -> tuple[float, float]:
    """Bounds on ``l' tau_post`` under Delta^RM(mbar) given the true coefficients."""
    low_bias, high_bias = post_bias_range(l_vec, mbar * largest_pre_change(beta_pre))
    point = float(l_vec @ beta_post)
    return point - high_bias, point - low_bias
