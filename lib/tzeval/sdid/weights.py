"""Unit weights (omega) and time weights (lambda) of ``synthdid`` for a batch of samples.

The three estimators differ only in their weights, as in ``synthdid``:

* ``"sdid"``: omega with an intercept and ridge ``zeta_omega = (N1 T1)^(1/4) sigma``,
  lambda with an intercept and ridge ``zeta_lambda = 1e-6 sigma``;
* ``"sc"``: omega without intercept and ridge ``1e-6 sigma``, lambda all zero;
* ``"did"``: uniform omega and lambda.

``sigma`` is the standard deviation of the first differences of the control outcomes
before treatment. Both weight problems are solved by :mod:`.frank_wolfe`, by one of
two solvers (``SOLVERS``):

* ``"synthdid"``: ``synthdid``'s Frank–Wolfe with its two-round sparsification, its
  stopping rule (an iteration lowering the objective by ``min_decrease^2 = (1e-5
  sigma)^2`` or less) and its 10,000-iteration cap: the weights R returns, also where R
  stops at the cap without meeting its rule (on Prop 99 and on monthly panels with a
  few hundred controls, it does);
* ``"converged"``: pairwise Frank–Wolfe run until the duality gap certifies that the
  objective is within ``min_decrease^2`` of its minimum, the same number bounding the
  distance to the minimum rather than one iteration's progress. It reaches that in a
  few hundred iterations where ``synthdid`` runs to its cap, and its weights are the
  minimiser's, not wherever the cap left the iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SyntheticDiDError
from .frank_wolfe import SimplexRidgeProblems, Solution, pairwise_frank_wolfe, solve_sparsified
from .panel import BlockPanel
from .samples import UnitSamples

METHODS = ("sdid", "sc", "did")
METHOD_NAMES = {
    "sdid": "synthetic difference-in-differences",
    "sc": "synthetic control",
    "did": "difference-in-differences",
}
SOLVERS = ("synthdid", "converged")
MAX_ITER = 10_000
"""Iteration cap of each weight fit (``synthdid``'s ``max.iter``)."""
# Largest (samples, k, k) Gram array built for one batch of Frank–Wolfe problems; beyond
# it, the unit-weight problems read their Gram matrices from the shared (N, N) one.
GRAM_BUDGET_BYTES = 32 * 2**20


@dataclass(frozen=True)
class Regularisation:
    """Noise level and the tuning constants derived from it, fixed across replications."""

    noise_level: float
    zeta_omega: float
    zeta_lambda: float
    min_decrease: float


@dataclass(frozen=True)
class Convergence:
    """How the weight fits of a batch of samples stopped.

    Attributes
    ----------
    iterations
        ``(R,)`` Frank–Wolfe iterations of each sample's fit.
    converged
        ``(R,)`` True where the solver's stopping rule held, False where the cap stopped it.
    max_iter
        The cap.
    """

    iterations: np.ndarray
    converged: np.ndarray
    max_iter: int

    @classmethod
    def of(cls, solution: Solution, rows: slice, max_iter: int) -> Convergence:
        """The rows ``rows`` of a batch's solution (one weight problem of a stacked batch)."""
        return cls(solution.iterations[rows], solution.converged[rows], max_iter)


@dataclass(frozen=True)
class SampleWeights:
    """``omega`` ``(R, K)`` aligned with ``UnitSamples.controls``; ``lam`` ``(R, T0)``.

    ``omega_convergence`` and ``lambda_convergence`` say how the solver stopped; None for
    weights that were not solved for (all of ``"did"``'s, ``"sc"``'s time weights).
    """

    omega: np.ndarray
    lam: np.ndarray
    omega_convergence: Convergence | None = None
    lambda_convergence: Convergence | None = None


def regularisation(panel: BlockPanel, method: str) -> Regularisation:
    """The defaults of ``synthdid_estimate`` (or ``sc_estimate`` for ``"sc"``)."""
    differences = np.diff(panel.outcomes[: panel.n_control, : panel.n_pre], axis=1)
    if method != "did" and differences.size < 2:
        raise SyntheticDiDError(
            f"method {method!r} needs at least two first differences of control outcomes "
            f"before treatment to set its regularisation; got {panel.n_control} control unit(s) "
            f"and {panel.n_pre} pre-period(s)"
        )
    noise = float(np.std(differences, ddof=1)) if differences.size >= 2 else 0.0
    eta_omega = 1e-6 if method == "sc" else (panel.n_treated * panel.n_post) ** 0.25
    return Regularisation(
        noise_level=noise,
        zeta_omega=eta_omega * noise,
        zeta_lambda=1e-6 * noise,
        min_decrease=1e-5 * noise,
    )


def fit_weights(
    panel: BlockPanel,
    method: str,
    tuning: Regularisation,
    samples: UnitSamples,
    omega_start: np.ndarray | None = None,
    lambda_start: np.ndarray | None = None,
    solver: str = "synthdid",
) -> SampleWeights:
    """Weights of ``method`` for every sample.

    Parameters
    ----------
    omega_start, lambda_start
        Starting points of Frank–Wolfe, ``(R, K)`` and ``(R, T0)``; uniform when None
        (``synthdid`` warm-starts its placebos and bootstraps from the fitted weights).
    solver
        ``"synthdid"`` or ``"converged"`` (see the module docstring).
    """
    if solver not in SOLVERS:
        raise SyntheticDiDError(f"solver must be one of {SOLVERS}, got {solver!r}")
    available = samples.available
    uniform_omega = available / available.sum(axis=1, keepdims=True)
    uniform_lambda = np.full((samples.size, panel.n_pre), 1.0 / panel.n_pre)
    if method == "did":
        return SampleWeights(uniform_omega, uniform_lambda)
    omega_start = uniform_omega if omega_start is None else omega_start
    lambda_start = uniform_lambda if lambda_start is None else lambda_start
    fit_lambda = method == "sdid"

    unit_gram = _unit_gram(panel, intercept=method == "sdid")
    width = max(samples.controls.shape[1], panel.n_pre)
    n_problems = samples.size * (2 if fit_lambda else 1)
    size = samples.size
    if 8 * n_problems * width * width <= GRAM_BUDGET_BYTES:
        # small problems: one batch, so both weight problems advance in the same numpy calls
        batch = [_unit_problems(panel, samples, unit_gram, tuning.zeta_omega, shared=False)]
        starts = [omega_start]
        if fit_lambda:
            batch.append(_time_problems(panel, samples, tuning.zeta_lambda))
            starts.append(lambda_start)
        solved = _solve(_stack(batch, width), _stack_starts(starts, width), tuning, solver)
        omega = solved.weights[:size, : samples.controls.shape[1]]
        if not fit_lambda:
            return SampleWeights(omega, np.zeros_like(uniform_lambda), Convergence.of(solved, slice(None), MAX_ITER))
        return SampleWeights(
            omega,
            solved.weights[size:, : panel.n_pre],
            Convergence.of(solved, slice(None, size), MAX_ITER),
            Convergence.of(solved, slice(size, None), MAX_ITER),
        )

    # many controls: unit-weight Gram matrices stay submatrices of the shared unit Gram
    unit_problems = _unit_problems(panel, samples, unit_gram, tuning.zeta_omega, shared=True)
    omega = _solve(unit_problems, omega_start, tuning, solver)
    if not fit_lambda:
        return SampleWeights(
            omega.weights, np.zeros_like(uniform_lambda), Convergence.of(omega, slice(None), MAX_ITER)
        )
    lam = _solve(_time_problems(panel, samples, tuning.zeta_lambda), lambda_start, tuning, solver)
    return SampleWeights(
        omega.weights,
        lam.weights,
        Convergence.of(omega, slice(None), MAX_ITER),
        Convergence.of(lam, slice(None), MAX_ITER),
    )


def _solve(problems: SimplexRidgeProblems, start: np.ndarray, tuning: Regularisation, solver: str) -> Solution:
    if solver == "synthdid":
        return solve_sparsified(problems, start, tuning.min_decrease, max_iter=MAX_ITER)
    # the minimiser is unique (zeta > 0), so sparsifying a first round would only move the start
    return pairwise_frank_wolfe(problems, start, tuning.min_decrease**2, max_iter=MAX_ITER)


def _unit_gram(panel: BlockPanel, intercept: bool) -> np.ndarray:
    """``(N, N)`` inner products of the pre-treatment trajectories (time-demeaned with an
    intercept): every unit-weight problem's Gram matrix is a submatrix of it."""
    pre = panel.outcomes[:, : panel.n_pre]
    if intercept:
        pre = pre - pre.mean(axis=1, keepdims=True)
    return pre @ pre.T


def _unit_problems(
    panel: BlockPanel, samples: UnitSamples, unit_gram: np.ndarray, zeta: float, shared: bool
) -> SimplexRidgeProblems:
    """Fit the treated average's pre-trajectory by the controls' (``omega``)."""
    available = samples.available
    index = np.where(available, samples.controls, 0)
    with_treated = samples.treated_share @ unit_gram  # (R, N): inner products with the target
    cross = np.where(available, np.take_along_axis(with_treated, index, axis=1), 0.0)
    target_sq = np.einsum("rn,rn->r", with_treated, samples.treated_share)
    size = samples.size
    common = {
        "cross": cross,
        "target_sq": target_sq,
        "n_rows": np.full(size, float(panel.n_pre)),
        "zeta": np.full(size, zeta),
        "available": available,
    }
    if shared:
        return SimplexRidgeProblems(gram=None, shared_gram=unit_gram, columns=index, **common)
    both = available[:, :, None] & available[:, None, :]
    gram = np.where(both, unit_gram[index[:, :, None], index[:, None, :]], 0.0)
    return SimplexRidgeProblems(gram=gram, **common)


def _time_problems(panel: BlockPanel, samples: UnitSamples, zeta: float) -> SimplexRidgeProblems:
    """Fit the controls' post-treatment mean by their pre-treatment periods (``lambda``),
    with an intercept: columns are centred over the sample's controls, repeats counted."""
    n_pre = panel.n_pre
    controls = panel.outcomes[: panel.n_control]
    columns = np.column_stack([controls[:, :n_pre], controls[:, n_pre:].mean(axis=1)])
    # centring on all controls first limits cancellation in the moment formula below
    columns = columns - columns.mean(axis=0)
    multiplicity = np.zeros((samples.size, panel.n_control))
    rows = np.broadcast_to(np.arange(samples.size)[:, None], samples.controls.shape)
    mask = samples.available
    np.add.at(multiplicity, (rows[mask], samples.controls[mask]), 1.0)
    n_rows = multiplicity.sum(axis=1)

    moments = np.empty((samples.size, n_pre + 1, n_pre + 1))
    chunk = max(1, GRAM_BUDGET_BYTES // (8 * columns.size))
    for first in range(0, samples.size, chunk):
        part = slice(first, first + chunk)
        weighted = multiplicity[part, :, None] * columns[None, :, :]
        moments[part] = np.matmul(weighted.transpose(0, 2, 1), columns)
    means = multiplicity @ columns / n_rows[:, None]
    moments -= n_rows[:, None, None] * means[:, :, None] * means[:, None, :]
    return SimplexRidgeProblems(
        gram=moments[:, :n_pre, :n_pre],
        cross=moments[:, :n_pre, n_pre],
        target_sq=moments[:, n_pre, n_pre],
        n_rows=n_rows,
        zeta=np.full(samples.size, zeta),
    )


def _stack(batch: list[SimplexRidgeProblems], width: int) -> SimplexRidgeProblems:
    """One batch of problems padded to ``width`` candidates."""
    grams, crosses, availables = [], [], []
    for problems in batch:
        size, k = problems.cross.shape
        gram = np.zeros((size, width, width))
        gram[:, :k, :k] = problems.gram
        cross = np.zeros((size, width))
        cross[:, :k] = problems.cross
        available = np.zeros((size, width), dtype=bool)
        available[:, :k] = True if problems.available is None else problems.available
        grams.append(gram)
        crosses.append(cross)
        availables.append(available)
    return SimplexRidgeProblems(
        gram=np.concatenate(grams),
        cross=np.concatenate(crosses),
        target_sq=np.concatenate([p.target_sq for p in batch]),
        n_rows=np.concatenate([p.n_rows for p in batch]),
        zeta=np.concatenate([p.zeta for p in batch]),
        available=np.concatenate(availables),
    )


def _stack_starts(starts: list[np.ndarray], width: int) -> np.ndarray:
    padded = []
    for start in starts:
        block = np.zeros((start.shape[0], width))
        block[:, : start.shape[1]] = start
        padded.append(block)
    return np.concatenate(padded)
