"""Fast wild cluster bootstrap-t by the cluster-level score decomposition.

With OLS fit ``y = X b + u`` (fixed effects already absorbed), ``A = (X'X)^-1`` and the
coefficient of interest ``j`` (``a = A e_j``), a bootstrap sample ``y* = X b~ + u~ * v``
(``v`` one weight per cluster) gives

* numerator ``b*_j - b~_j = sum_g v_g a'S_g`` with ``S_g = X_g' u~_g``;
* cluster scores of the bootstrap fit ``a'X_h'u*_h = v_h s_h - w_h' z`` where
  ``s_h = a'S_h``, ``w_h = A X_h'X_h a`` and ``z = sum_g v_g S_g``;

so the CR1 variance is ``c (sum_h v_h^2 s_h^2 - 2 z'r + z'W'W z)`` with
``r = sum_h v_h s_h w_h``. Each draw then costs a product of a G-vector with a G x 4k
matrix. Under the restricted bootstrap, the restricted residuals are affine in the null
value ``beta0`` (``u~ = u_a + beta0 u_b``), so every per-draw quantity is a polynomial in
``beta0`` of degree at most two: p-values at any ``beta0`` (for test inversion) cost O(B).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scipy.linalg import block_diag

from .errors import RegressionInputError
from .ols import ClusteredOLS

TIE_TOLERANCE = 1e-9
"""Relative slack so that a bootstrap statistic equal to the observed one counts as extreme."""


@dataclass(frozen=True)
class ClusterPieces:
    """Per-cluster ingredients of the bootstrap t for one coefficient.

    Attributes
    ----------
    scores_constant, scores_slope : ndarray (G, k)
        ``X_g'u_g`` for residuals ``u = u_a + beta0 * u_b`` (slope 0 when unrestricted).
    leverage : ndarray (G, k)
        Rows ``w_h = A X_h'X_h a``.
    direction : ndarray (k,)
        ``a = A e_j``.
    factor : float
        CR1 small-sample factor.
    """

    scores_constant: np.ndarray
    scores_slope: np.ndarray
    leverage: np.ndarray
    direction: np.ndarray
    factor: float

    @property
    def leverage_gram(self) -> np.ndarray:
        return self.leverage.T @ self.leverage


def cluster_pieces(fit: ClusteredOLS, index: int, impose_null: bool) -> ClusterPieces:
    """Precompute the per-cluster pieces for coefficient ``index`` of ``fit``.

    The absorbed period effects are not nested within clusters, so the bootstrap residuals
    must be purged of them too: their orthonormal basis ``Q`` joins the design (orthogonal
    to it, so the inverse Gram matrix becomes block-diagonal with an identity block).
    """
    if not fit.nested_units:
        raise RegressionInputError(
            "the wild cluster bootstrap needs each unit inside one cluster (unit fixed "
            "effects nested within clusters); cluster at the unit level or coarser"
        )
    design = fit.design
    basis = fit.unnested_basis if fit.unnested_basis is not None else np.zeros((fit.n_obs, 0))
    augmented = np.hstack([design, basis])
    inverse_gram = block_diag(fit.inverse_gram, np.eye(basis.shape[1]))
    direction = inverse_gram[:, index]
    leverage = np.asarray(fit.cluster_matrix @ (augmented * (design @ direction[: fit.n_terms])[:, None]))
    leverage = leverage @ inverse_gram
    if impose_null:
        others = np.delete(design, index, axis=1)
        target = np.column_stack([fit.outcome, -design[:, index]])
        if others.shape[1]:
            coef, *_ = np.linalg.lstsq(others, target, rcond=None)
            target = target - others @ coef
        residual_constant, residual_slope = target[:, 0], target[:, 1]
    else:
        residual_constant, residual_slope = fit.residuals, np.zeros(fit.n_obs)

    def scores(residuals: np.ndarray) -> np.ndarray:
        return np.asarray(fit.cluster_matrix @ (augmented * residuals[:, None]))

    return ClusterPieces(
        scores_constant=scores(residual_constant),
        scores_slope=scores(residual_slope),
        leverage=leverage,
        direction=direction,
        factor=fit.small_sample_factor,
    )


@dataclass
class DrawPolynomials:
    """Per-draw numerator ``n0 + n1 b`` and variance ``v0 + v1 b + v2 b^2`` of the bootstrap t.

    ``b`` is the null value imposed (ignored, slopes zero, when unrestricted).
    """

    numerator: np.ndarray  # shape (2, B)
    variance: np.ndarray  # shape (3, B)

    @property
    def n_draws(self) -> int:
        return self.numerator.shape[1]

    def statistics(self, beta0: float) -> np.ndarray:
        """Bootstrap t statistics at null value ``beta0`` (NaN for degenerate draws)."""
        numerator, variance = self._at(beta0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return numerator / np.sqrt(variance)

    def _at(self, beta0: float) -> tuple[np.ndarray, np.ndarray]:
        numerator = self.numerator[0] + beta0 * self.numerator[1]
        variance = self.variance[0] + beta0 * (self.variance[1] + beta0 * self.variance[2])
        return numerator, np.maximum(variance, 0.0)

    def p_value(self, beta0: float, t_observed: float) -> float:
        """Symmetric p-value: share of draws with ``|t*| >= |t|``.

        Degenerate draws (zero bootstrap variance) count as extreme, which errs on the
        conservative side.
        """
        numerator, variance = self._at(beta0)
        extreme = numerator**2 >= (1.0 - TIE_TOLERANCE) * t_observed**2 * variance
        return float(extreme.mean())


def draw_polynomials(pieces: ClusterPieces, weight_chunks) -> DrawPolynomials:
    """Reduce each weight vector (rows of the :class:`WeightChunk` blocks) to its polynomials."""
    direction, leverage = pieces.direction, pieces.leverage
    gram = pieces.leverage_gram
    share_constant = pieces.scores_constant @ direction
    share_slope = pieces.scores_slope @ direction
    k = len(direction)
    stacked = np.hstack([
        pieces.scores_constant,
        pieces.scores_slope,
        share_constant[:, None] * leverage,
        share_slope[:, None] * leverage,
    ])
    squares = np.column_stack([share_constant**2, 2 * share_constant * share_slope, share_slope**2])

    numerators, variances = [], []
    column_sums = stacked.sum(axis=0)
    for chunk in weight_chunks:
        products = chunk.scale * (chunk.matrix @ stacked)
        if chunk.shift:
            products += chunk.shift * column_sums
        z_a, z_b = products[:, :k], products[:, k : 2 * k]
        r_a, r_b = products[:, 2 * k : 3 * k], products[:, 3 * k :]
        if chunk.squares is None:
            own = np.broadcast_to(squares.sum(axis=0), (len(chunk), 3))
        else:
            own = chunk.squares @ squares
        za_gram, zb_gram = z_a @ gram, z_b @ gram
        quadratic = np.stack([
            (za_gram * z_a).sum(axis=1),
            2 * (za_gram * z_b).sum(axis=1),
            (zb_gram * z_b).sum(axis=1),
        ])
        cross = np.stack([
            (z_a * r_a).sum(axis=1),
            (z_a * r_b + z_b * r_a).sum(axis=1),
            (z_b * r_b).sum(axis=1),
        ])
        variances.append(pieces.factor * (own.T - 2 * cross + quadratic))
        numerators.append(np.stack([z_a @ direction, z_b @ direction]))
    return DrawPolynomials(np.hstack(numerators), np.hstack(variances))
