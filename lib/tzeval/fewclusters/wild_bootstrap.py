"""Wild cluster bootstrap-t tests and confidence intervals for one regression coefficient."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..results import EstimateResult, format_table, tidy_frame
from .bootstrap_weights import (
    MAX_ENUMERATED_CLUSTERS,
    WeightChunk,
    all_sign_vectors,
    check_weight_kind,
    uses_enumeration,
    weight_chunks,
)
from .errors import FewClustersWarning, RegressionInputError
from .ols import ClusteredOLS
from .wild_core import DrawPolynomials, cluster_pieces, draw_polynomials

MAX_DOUBLINGS = 21
"""The interval search stops 2^20 (about a million) standard errors from the estimate; a
bound further out is reported as infinite (beyond it rounding, not data, would decide)."""
BISECTION_STEPS = 60
FEW_TREATED_CLUSTERS = 3
"""Warn when a coefficient is identified by at most this many treated (or untreated)
clusters: the wild bootstrap then fails (MacKinnon & Webb 2017)."""


class WildBootstrapResult(EstimateResult):
    """Wild cluster bootstrap-t inference on one coefficient.

    Attributes
    ----------
    term : str
    estimate, std_error : float
        OLS coefficient and its CR1 standard error.
    t_stat : float
        ``(estimate - null) / std_error``.
    p_value : float
        Bootstrap p-value of ``H0: coefficient = null`` (symmetric, ``|t*| >= |t|``).
    conf_low, conf_high : float
        Bootstrap confidence interval (test inversion; infinite if the p-value never falls
        below alpha).
    t_star : ndarray
        Bootstrap t statistics under ``H0`` (WCR) or centred on the estimate (WCU).
    n_draws : int
        Number of bootstrap samples (2^G under full enumeration).
    enumerated : bool
        Whether all 2^G Rademacher sign vectors were used instead of random draws.
    identifying_clusters : tuple of int or None
        Clusters where the coefficient's raw regressor is non-zero, and where it is zero.
    """

    interval_kind = "pointwise"

    def __init__(self, *, term, estimate, std_error, null, impose_null, weights, alpha,
                 n_clusters, draws: DrawPolynomials, enumerated, conf_low, conf_high,
                 identifying_clusters=None):
        self.term = term
        self.estimate = float(estimate)
        self.std_error = float(std_error)
        self.null = float(null)
        self.impose_null = impose_null
        self.weights = weights
        self.alpha = alpha
        self.n_clusters = n_clusters
        self.enumerated = enumerated
        self.n_draws = draws.n_draws
        self.t_stat = (self.estimate - self.null) / self.std_error
        self.p_value = draws.p_value(self.null, self.t_stat)
        self.t_star = draws.statistics(self.null)
        self.conf_low = conf_low
        self.conf_high = conf_high
        self.identifying_clusters = identifying_clusters

    @property
    def method(self) -> str:
        kind = "WCR, null imposed" if self.impose_null else "WCU, null not imposed"
        return f"Wild cluster bootstrap-t ({kind})"

    def to_frame(self) -> pd.DataFrame:
        return tidy_frame(
            {"term": [self.term]}, self.estimate, self.std_error, self.conf_low,
            self.conf_high, self.p_value,
        )

    def summary(self) -> str:
        if self.enumerated:
            draws = (f"full enumeration of all 2^{self.n_clusters} = {self.n_draws} "
                     "Rademacher sign vectors")
        else:
            draws = f"{self.n_draws} random draws of {self.weights.capitalize()} weights"
        interval = ("test inversion of the restricted bootstrap" if self.impose_null
                    else "symmetric percentile-t (inversion of the unrestricted bootstrap)")
        lines = [
            self.method,
            f"Coefficient '{self.term}'; {self.n_clusters} clusters; {draws}.",
            f"H0: {self.term} = {self.null:g}; t = {self.t_stat:.4f} (CR1); symmetric "
            f"bootstrap p-value = share of |t*| >= |t| = {self.p_value:.4f}.",
            f"{self.confidence_level:.0%} pointwise confidence interval by {interval}.",
        ]
        split = self.identifying_clusters
        if split is not None and min(split) <= FEW_TREATED_CLUSTERS:
            lines.append(
                f"Warning: '{self.term}' is identified by {split[0]} treated vs {split[1]} "
                "untreated clusters; wild bootstrap inference is unreliable with so few on "
                "one side (WCR too conservative, WCU over-rejects)."
            )
        if self.enumerated:
            lines.append(
                f"With {self.n_clusters} clusters Rademacher p-values are multiples of "
                f"{2 / self.n_draws:.4g} (sign vectors come in mirror pairs); Webb six-point "
                "weights give a finer distribution."
            )
        return "\n".join([*lines, "", format_table(self.to_frame())])

    def plot(self) -> go.Figure:
        finite = self.t_star[np.isfinite(self.t_star)]
        figure = go.Figure(go.Histogram(x=finite, nbinsx=60, name="bootstrap t*",
                                        histnorm="probability density"))
        for value in (self.t_stat, -self.t_stat):
            figure.add_vline(x=value, line_dash="dash")
        figure.update_layout(
            title=f"{self.method}: '{self.term}', p = {self.p_value:.4f}",
            xaxis_title="t statistic (dashed: observed ±t)",
        )
        return figure


def _fit_of(model) -> ClusteredOLS:
    if isinstance(model, ClusteredOLS):
        return model
    fit = getattr(model, "fit", None)
    if isinstance(fit, ClusteredOLS):
        return fit
    raise RegressionInputError(
        "wild_cluster_bootstrap needs a result of tzeval.event_study / tzeval.twfe_did "
        f"or a ClusteredOLS, got {type(model).__name__}"
    )


def _warn_few_clusters(weights: str, n_clusters: int) -> None:
    if weights == "rademacher" and n_clusters <= MAX_ENUMERATED_CLUSTERS:
        warnings.warn(
            f"Only {n_clusters} clusters: Rademacher weights allow just 2^{n_clusters} = "
            f"{2**n_clusters} distinct bootstrap samples, half of them mirror images, so "
            f"p-values move in steps of {2 / 2**n_clusters:.3g} and intervals can be "
            "unbounded. Webb six-point weights (weights='webb') are preferable with so few "
            "clusters (Webb 2023; MacKinnon, Nielsen & Webb 2023).",
            FewClustersWarning,
            stacklevel=3,
        )


def _warn_few_treated(fit: ClusteredOLS, index: int) -> None:
    split = fit.identifying_clusters(index)
    if split is None or min(split) > FEW_TREATED_CLUSTERS:
        return
    treated, untreated = split
    warnings.warn(
        f"'{fit.terms[index]}' is non-zero in {treated} cluster(s) and zero in {untreated}: "
        "with so few clusters on one side the restricted wild bootstrap (WCR) is very "
        "conservative and the unrestricted one (WCU) over-rejects (MacKinnon & Webb 2017). "
        "Neither p-value is reliable; consider randomization inference or a design with "
        "more treated clusters.",
        FewClustersWarning,
        stacklevel=3,
    )


def _invert(draws: DrawPolynomials, estimate: float, std_error: float, alpha: float,
            side: int) -> float:
    """Boundary of ``{b : p(b) > alpha}`` walking from the estimate in direction ``side``."""

    def accepted(distance: float) -> bool:
        beta0 = estimate + side * distance
        return draws.p_value(beta0, (estimate - beta0) / std_error) > alpha

    inside, outside = 0.0, None
    distance = std_error
    for _ in range(MAX_DOUBLINGS):
        if not accepted(distance):
            outside = distance
            break
        inside, distance = distance, 2 * distance
    if outside is None:
        return side * np.inf
    for _ in range(BISECTION_STEPS):
        middle = 0.5 * (inside + outside)
        if accepted(middle):
            inside = middle
        else:
            outside = middle
        if outside - inside <= 1e-12 * max(std_error, abs(estimate)):
            break
    return estimate + side * 0.5 * (inside + outside)


def bootstrap_t_statistics(
    model, term: str, weight_matrix: np.ndarray, null: float = 0.0, impose_null: bool = True
) -> np.ndarray:
    """Bootstrap t statistics for given cluster weights (one row per bootstrap sample).

    Useful to check the fast algorithm or to supply a custom weight distribution.

    Parameters
    ----------
    model : regression result or ClusteredOLS
    term : str or int
        Coefficient name (or event time for an event study).
    weight_matrix : ndarray, shape (B, G)
        Cluster weights, columns in the order of the cluster codes (sorted cluster values).
    null : float
        Null value imposed (WCR) for the restricted bootstrap.
    impose_null : bool

    Returns
    -------
    ndarray, shape (B,)
        ``(b*_j - b~_j) / se*_CR1(b*_j)`` for each row.
    """
    fit = _fit_of(model)
    if hasattr(model, "term_name"):
        term = model.term_name(term)
    weight_matrix = np.atleast_2d(np.asarray(weight_matrix, dtype=float))
    if weight_matrix.shape[1] != fit.n_clusters:
        raise RegressionInputError(
            f"weight_matrix has {weight_matrix.shape[1]} columns, expected one per cluster "
            f"({fit.n_clusters})"
        )
    pieces = cluster_pieces(fit, fit.term_index(term), impose_null)
    draws = draw_polynomials(pieces, [WeightChunk.from_weights(weight_matrix)])
    return draws.statistics(null)


def wild_cluster_bootstrap(
    model,
    term: str | int,
    B: int = 9999,
    weights: str = "rademacher",
    impose_null: bool = True,
    null: float = 0.0,
    seed=None,
    alpha: float | None = None,
) -> WildBootstrapResult:
    """Wild cluster bootstrap-t p-value and confidence interval for one coefficient.

    Parameters
    ----------
    model : ClusteredRegressionResult or ClusteredOLS
        A result of :func:`tzeval.event_study` or :func:`tzeval.twfe_did`.
    term : str or int
        Coefficient name (see ``model.terms``); for an event study, also an event time.
    B : int
        Number of bootstrap draws. With Rademacher weights and G <= 12 clusters such that
        2^G <= B, all 2^G sign vectors are enumerated instead (exact, no simulation noise).
    weights : {"rademacher", "webb"}
        Rademacher (+/-1) or Webb's six-point weights. With very few clusters Webb weights
        are preferable: Rademacher weights give only 2^(G-1) distinct |t*| values.
    impose_null : bool
        True: restricted bootstrap (WCR), data generated with ``coefficient = null``;
        the interval inverts this test over null values. False: unrestricted (WCU),
        t* centred on the estimate; the interval is the symmetric percentile-t interval.
        WCR is the more reliable with few (or few treated) clusters.
    null : float
        Null value of the reported test.
    seed : int, Generator or None
        Random seed for reproducible draws.
    alpha : float, optional
        1 - confidence level; defaults to the model's.

    Returns
    -------
    WildBootstrapResult

    Notes
    -----
    Fixed effects absorbed in the regression are partialled out (Frisch-Waugh-Lovell),
    which leaves coefficients, residuals and restricted residuals unchanged. Each draw
    reuses per-cluster sums (Roodman, MacKinnon, Nielsen & Webb 2019), so cost is
    O(B G k) after an O(N k) set-up. The p-value is the share of draws with
    ``|t*| >= |t|``; under full enumeration the identity sign vector reproduces ``t``.
    """
    fit = _fit_of(model)
    weights = check_weight_kind(weights)
    if alpha is None:
        alpha = getattr(model, "alpha", 0.05)
    if not 0 < alpha < 1:
        raise RegressionInputError(f"alpha must be in (0, 1), got {alpha}")
    if not isinstance(B, (int, np.integer)) or B < 1:
        raise RegressionInputError(f"B must be a positive integer, got {B!r}")
    if hasattr(model, "term_name"):
        term = model.term_name(term)
    index = fit.term_index(term)
    n_clusters = fit.n_clusters
    _warn_few_clusters(weights, n_clusters)
    _warn_few_treated(fit, index)

    pieces = cluster_pieces(fit, index, impose_null)
    enumerated = uses_enumeration(weights, n_clusters, B)
    if enumerated:
        chunks = [WeightChunk.from_weights(all_sign_vectors(n_clusters))]
    else:
        chunks = weight_chunks(weights, n_clusters, int(B), np.random.default_rng(seed))
    draws = draw_polynomials(pieces, chunks)

    estimate = float(fit.coefficients[index])
    std_error = float(np.sqrt(fit.cr1_covariance()[index, index]))
    if not std_error > 0:
        raise RegressionInputError(f"the CR1 standard error of '{term}' is zero")
    bounds = [_invert(draws, estimate, std_error, alpha, side) for side in (-1, 1)]
    if not np.all(np.isfinite(bounds)):
        warnings.warn(
            f"The {1 - alpha:.0%} wild bootstrap interval for '{term}' is unbounded: the "
            f"bootstrap p-value never falls below {alpha} (too few clusters or draws).",
            FewClustersWarning,
            stacklevel=2,
        )
    return WildBootstrapResult(
        term=fit.terms[index], estimate=estimate, std_error=std_error, null=null,
        impose_null=impose_null, weights=weights, alpha=alpha, n_clusters=n_clusters,
        draws=draws, enumerated=enumerated, conf_low=bounds[0], conf_high=bounds[1],
        identifying_clusters=fit.identifying_clusters(index),
    )
