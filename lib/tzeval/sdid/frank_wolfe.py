"""Frank–Wolfe for many small simplex-constrained ridge regressions at once.

Each problem is ``min_x zeta^2 |x|^2 + |A x - b|^2 / n`` over the unit simplex, the form of
R ``synthdid``'s ``sc.weight.fw``. Two solvers share the batched machinery:

* :func:`frank_wolfe` is ``synthdid``'s iteration: move towards the vertex ``e_i`` of
  smallest half-gradient ``g = A'(Ax - b) + eta x`` (``eta = n zeta^2``) by the step
  ``-g'(e_i - x) / (|A(e_i - x)|^2 + eta |e_i - x|^2)`` clipped to ``[0, 1]``; stop when
  the objective falls by ``min_decrease^2`` or less, or after ``max_iter`` iterations.
  The weights therefore match ``synthdid``'s to rounding, including where ``synthdid``
  stops at its cap: plain Frank–Wolfe creeps towards an optimum on a face of the simplex
  (its decrease shrinks like ``1/t^2``), so with many candidates the rule is often
  never met; R's own Prop 99 fit stops at its 10,000-iteration cap.
* :func:`pairwise_frank_wolfe` moves weight from the weighted candidate of largest
  half-gradient to the candidate of smallest, which may empty the former; this
  converges linearly on strongly convex problems over the simplex (Lacoste-Julien &
  Jaggi 2015; the ridge makes these strongly convex) and stops on the duality gap
  ``2 (x'g - min_i g_i) / n``, an upper bound on the distance of the objective to its
  minimum, so its stopping rule is reached and means what it says.

Problems are given by ``G = A'A``, ``c = A'b`` and ``b'b``, so an iteration costs ``O(k)``
instead of ``O(nk)``, and a whole batch of problems advances in lockstep through the same
numpy calls: that is what makes hundreds of placebo or bootstrap fits cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Compact the working arrays once this share of the problems in them has converged.
COMPACTION_SHARE = 0.25


@dataclass(frozen=True)
class SimplexRidgeProblems:
    """A batch of ``B`` problems with ``k`` candidate weights each.

    The Gram matrices ``A'A`` come either as ``gram`` ``(B, k, k)`` or, when they are all
    submatrices of one matrix (unit weights: inner products of unit trajectories), as
    ``shared_gram`` ``(M, M)`` with ``columns`` ``(B, k)``: problem ``b``'s Gram matrix is
    ``shared_gram[columns[b]][:, columns[b]]``. The shared form needs no ``B k^2`` memory.

    Attributes
    ----------
    gram
        ``(B, k, k)`` matrices ``A'A``, or None with ``shared_gram``.
    cross
        ``(B, k)`` vectors ``A'b``.
    target_sq
        ``(B,)`` values ``b'b``.
    n_rows
        ``(B,)`` number of rows of ``A`` (the ``n`` of the objective).
    zeta
        ``(B,)`` ridge scales.
    available
        ``(B, k)`` booleans, False for padding columns that must keep weight zero
        (problems of a batch may have fewer than ``k`` candidates), or None.
    shared_gram, columns
        The shared form of the Gram matrices (``columns`` may hold anything at padding).
    """

    gram: np.ndarray | None
    cross: np.ndarray
    target_sq: np.ndarray
    n_rows: np.ndarray
    zeta: np.ndarray
    available: np.ndarray | None = None
    shared_gram: np.ndarray | None = None
    columns: np.ndarray | None = None

    def __post_init__(self) -> None:
        if (self.gram is None) == (self.shared_gram is None) or (
            self.shared_gram is not None and self.columns is None
        ):
            raise ValueError("give either gram, or shared_gram with columns")

    def gram_matrices(self) -> np.ndarray:
        """``(B, k, k)`` Gram matrices (materialised from the shared form if need be)."""
        if self.gram is not None:
            return self.gram
        return self.shared_gram[self.columns[:, :, None], self.columns[:, None, :]]

    def objective(self, weights: np.ndarray) -> np.ndarray:
        """``zeta^2 |x|^2 + |Ax - b|^2 / n`` for each problem."""
        fitted_sq = np.einsum("bi,bij,bj->b", weights, self.gram_matrices(), weights)
        cross = np.einsum("bi,bi->b", weights, self.cross)
        residual_sq = fitted_sq - 2.0 * cross + self.target_sq
        return self.zeta**2 * np.einsum("bi,bi->b", weights, weights) + residual_sq / self.n_rows


@dataclass(frozen=True)
class Solution:
    """Solved weights of a batch and how each problem stopped.

    Attributes
    ----------
    weights
        ``(B, k)`` weights.
    iterations
        ``(B,)`` iterations run.
    converged
        ``(B,)`` True where the stopping rule held, False where the cap stopped the run.
    """

    weights: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray


def sparsify(weights: np.ndarray) -> np.ndarray:
    """Zero the weights at most a quarter of the largest one, then renormalise (``synthdid``)."""
    kept = np.where(weights <= weights.max(axis=-1, keepdims=True) / 4.0, 0.0, weights)
    return kept / kept.sum(axis=-1, keepdims=True)


def solve_sparsified(
    problems: SimplexRidgeProblems,
    start: np.ndarray,
    min_decrease: np.ndarray | float,
    max_iter: int = 10_000,
    max_iter_pre_sparsify: int = 100,
) -> Solution:
    """``synthdid``'s two rounds: a short run, sparsify, then a run to its stopping rule.

    The solution is the second round's: its iterations (out of ``max_iter``; the first
    round adds at most ``max_iter_pre_sparsify``) and whether it met the rule.
    """
    first = frank_wolfe(problems, start, min_decrease, max_iter_pre_sparsify)
    return frank_wolfe(problems, sparsify(first.weights), min_decrease, max_iter)


def frank_wolfe(
    problems: SimplexRidgeProblems,
    start: np.ndarray,
    min_decrease: np.ndarray | float,
    max_iter: int,
) -> Solution:
    """Run the Frank–Wolfe iterations of ``synthdid`` on every problem of the batch.

    Parameters
    ----------
    problems
        The batch.
    start
        ``(B, k)`` starting weights on the simplex (zero on padding columns).
    min_decrease
        Stop a problem once an iteration lowers its objective by ``min_decrease**2`` or
        less (checked from the second iteration on). Scalar or ``(B,)``.
    max_iter
        Iteration cap per problem.

    Returns
    -------
    Solution
        Weights, iterations run and whether the rule (rather than the cap) stopped them.
    """
    size = start.shape[0]
    result = np.array(start, dtype=float, copy=True)
    iterations = np.zeros(size, dtype=int)
    converged = np.zeros(size, dtype=bool)
    if size == 0 or max_iter <= 0:
        return Solution(result, iterations, converged)
    threshold = np.asarray(min_decrease, dtype=float) ** 2
    batch = _WorkingBatch(problems, result, threshold)
    with np.errstate(invalid="ignore", divide="ignore"):
        for iteration in range(1, max_iter + 1):
            value = batch.step()
            stopped = np.zeros(batch.ids.size, dtype=bool)
            if iteration >= 2:
                stopped = (batch.previous - value <= batch.threshold) & batch.live
            batch.previous = value
            # synthdid's loop ends at the cap whether or not the rule holds there
            finished = batch.live if iteration == max_iter else stopped
            if not finished.any():
                continue
            ids = batch.ids[finished]
            result[ids] = batch.weights[finished]
            iterations[ids] = iteration
            converged[ids] = stopped[finished]
            if not _retire(batch, finished):
                break
    return Solution(result, iterations, converged)


def pairwise_frank_wolfe(
    problems: SimplexRidgeProblems,
    start: np.ndarray,
    tolerance: np.ndarray | float,
    max_iter: int = 10_000,
) -> Solution:
    """Pairwise Frank–Wolfe with exact line search, stopped on the duality gap.

    Each iteration moves weight ``s`` from the weighted candidate ``j`` of largest
    half-gradient to the candidate ``i`` of smallest, ``s`` minimising the objective along
    ``e_i - e_j`` but at most ``x_j``. Unlike :func:`frank_wolfe`, it can take weight off a
    candidate directly, so it does not zig-zag towards optima on a face of the simplex.

    Parameters
    ----------
    problems
        The batch.
    start
        ``(B, k)`` starting weights on the simplex (zero on padding columns); any start
        reaches the same minimum, which is unique when ``zeta > 0``.
    tolerance
        Stop a problem once its duality gap ``2 (x'g - min_i g_i) / n`` is at most this:
        the objective is then within ``tolerance`` of its minimum. Scalar or ``(B,)``.
    max_iter
        Iteration cap per problem.

    Returns
    -------
    Solution
        Weights, iterations run and whether the gap (rather than the cap) stopped them.
    """
    size = start.shape[0]
    result = np.array(start, dtype=float, copy=True)
    iterations = np.full(size, max(max_iter, 0), dtype=int)
    converged = np.zeros(size, dtype=bool)
    if size == 0:
        return Solution(result, iterations, converged)
    batch = _WorkingBatch(problems, result, np.asarray(tolerance, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        for taken in range(max(max_iter, 0) + 1):
            final = taken >= max_iter
            gap = batch.pairwise_step(final)
            stopped = (gap <= batch.threshold) & batch.live
            finished = batch.live if final else stopped
            if not finished.any():
                continue
            ids = batch.ids[finished]
            # a problem at or below the tolerance took no step in this call
            result[ids] = batch.weights[finished]
            iterations[ids] = taken
            converged[ids] = stopped[finished]
            if not _retire(batch, finished):
                break
    return Solution(result, iterations, converged)


def _retire(batch: _WorkingBatch, finished: np.ndarray) -> bool:
    """Mark problems finished and compact the batch when enough are; False once none is left."""
    batch.live &= ~finished
    n_live = np.count_nonzero(batch.live)
    if n_live == 0:
        return False
    if n_live <= (1.0 - COMPACTION_SHARE) * batch.ids.size:
        batch.compact(batch.live)
    return True


class _WorkingBatch:
    """The problems still iterating, as contiguous ``(B, k)`` arrays.

    The half-gradient ``g = Gx - c + eta x`` is updated in place: with
    ``x' = (1 - s) x + s e_i``, ``g' = (1 - s) g + s (G_i - c) + s eta e_i``. Everything else
    follows from ``x'g`` and ``x'c``, because ``eta = n zeta^2``:

    * objective ``zeta^2 |x|^2 + |Ax - b|^2 / n = (x'g - x'c + b'b) / n``;
    * ``g'(e_i - x) = g_i - x'g``;
    * ``|A(e_i - x)|^2 + eta |e_i - x|^2 = G_ii + eta - 2 (g_i + c_i) + x'g + x'c``.

    A pairwise step ``x' = x + s (e_i - e_j)`` likewise updates ``g' = g + s (G_i - G_j)
    + s eta (e_i - e_j)``, and ``|A(e_i - e_j)|^2 + eta |e_i - e_j|^2 = G_ii + G_jj - 2 G_ij
    + 2 eta``.

    Each iteration therefore costs a fixed, small number of numpy calls whatever the
    batch size; converged problems are dropped from time to time.
    """

    def __init__(self, problems: SimplexRidgeProblems, start: np.ndarray, threshold) -> None:
        size, k = start.shape
        self.k = k
        self.ids = np.arange(size)
        self.live = np.ones(size, dtype=bool)
        zeta_sq = np.broadcast_to(np.asarray(problems.zeta, dtype=float) ** 2, (size,))
        n_rows = np.asarray(problems.n_rows, dtype=float)
        self.eta = n_rows * zeta_sq
        self.inverse_rows = 1.0 / n_rows
        self.target_sq = np.asarray(problems.target_sq, dtype=float)
        self.cross = np.ascontiguousarray(problems.cross, dtype=float)
        self.weights = start.copy()
        if problems.gram is not None:
            gram = np.asarray(problems.gram, dtype=float)
            # row i of G minus c, per problem: the direction of the gradient update
            self.update_rows = (gram - self.cross[:, None, :]).reshape(size * k, k)
            self.shared_gram = self.columns = None
            diagonal = np.diagonal(gram, axis1=1, axis2=2)
            fitted = np.einsum("bij,bj->bi", gram, start)
        else:
            self.update_rows = None
            self.shared_gram = np.asarray(problems.shared_gram, dtype=float)
            self.columns = np.ascontiguousarray(problems.columns)
            diagonal = np.diagonal(self.shared_gram)[self.columns]
            spread = np.zeros((size, self.shared_gram.shape[0]))
            np.add.at(spread, (np.repeat(np.arange(size), k), self.columns.ravel()), start.ravel())
            fitted = np.take_along_axis(spread @ self.shared_gram, self.columns, axis=1)
        self.diagonal_eta = (diagonal + self.eta[:, None]).ravel()
        self.gradient = fitted - self.cross + self.eta[:, None] * start
        # padding columns get an infinite gradient, so they are never the vertex
        self.blocked = None
        if problems.available is not None and not problems.available.all():
            self.blocked = np.where(problems.available, 0.0, np.inf)
        self.threshold = np.broadcast_to(np.asarray(threshold, dtype=float), (size,)).copy()
        self.previous = np.full(size, np.nan)
        self.row_base = np.arange(size) * k
        self._update_inner_products()

    def _update_inner_products(self) -> None:
        self.weights_gradient = np.vecdot(self.weights, self.gradient)
        self.weights_cross = np.vecdot(self.weights, self.cross)

    def step(self) -> np.ndarray:
        """One Frank–Wolfe iteration of every problem; returns the new objective values.

        Call under ``np.errstate(invalid="ignore", divide="ignore")``.
        """
        x, gradient = self.weights, self.gradient
        candidates = gradient if self.blocked is None else gradient + self.blocked
        at = self.row_base + candidates.argmin(axis=1)
        gradient_i = gradient.reshape(-1)[at]

        numerator = gradient_i - self.weights_gradient
        denominator = gradient_i + self.cross.reshape(-1)[at]
        denominator *= -2.0
        denominator += self.diagonal_eta[at]
        denominator += self.weights_gradient
        denominator += self.weights_cross
        # 0/0 when x is already the vertex: fmax turns the NaN into a step of 0, as
        # synthdid leaves x alone
        step = np.fmin(np.fmax(-numerator / denominator, 0.0), 1.0)

        keep = (1.0 - step)[:, None]
        x *= keep
        x.reshape(-1)[at] += step
        gradient *= keep
        gradient += step[:, None] * self._update_direction(at)
        gradient.reshape(-1)[at] += step * self.eta
        self._update_inner_products()
        value = self.weights_gradient - self.weights_cross
        value += self.target_sq
        value *= self.inverse_rows
        return value

    def pairwise_step(self, final: bool = False) -> np.ndarray:
        """Duality gap of every problem, then one pairwise step where it exceeds the threshold.

        With ``final``, only measure the gaps. Returns the gaps of the weights before the
        step (objective units). Call under ``np.errstate(invalid="ignore", divide="ignore")``.
        """
        x, gradient = self.weights, self.gradient
        candidates = gradient if self.blocked is None else gradient + self.blocked
        toward = candidates.argmin(axis=1)
        at_toward = self.row_base + toward
        gradient_toward = gradient.reshape(-1)[at_toward]
        gap = np.vecdot(x, gradient)
        gap -= gradient_toward
        gap *= 2.0 * self.inverse_rows
        if final:
            return gap

        # only candidates holding weight can give some away
        away = np.where(x > 0.0, gradient, -np.inf).argmax(axis=1)
        at_away = self.row_base + away
        rise = gradient.reshape(-1)[at_away] - gradient_toward
        curvature = self.diagonal_eta[at_toward] + self.diagonal_eta[at_away]
        curvature -= 2.0 * (self._gram_entries(toward, away) + np.where(toward == away, self.eta, 0.0))
        held = x.reshape(-1)[at_away]
        wanted = np.where((rise > 0.0) & (curvature > 0.0), rise / curvature, 0.0)
        wanted[gap <= self.threshold] = 0.0
        step = np.minimum(wanted, held)

        x.reshape(-1)[at_toward] += step
        # set an emptied candidate to exactly zero, so that it leaves the support
        x.reshape(-1)[at_away] = np.where(wanted >= held, 0.0, held - step)
        gradient += step[:, None] * (self._update_direction(at_toward) - self._update_direction(at_away))
        gradient.reshape(-1)[at_toward] += step * self.eta
        gradient.reshape(-1)[at_away] -= step * self.eta
        return gap

    def _gram_entries(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """``G[b, rows[b], columns[b]]`` for each problem ``b``."""
        if self.update_rows is not None:
            flat_rows = self.row_base + rows
            problem = np.arange(rows.size)
            return self.update_rows[flat_rows, columns] + self.cross[problem, columns]
        units = np.take_along_axis(self.columns, np.stack([rows, columns], axis=1), axis=1)
        return self.shared_gram[units[:, 0], units[:, 1]]

    def _update_direction(self, at: np.ndarray) -> np.ndarray:
        """``G_i - c`` for the vertex ``i`` of each problem (``at`` indexes the flat rows)."""
        if self.update_rows is not None:
            return self.update_rows[at]
        vertex_units = self.columns.reshape(-1)[at]
        direction = self.shared_gram[vertex_units[:, None], self.columns]
        direction -= self.cross
        return direction

    def compact(self, keep: np.ndarray) -> None:
        """Drop the problems not in ``keep``."""
        k = self.k
        if self.update_rows is not None:
            self.update_rows = self.update_rows.reshape(-1, k, k)[keep].reshape(-1, k)
        else:
            self.columns = self.columns[keep]
        self.diagonal_eta = self.diagonal_eta.reshape(-1, k)[keep].ravel()
        for name in ("ids", "live", "eta", "inverse_rows", "target_sq", "cross", "weights",
                     "gradient", "threshold", "previous", "weights_gradient", "weights_cross"):
            setattr(self, name, getattr(self, name)[keep])
        if self.blocked is not None:
            self.blocked = self.blocked[keep]
            if np.isfinite(self.blocked).all():
                self.blocked = None
        self.row_base = np.arange(self.ids.size) * k
