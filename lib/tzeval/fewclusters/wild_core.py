"""Fast wild cluster bootstrap-t by the cluster-level score decomposition.

With OLS fit ``y = X b + u`` (fixed effects already absorbed), ``A = (X'X)^-1`` and the
coefficient of interest ``j`` (``a = A e_j``), a bootstrap sample ``y* = X b~ + u~ * v``
(``v`` one weight per cluster) gives

* numerator ``b*_j - b~_j = sum_g v_g a'S_g`` with ``S_g = X_g' u~_g``;
* cluster scores of the bootstrap fit ``a'X_h'u*_h = v_h s_h - w_h' z`` where
  ``s_h = a'S_h``, ``w_h = A X_h'X_h a`` and ``z = sum_g v_g S_g``;

so the CR1 variance is ``c (sum_h v_h^2 s_h^2 - 2 z'r + z'W'W z)`` with
``r = sum_h v_h s_h w_h``.

Absorbed fixed effects: unit effects are nested within clusters, so weighting residuals
by cluster keeps them orthogonal to the unit dummies; period effects are not, so their
orthonormal basis ``Q`` (r columns) is appended to ``X`` with an identity block in ``A``.
The bootstrap residuals are then exactly those of the regression on explicit dummies, and
each draw costs a product of a G-vector with a G x 4(k + r) matrix.

Under the restricted bootstrap the restricted residuals are affine in the null value
``beta0`` (``u~ = u_a + beta0 u_b``), so every per-draw quantity is a polynomial of degree
at most two in ``beta0``: a p-value at any ``beta0`` (test inversion) then costs O(B).
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
    scores_constant, scores_slope : ndarray (G, k + r)
        ``X_g'u_g`` for residuals ``u = u_a + beta0 * u_b`` (slope 0 when unrestricted);
        ``X`` here is the design augmented with the r-column period-effect basis.
    leverage : ndarray (G, k + r)
        Rows ``w_h = A X_h'X_h a``.
    direction : ndarray (k + r,)
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
    influence = design @ direction[: fit.n_terms]
    leverage = np.asarray(fit.cluster_matrix @ (augmented * influence[:, None])) @ inverse_gram
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
    direction, leverage, gram = pieces.direction, pieces.leverage, pieces.leverage_gram
    parts = [pieces.scores_constant]
    # unrestricted residuals do not move with the null: skip the slope half of the work
    if np.any(pieces.scores_slope):
        parts.append(pieces.scores_slope)
    shares = [scores @ direction for scores in parts]
    stacked = np.hstack(parts + [share[:, None] * leverage for share in shares])
    n_parts = len(parts)
    share_a, share_b = shares[0], shares[-1] if n_parts == 2 else np.zeros_like(shares[0])
    squares = np.column_stack([share_a**2, 2 * share_a * share_b, share_b**2])
    column_sums = stacked.sum(axis=0)

    numerators, variances = [], []
    for chunk in weight_chunks:
        products = chunk.scale * (chunk.matrix @ stacked)
        if chunk.shift:
            products += chunk.shift * column_sums
        blocks = np.split(products, 2 * n_parts, axis=1)
        z_a, r_a = blocks[0], blocks[n_parts]
        z_b, r_b = (blocks[1], blocks[3]) if n_parts == 2 else (None, None)
        if chunk.squares is None:
            own = np.broadcast_to(squares.sum(axis=0)[:, None], (3, len(chunk)))
        else:
            own = (chunk.squares @ squares).T
        za_gram = z_a @ gram
        variance = own - 2 * _polynomial(z_a, r_a, z_b, r_b) + _polynomial(
            z_a, za_gram, z_b, None if z_b is None else z_b @ gram
        )
        variances.append(pieces.factor * variance)
        numerator_b = np.zeros(len(chunk)) if z_b is None else z_b @ direction
        numerators.append(np.stack([z_a @ direction, numerator_b]))
    return DrawPolynomials(np.hstack(numerators), np.hstack(variances))


def _polynomial(x_a, y_a, x_b, y_b) -> np.ndarray:
    """Row-wise coefficients of ``(x_a + b x_b) . (y_a + b y_b)`` in ``1, b, b^2``."""
    constant = (x_a * y_a).sum(axis=1)
    if x_b is None:
        zeros = np.zeros_like(constant)
        return np.stack([constant, zeros, zeros])
    return np.stack([
        constant,
        (x_a * y_b + x_b * y_a).sum(axis=1),
        (x_b * y_b).sum(axis=1),
    ])
