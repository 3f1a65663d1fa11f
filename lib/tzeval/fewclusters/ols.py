"""Least squares on fixed-effect-absorbed data, with cluster-robust (CR1) covariance."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .errors import RegressionInputError

COLLINEARITY_TOLERANCE = 1e-9


@dataclass
class ClusteredOLS:
    """OLS of ``outcome`` on ``design`` with errors clustered by ``cluster_codes``.

    The design and outcome are already purged of the absorbed fixed effects, so by
    Frisch-Waugh-Lovell the coefficients and residuals equal those of the regression on
    explicit dummies. ``n_absorbed`` counts those dummies so that the small-sample factor
    matches that regression.

    Attributes
    ----------
    design : ndarray, shape (n, k)
    outcome : ndarray, shape (n,)
    cluster_codes : ndarray of int, shape (n,)
    terms : list of str
        Names of the ``k`` coefficients.
    n_absorbed : int
        Fixed-effect parameters absorbed before the fit (intercept included).
    unnested_basis : ndarray, shape (n, r), optional
        Orthonormal basis of the absorbed fixed-effect directions that are not nested
        within clusters (period effects). The wild bootstrap needs it: weighting residuals
        by cluster moves them out of the span orthogonal to those effects.
    nested_units : bool
        Whether the absorbed effects outside ``unnested_basis`` are nested within clusters
        (each unit in one cluster), as the wild bootstrap requires.
    treated_clusters : ndarray of int, optional
        For each term, the number of clusters where its raw (unabsorbed) regressor is
        non-zero: the clusters that identify it.
    """

    design: np.ndarray
    outcome: np.ndarray
    cluster_codes: np.ndarray
    terms: list[str]
    n_absorbed: int = 0
    unnested_basis: np.ndarray | None = None
    nested_units: bool = True
    treated_clusters: np.ndarray | None = None
    coefficients: np.ndarray = field(init=False)
    residuals: np.ndarray = field(init=False)
    inverse_gram: np.ndarray = field(init=False)
    cluster_matrix: sparse.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        n_obs, n_terms = self.design.shape
        column_norms = np.sqrt((self.design**2).sum(axis=0))
        empty = [
            term for term, norm in zip(self.terms, column_norms) if norm < COLLINEARITY_TOLERANCE
        ]
        if empty:
            raise RegressionInputError(
                f"regressor(s) {empty} have no variation left once unit and period fixed "
                "effects are absorbed (no observation in that bin, or collinear with the "
                "fixed effects); drop them or change leads/lags"
            )
        scaled = self.design / column_norms
        singular = np.linalg.svd(scaled, compute_uv=False)
        if singular.min() < COLLINEARITY_TOLERANCE * singular.max():
            raise RegressionInputError(
                f"regressors {self.terms} are collinear once unit and period fixed effects "
                "are absorbed (with no never-treated units, a full set of event-time dummies "
                "is not identified: bin the ends with leads/lags or drop a further period)"
            )
        if n_obs <= n_terms + self.n_absorbed:
            raise RegressionInputError(
                f"{n_obs} observations cannot identify {n_terms} coefficients and "
                f"{self.n_absorbed} fixed effects"
            )
        self.inverse_gram = np.linalg.inv(self.design.T @ self.design)
        self.coefficients = self.inverse_gram @ (self.design.T @ self.outcome)
        self.residuals = self.outcome - self.design @ self.coefficients
        n_clusters = int(self.cluster_codes.max()) + 1
        self.cluster_matrix = sparse.csr_matrix(
            (np.ones(n_obs), (self.cluster_codes, np.arange(n_obs))), shape=(n_clusters, n_obs)
        )
        if n_clusters < 2:
            raise RegressionInputError("cluster-robust inference needs at least 2 clusters, got 1")

    @property
    def n_obs(self) -> int:
        return self.design.shape[0]

    @property
    def n_terms(self) -> int:
        return self.design.shape[1]

    @property
    def n_clusters(self) -> int:
        return self.cluster_matrix.shape[0]

    @property
    def n_parameters(self) -> int:
        """K in the small-sample factor: coefficients plus absorbed fixed effects."""
        return self.n_terms + self.n_absorbed

    @property
    def small_sample_factor(self) -> float:
        """Stata's CR1 factor G/(G-1) * (N-1)/(N-K)."""
        g, n, k = self.n_clusters, self.n_obs, self.n_parameters
        return g / (g - 1) * (n - 1) / (n - k)

    def cluster_scores(self, residuals: np.ndarray | None = None) -> np.ndarray:
        """Per-cluster sums of ``x_i u_i``, shape (G, k)."""
        residuals = self.residuals if residuals is None else residuals
        return np.asarray(self.cluster_matrix @ (self.design * residuals[:, None]))

    def cr1_covariance(self) -> np.ndarray:
        """Cluster-robust covariance matrix with the CR1 small-sample factor."""
        scores = self.cluster_scores()
        meat = scores.T @ scores
        return self.small_sample_factor * self.inverse_gram @ meat @ self.inverse_gram

    def identifying_clusters(self, index: int) -> tuple[int, int] | None:
        """Clusters with and without a non-zero raw regressor ``index`` (None if unknown)."""
        if self.treated_clusters is None:
            return None
        treated = int(self.treated_clusters[index])
        return treated, self.n_clusters - treated

    def term_index(self, term: str) -> int:
        try:
            return self.terms.index(term)
        except ValueError:
            raise RegressionInputError(
                f"no coefficient named {term!r}; the model has {self.terms}"
            ) from None
