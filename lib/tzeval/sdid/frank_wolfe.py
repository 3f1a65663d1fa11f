"""Frank–Wolfe for many small simplex-constrained ridge regressions at once.

Each problem is ``min_x zeta^2 |x|^2 + |A x - b|^2 / n`` over the unit simplex, the form of
R ``synthdid``'s ``sc.weight.fw``, solved by ``synthdid``'s iteration: move towards the
vertex ``e_i`` of smallest half-gradient ``g = A'(Ax - b) + eta x`` (``eta = n zeta^2``) by
the step ``-g'(e_i - x) / (|A(e_i - x)|^2 + eta |e_i - x|^2)`` clipped to ``[0, 1]``; stop
when the objective falls by ``min_decrease^2`` or less, or after ``max_iter`` iterations.
The weights therefore match ``synthdid``'s to rounding.

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
) -> np.ndarray:
    """``synthdid``'s two rounds: a short run, sparsify, then a run to convergence."""
    first = frank_wolfe(problems, start, min_decrease, max_iter_pre_sparsify)
    return frank_wolfe(problems, sparsify(first), min_decrease, max_iter)


def frank_wolfe(
    problems: SimplexRidgeProblems,
    start: np.ndarray,
    min_decrease: np.ndarray | float,
    max_iter: int,
) -> np.ndarray:
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
    numpy.ndarray
        ``(B, k)`` weights.
    """
    size, k = start.shape
    result = np.array(start, dtype=float, copy=True)
    if size == 0 or max_iter <= 0:
        return result
    batch = _WorkingBatch(problems, result, min_decrease)
    with np.errstate(invalid="ignore", divide="ignore"):
        for iteration in range(1, max_iter + 1):
            value = batch.step()
            if iteration == max_iter:
                result[batch.ids[batch.live]] = batch.weights[batch.live]
                break
            converged = None
            if iteration >= 2:
                converged = (batch.previous - value <= batch.threshold) & batch.live
            batch.previous = value
            if converged is None or not converged.any():
                continue
            result[batch.ids[converged]] = batch.weights[converged]
            batch.live &= ~converged
            n_live = np.count_nonzero(batch.live)
            if n_live == 0:
                break
            if n_live <= (1.0 - COMPACTION_SHARE) * batch.ids.size:
                batch.compact(batch.live)
    return result


class _WorkingBatch:
    """The problems still iterating, as contiguous ``(B, k)`` arrays.

    The half-gradient ``g = Gx - c + eta x`` is updated in place: with
    ``x' = (1 - s) x + s e_i``, ``g' = (1 - s) g + s (G_i - c) + s eta e_i``. Everything else
    follows from ``x'g`` and ``x'c``, because ``eta = n zeta^2``:

    * objective ``zeta^2 |x|^2 + |Ax - b|^2 / n = (x'g - x'c + b'b) / n``;
    * ``g'(e_i - x) = g_i - x'g``;
    * ``|A(e_i - x)|^2 + eta |e_i - x|^2 = G_ii + eta - 2 (g_i + c_i) + x'g + x'c``.

    Each iteration therefore costs a fixed, small number of numpy calls whatever the
    batch size; converged problems are dropped from time to time.
    """

    def __init__(self, problems: SimplexRidgeProblems, start: np.ndarray, min_decrease) -> None:
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
        self.threshold = np.broadcast_to(np.asarray(min_decrease, dtype=float) ** 2, (size,)).copy()
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
