"""Least squares on the probability simplex, solved exactly by an active-set method.

Synthetic-control weights solve ``min ||A w - b||^2`` subject to ``w >= 0`` and
``sum(w) = 1``. The solver below is Lawson & Hanson's non-negative least squares
adapted to the equality constraint: it keeps a set of strictly positive weights, solves
the equality-constrained least-squares problem on that set, steps back to feasibility
when a weight would turn negative and adds the donor whose gradient most violates the
optimality conditions. It returns an exact vertex-type solution (at most ``rank + 1``
positive weights) and accepts a feasible starting point, which makes it cheap inside
the outer search over predictor weights, where successive problems differ little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_OUTER_ITERATIONS_FACTOR = 4
DEFAULT_TOLERANCE = 1e-9


def optimality_threshold(design: np.ndarray, residual: np.ndarray, tolerance: float) -> float:
    """How far a gradient entry may exceed the multiplier before a donor must enter.

    Gradient entries are inner products of a column with the residual, so the natural
    scale is the largest column norm times the residual norm; an absolute floor keeps
    exact fits from cycling on rounding noise.
    """
    column_norm = float(np.sqrt((design * design).sum(axis=0).max()))
    return tolerance * column_norm * (float(np.sqrt(residual @ residual)) + 1e-12 * column_norm)


@dataclass(frozen=True)
class SimplexSolution:
    """Weights and the Lagrange multiplier of the adding-up constraint.

    ``multiplier`` is the common value of ``A_j' (b - A w)`` over the donors with
    positive weight; donors outside the support have a value at most this large.
    """

    weights: np.ndarray
    support: np.ndarray
    multiplier: float


def _equality_constrained_lstsq(columns: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Minimise ``||columns @ z - target||`` subject to ``sum(z) = 1``.

    The optimality system ``[[C'C, 1], [1', 0]] [z, mu] = [C'b, 1]`` is solved directly
    (fast for the few columns of a support); when it is singular the constraint is
    eliminated instead, by writing every column relative to the first, and the reduced
    problem goes to ``lstsq``.
    """
    size = columns.shape[1]
    if size == 1:
        return np.ones(1)
    gram = columns.T @ columns
    system = np.empty((size + 1, size + 1))
    system[:size, :size] = gram
    system[:size, size] = 1.0
    system[size, :size] = 1.0
    system[size, size] = 0.0
    rhs = np.empty(size + 1)
    rhs[:size] = columns.T @ target
    rhs[size] = 1.0
    try:
        solution = np.linalg.solve(system, rhs)
        if np.isfinite(solution).all():
            return solution[:size]
    except np.linalg.LinAlgError:
        pass
    reference = columns[:, 0]
    differences = columns[:, 1:] - reference[:, None]
    others, *_ = np.linalg.lstsq(differences, target - reference, rcond=None)
    return np.concatenate(([1.0 - others.sum()], others))


def simplex_least_squares(
    design: np.ndarray,
    target: np.ndarray,
    start: np.ndarray | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> SimplexSolution:
    """Solve ``min ||design @ w - target||^2`` over the probability simplex.

    Parameters
    ----------
    design : ndarray, shape (n_rows, n_donors)
        One column per donor (already multiplied by the square root of any row weights).
    target : ndarray, shape (n_rows,)
        The treated unit's values.
    start : ndarray, optional
        A feasible starting point (non-negative, summing to one), typically the
        solution of a nearby problem. Defaults to the single closest donor.
    tolerance : float
        Relative tolerance of the optimality check (see :func:`optimality_threshold`).

    Returns
    -------
    SimplexSolution
    """
    n_donors = design.shape[1]
    if start is None:
        closest = int(np.argmin(((design - target[:, None]) ** 2).sum(axis=0)))
        weights = np.zeros(n_donors)
        weights[closest] = 1.0
    else:
        weights = np.where(start > 0, start, 0.0)
        weights = weights / weights.sum()
    support = weights > 0
    blocked = np.zeros(n_donors, dtype=bool)

    for _ in range(MAX_OUTER_ITERATIONS_FACTOR * n_donors + 10):
        weights, support = _restore_feasibility(design, target, weights, support)
        residual = target - design @ weights
        gradient = design.T @ residual
        multiplier = float(gradient[support].mean())
        violation = np.where(support | blocked, -np.inf, gradient - multiplier)
        entering = int(np.argmax(violation))
        if violation[entering] <= optimality_threshold(design, residual, tolerance):
            return SimplexSolution(weights, support, multiplier)
        trial = support.copy()
        trial[entering] = True
        trial_weights = _equality_constrained_lstsq(design[:, trial], target)
        position = int(np.flatnonzero(np.flatnonzero(trial) == entering)[0])
        if trial_weights[position] <= 0:
            # Rounding can make the entering donor useless; skip it so the loop ends.
            blocked[entering] = True
            continue
        blocked[:] = False
        support = trial
    return SimplexSolution(weights, support, float(gradient[support].mean()))


def _restore_feasibility(
    design: np.ndarray, target: np.ndarray, weights: np.ndarray, support: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Inner loop of Lawson-Hanson: optimise on the support, shrinking it if needed."""
    while True:
        indices = np.flatnonzero(support)
        candidate = _equality_constrained_lstsq(design[:, indices], target)
        if np.all(candidate > 0):
            weights = np.zeros_like(weights)
            weights[indices] = candidate
            return weights, support
        current = weights[indices]
        negative = candidate <= 0
        step = np.min(current[negative] / (current[negative] - candidate[negative]))
        moved = current + step * (candidate - current)
        moved[moved <= 1e-14] = 0.0
        # The donor that hit zero first always leaves, even if rounding kept it positive.
        first = np.flatnonzero(negative)[
            np.argmin(current[negative] / (current[negative] - candidate[negative]))
        ]
        moved[first] = 0.0
        weights = np.zeros_like(weights)
        weights[indices] = moved
        weights /= weights.sum()
        support = weights > 0
