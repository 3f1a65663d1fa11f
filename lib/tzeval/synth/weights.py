"""Donor weights W and predictor weights V: the nested optimisation of Abadie et al.

For a diagonal ``V`` the donor weights minimise the predictor distance
``(x1 - X0 w)' V (x1 - X0 w)`` over the simplex (:mod:`.simplex`). ``V`` is chosen to
minimise the outcome MSPE over the fit periods, ``||z1 - Z0 w(V)||^2 / T_fit``. That outer
problem is not convex, so it is started from several points: equal weights, the
regression-based start of R ``Synth`` and, optionally, a few random points; the best end
point wins.

The outer search uses exact gradients: on the support ``P`` of ``w`` the optimality
conditions of the inner problem are a linear system in ``(w_P, multiplier)``, so the
implicit-function theorem gives ``dw/dV`` and, through one adjoint solve, the gradient of
the MSPE in all predictor weights at once. The MSPE is piecewise smooth (its pieces
change when the support changes); a spectral projected gradient in ``log V`` copes with
the kinks and with weights that span orders of magnitude.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import SyntheticControlInputError
from .simplex import DEFAULT_TOLERANCE, optimality_threshold, simplex_least_squares

# Predictor weights live in [V_FLOOR, 1]; the MSPE only depends on V up to scale, and
# the floor keeps every predictor in the inner problem, so ties between donors that
# match on the heavily weighted predictors are broken by the others.
V_FLOOR = 1e-6
# Squared predictor distance (scaled units, per predictor) below which the treated unit
# counts as inside the donors' convex hull, and the weight of the predictor rows that
# then enforce the exact match.
EXACT_MATCH_TOLERANCE = 1e-12
EXACT_MATCH_PENALTY = 1e4


@dataclass(frozen=True)
class WeightFit:
    """Solution of the nested problem.

    Attributes
    ----------
    weights : ndarray, shape (n_donors,)
    v_weights : ndarray, shape (n_predictors,)
        Predictor weights normalised to sum to one (empty without predictors).
    fit_mspe : float
        Outcome MSPE over the fit periods (the outer loss, R ``Synth``'s ``loss.v``).
    predictor_loss : float
        ``(x1 - X0 w)' V (x1 - X0 w)`` with the normalised V (``loss.w``).
    v_identified : bool
        False when V plays no role: no predictors, or predictors matched exactly.
    """

    weights: np.ndarray
    v_weights: np.ndarray
    fit_mspe: float
    predictor_loss: float
    v_identified: bool = True


def scale_predictors(values: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Divide each predictor by its standard deviation across units, as ``Synth`` does.

    Parameters
    ----------
    values : ndarray, shape (n_predictors, n_units)
    labels : sequence of str
        Predictor names, for the error message.
    """
    spread = values.std(axis=1, ddof=1)
    flat = ~(spread > 0)
    if flat.any():
        raise SyntheticControlInputError(
            f"Predictor(s) {', '.join(repr(labels[i]) for i in np.flatnonzero(flat))} take the "
            "same value for every unit, so they cannot be scaled or help the fit; drop them."
        )
    return values / spread[:, None]


class PredictorWeightObjective:
    """Outcome MSPE over the fit periods as a function of the predictor weights.

    Calls return ``(mspe, gradient)``. The support of the last donor weights is kept:
    successive calls of the outer search usually share it, and then two solves with the
    same ``(|P|+1)``-square matrix give the new weights and the adjoint of the gradient.
    Otherwise the active-set solver takes over, warm-started from the last weights.
    """

    def __init__(
        self, x_treated, x_donors, z_treated, z_donors, tolerance: float = DEFAULT_TOLERANCE
    ):
        self.x_treated = x_treated
        self.x_donors = x_donors
        self.z_treated = z_treated
        self.z_donors = z_donors
        self.tolerance = tolerance
        self.last_weights: np.ndarray | None = None
        self.best: tuple[float, np.ndarray, np.ndarray] = (np.inf, np.empty(0), np.empty(0))

    def _kkt_system(self, v: np.ndarray, support: np.ndarray) -> np.ndarray:
        """The matrix ``[[X_P' V X_P, 1], [1', 0]]`` of the optimality conditions on ``P``."""
        size = support.shape[0]
        x_support = self.x_donors[:, support]
        system = np.zeros((size + 1, size + 1))
        system[:size, :size] = x_support.T @ (v[:, None] * x_support)
        system[:size, size] = 1.0
        system[size, :size] = 1.0
        return system

    def _weights_on_last_support(self, v: np.ndarray):
        """Weights, support and KKT matrix if the last support is still optimal, else None."""
        if self.last_weights is None:
            return None
        support = np.flatnonzero(self.last_weights > 0)
        system = self._kkt_system(v, support)
        size = support.shape[0]
        rhs = np.empty(size + 1)
        rhs[:size] = self.x_donors[:, support].T @ (v * self.x_treated)
        rhs[size] = 1.0
        try:
            solution = np.linalg.solve(system, rhs)
        except np.linalg.LinAlgError:
            return None
        if not np.all(solution[:size] > 0):
            return None
        weights = np.zeros(self.x_donors.shape[1])
        weights[support] = solution[:size]
        root = np.sqrt(v)
        residual = root * (self.x_treated - self.x_donors @ weights)
        design = root[:, None] * self.x_donors
        gradient = design.T @ residual
        outside = np.ones(weights.shape[0], dtype=bool)
        outside[support] = False
        threshold = optimality_threshold(design, residual, self.tolerance)
        if np.any(gradient[outside] - solution[size] > threshold):
            return None
        return weights, support, system

    def donor_weights(self, v: np.ndarray) -> np.ndarray:
        """Donor weights for predictor weights ``v`` (exact simplex-constrained solution)."""
        return self._solve(v)[0]

    def _solve(self, v: np.ndarray):
        found = self._weights_on_last_support(v)
        if found is None:
            root = np.sqrt(v)
            solution = simplex_least_squares(
                root[:, None] * self.x_donors, root * self.x_treated, start=self.last_weights
            )
            weights = solution.weights
            support = np.flatnonzero(weights > 0)
            found = (weights, support, self._kkt_system(v, support))
        self.last_weights = found[0]
        return found

    def __call__(self, v: np.ndarray) -> tuple[float, np.ndarray]:
        weights, support, system = self._solve(v)
        n_fit = self.z_treated.shape[0]
        error = self.z_treated - self.z_donors @ weights
        mspe = float(error @ error) / n_fit
        if mspe < self.best[0]:
            self.best = (mspe, v.copy(), weights)
        size = support.shape[0]
        # Adjoint of the stationarity conditions on the support,
        # X_P' V (X_P w_P - x1) + (mu / 2) 1 = 0 and 1' w_P = 1, for d mspe / d v.
        adjoint_rhs = np.zeros(size + 1)
        adjoint_rhs[:size] = (-1.0 / n_fit) * (self.z_donors[:, support].T @ error)
        try:
            adjoint = np.linalg.solve(system, adjoint_rhs)
        except np.linalg.LinAlgError:
            adjoint, *_ = np.linalg.lstsq(system, adjoint_rhs, rcond=None)
        residual = self.x_treated - self.x_donors @ weights
        gradient = 2.0 * residual * (self.x_donors[:, support] @ adjoint[:size])
        return mspe, gradient


def spectral_projected_gradient(
    objective,
    start: np.ndarray,
    lower: float,
    upper: float,
    max_iterations: int,
    memory: int = 10,
    tolerance: float = 1e-10,
    max_failures: int = 2,
) -> None:
    """Minimise ``objective`` over the box ``[lower, upper]^n`` (Birgin, Martinez & Raydan 2000).

    Projected gradient steps with Barzilai-Borwein lengths and a non-monotone Armijo
    search. When the search fails (typically at a kink of the synthetic-control loss) the
    step is reset to a short one and the descent goes on, up to ``max_failures`` times.
    Preferred to scipy's L-BFGS-B, whose calls into a multithreaded BLAS make each
    iteration orders of magnitude slower on a busy machine. The objective keeps its best
    point itself, so nothing is returned.
    """
    point = np.clip(start, lower, upper)
    value, gradient = objective(point)
    history = [value]

    def short_step() -> float:
        reach = float(np.abs(np.clip(point - gradient, lower, upper) - point).max())
        return 1.0 / max(reach, 1e-12)

    step = short_step()
    failures = 0
    for _ in range(max_iterations):
        direction = np.clip(point - step * gradient, lower, upper) - point
        if float(np.abs(direction).max()) <= 1e-12:
            return
        slope = float(gradient @ direction)
        reference = max(history[-memory:])
        fraction = 1.0
        while fraction >= 1e-6:
            trial = point + fraction * direction
            trial_value, trial_gradient = objective(trial)
            if trial_value <= reference + 1e-4 * fraction * slope:
                break
            fraction *= 0.3
        else:
            failures += 1
            if failures > max_failures:
                return
            step = 1e-2 * short_step()
            continue
        moved = trial - point
        curvature = float(moved @ (trial_gradient - gradient))
        step = float(moved @ moved) / curvature if curvature > 0 else 1e3
        step = min(max(step, 1e-10), 1e10)
        point, value, gradient = trial, trial_value, trial_gradient
        history.append(value)
        if len(history) > memory and history[-memory - 1] - value <= tolerance * abs(value):
            return


def _in_log_space(objective):
    """The objective as a function of ``log v``: predictor weights span orders of magnitude."""

    def wrapped(log_v: np.ndarray) -> tuple[float, np.ndarray]:
        v = np.exp(log_v)
        value, gradient = objective(v)
        return value, gradient * v

    return wrapped


def regression_start(x_all: np.ndarray, z_all: np.ndarray) -> np.ndarray | None:
    """``Synth``'s second start: squared coefficients of the fit outcomes on the predictors.

    Regress every fit-period outcome on the (scaled) predictors across units with an
    intercept; V is proportional to the row sums of squared slopes. ``None`` when the
    regression is not identified (fewer units than predictors plus two).
    """
    n_predictors, n_units = x_all.shape
    if n_units < n_predictors + 2:
        return None
    design = np.column_stack([np.ones(n_units), x_all.T])
    coefficients, _, rank, _ = np.linalg.lstsq(design, z_all.T, rcond=None)
    if rank < design.shape[1]:
        return None
    strength = (coefficients[1:] ** 2).sum(axis=1)
    if not np.all(np.isfinite(strength)) or strength.sum() <= 0:
        return None
    return strength / strength.sum()


def _exact_match_weights(x_treated, x_donors, z_treated, z_donors) -> np.ndarray:
    """Among the weights that reproduce the predictors exactly, those fitting the outcome best.

    When the treated unit lies inside the convex hull of the donors' predictors every V
    gives a zero predictor distance and the inner problem has a whole face of solutions;
    the outer loss then picks among them. The predictor equations enter as heavily
    weighted rows, which makes the solution lexicographic: predictors first, then outcome.
    """
    outcome_scale = max(float(np.abs(z_donors).max()), 1.0)
    predictor_scale = max(float(np.abs(x_donors).max()), 1.0)
    weight = EXACT_MATCH_PENALTY * np.sqrt(z_treated.shape[0])
    design = np.vstack([z_donors / outcome_scale, weight * x_donors / predictor_scale])
    target = np.concatenate([z_treated / outcome_scale, weight * x_treated / predictor_scale])
    return simplex_least_squares(design, target).weights


def fit_weights(
    x_treated: np.ndarray,
    x_donors: np.ndarray,
    z_treated: np.ndarray,
    z_donors: np.ndarray,
    extra_starts: Sequence[np.ndarray] = (),
    n_random_starts: int = 0,
    rng: np.random.Generator | None = None,
    max_iterations: int = 100,
) -> WeightFit:
    """Solve the nested synthetic-control problem.

    Parameters
    ----------
    x_treated : ndarray, shape (n_predictors,)
        Scaled predictors of the treated unit.
    x_donors : ndarray, shape (n_predictors, n_donors)
        Scaled predictors of the donors.
    z_treated : ndarray, shape (n_fit,)
        Outcome of the treated unit over the fit periods.
    z_donors : ndarray, shape (n_fit, n_donors)
    extra_starts : sequence of ndarray
        Further starting values of V (for instance the solution of a related problem).
    n_random_starts : int
        Number of additional random starts (Dirichlet draws).
    rng : numpy Generator, optional
        Source of the random starts.
    max_iterations : int
        Projected-gradient iterations per start.

    Returns
    -------
    WeightFit

    Notes
    -----
    Two cases bypass the search. Without predictors the weights fit the outcome over
    the fit periods directly. When the predictors can be matched exactly, V is not
    identified (every V is optimal) and the weights are the exact match that fits the
    outcome best; ``v_weights`` are then equal and ``v_identified`` is False. The search
    also stops early once a start reaches the outcome-only fit, a lower bound of the loss.
    """
    n_fit = z_treated.shape[0]
    n_predictors = x_donors.shape[0]

    def finish(weights: np.ndarray, v_weights: np.ndarray, identified: bool) -> WeightFit:
        error = z_treated - z_donors @ weights
        distance = x_treated - x_donors @ weights
        return WeightFit(
            weights=weights,
            v_weights=v_weights,
            fit_mspe=float(error @ error) / n_fit,
            predictor_loss=float(distance @ (v_weights * distance)) if n_predictors else np.nan,
            v_identified=identified,
        )

    outcome_only = simplex_least_squares(z_donors, z_treated).weights
    if n_predictors == 0:
        return finish(outcome_only, np.empty(0), False)
    equal = np.full(n_predictors, 1.0 / n_predictors)
    closest = simplex_least_squares(x_donors, x_treated).weights
    gap = x_treated - x_donors @ closest
    if gap @ gap <= EXACT_MATCH_TOLERANCE * n_predictors:
        weights = _exact_match_weights(x_treated, x_donors, z_treated, z_donors)
        return finish(weights, equal, False)
    if n_predictors == 1:
        return finish(closest, np.ones(1), True)

    error = z_treated - z_donors @ outcome_only
    lower_bound = float(error @ error) / n_fit
    objective = PredictorWeightObjective(x_treated, x_donors, z_treated, z_donors)
    starts = [equal]
    by_regression = regression_start(
        np.column_stack([x_treated, x_donors]), np.column_stack([z_treated, z_donors])
    )
    if by_regression is not None:
        starts.append(by_regression)
    starts.extend(np.asarray(s, dtype=float) for s in extra_starts)
    if n_random_starts:
        rng = np.random.default_rng() if rng is None else rng
        starts.extend(rng.dirichlet(np.ones(n_predictors), size=n_random_starts))

    for start in starts:
        start = np.clip(start / start.max(), V_FLOOR, 1.0)
        spectral_projected_gradient(
            _in_log_space(objective), np.log(start), np.log(V_FLOOR), 0.0, max_iterations
        )
        if objective.best[0] <= lower_bound * (1 + 1e-9) + 1e-12:
            break

    # The best point ever evaluated, with the donor weights computed there: re-solving
    # from scratch could land on another solution when the inner problem is near-flat.
    _, best_v, best_weights = objective.best
    return finish(best_weights, best_v / best_v.sum(), True)
