"""Result objects of the two-way fixed-effects regressions (event study and plain DiD)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from ..results import EstimateResult, format_table, tidy_frame
from .designs import event_time_label
from .ols import ClusteredOLS

FEW_CLUSTERS = 50
"""Below this many clusters the summary recommends the wild cluster bootstrap."""


class ClusteredRegressionResult(EstimateResult):
    """Coefficients of a fixed-effects regression with CR1 cluster-robust inference.

    Intervals and p-values use Student's t with G - 1 degrees of freedom (G clusters).

    Attributes
    ----------
    terms : list of str
    coefficients, std_errors : ndarray
    covariance : ndarray
        CR1 covariance, factor G/(G-1) * (N-1)/(N-K) with K counting absorbed fixed effects.
    df : int
        G - 1, the degrees of freedom of the reference t distribution.
    fit : ClusteredOLS
        The absorbed regression, kept for the wild cluster bootstrap.
    """

    interval_kind = "pointwise"
    method = "Two-way fixed-effects regression"

    def __init__(self, fit: ClusteredOLS, alpha: float, yname: str, cluster: str):
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        self.fit = fit
        self.alpha = alpha
        self.yname = yname
        self.cluster = cluster
        self.terms = list(fit.terms)
        self.coefficients = fit.coefficients.copy()
        self.covariance = fit.cr1_covariance()
        self.std_errors = np.sqrt(np.diag(self.covariance))
        self.df = fit.n_clusters - 1
        critical = stats.t.ppf(1 - alpha / 2, self.df)
        self.conf_low = self.coefficients - critical * self.std_errors
        self.conf_high = self.coefficients + critical * self.std_errors
        self.t_values = self.coefficients / self.std_errors
        self.p_values = 2 * stats.t.sf(np.abs(self.t_values), self.df)

    @property
    def n_obs(self) -> int:
        return self.fit.n_obs

    @property
    def n_clusters(self) -> int:
        return self.fit.n_clusters

    def _keys(self) -> dict:
        return {"term": self.terms}

    def term_name(self, term) -> str:
        """Coefficient name of ``term`` (see ``terms``)."""
        return str(term)

    def to_frame(self) -> pd.DataFrame:
        return tidy_frame(
            self._keys(), self.coefficients, self.std_errors, self.conf_low, self.conf_high,
            self.p_values,
        )

    def _notes(self) -> list[str]:
        notes = [
            f"Outcome '{self.yname}'; {self.n_obs} observations; {self.n_clusters} clusters "
            f"of '{self.cluster}'; unit and period fixed effects absorbed.",
            f"CR1 cluster-robust standard errors; {self.confidence_level:.0%} pointwise "
            f"intervals and p-values from Student's t with {self.df} degrees of freedom.",
        ]
        if self.n_clusters < FEW_CLUSTERS:
            notes.append(
                f"Only {self.n_clusters} clusters: cluster-robust t tests can over-reject; "
                "use .wild_bootstrap(term) for restricted wild cluster bootstrap inference."
            )
        return notes

    def summary(self) -> str:
        return "\n".join([self.method, *self._notes(), "", format_table(self.to_frame())])

    def plot(self) -> go.Figure:
        frame = self.to_frame()
        figure = go.Figure(
            go.Scatter(
                x=frame["estimate"], y=frame["term"], mode="markers",
                error_x=dict(type="data", symmetric=False,
                             array=frame["conf_high"] - frame["estimate"],
                             arrayminus=frame["estimate"] - frame["conf_low"]),
                name=f"{self.confidence_level:.0%} pointwise CI (CR1, t({self.df}))",
            )
        )
        figure.add_vline(x=0, line_dash="dot")
        figure.update_layout(title=self.method, xaxis_title=f"effect on {self.yname}")
        return figure

    def wild_bootstrap(
        self,
        term: str | int,
        B: int = 9999,
        weights: str = "rademacher",
        impose_null: bool = True,
        null: float = 0.0,
        seed=None,
        alpha: float | None = None,
    ):
        """Wild cluster bootstrap-t inference on one coefficient.

        See :func:`tzeval.fewclusters.wild_cluster_bootstrap` for the arguments.
        """
        from .wild_bootstrap import wild_cluster_bootstrap

        return wild_cluster_bootstrap(
            self, term, B=B, weights=weights, impose_null=impose_null, null=null, seed=seed,
            alpha=alpha,
        )


class TwfeDidResult(ClusteredRegressionResult):
    """Plain two-way fixed-effects DiD: one ``post_treated`` coefficient."""

    method = "Two-way fixed-effects difference-in-differences (post x treated)"


class EventStudyResult(ClusteredRegressionResult):
    """Two-way fixed-effects event study: one coefficient per event time.

    Attributes
    ----------
    event_time : ndarray of int
        Event time of each coefficient (reference period left out).
    reference : int
        The omitted event time, normalised to 0.
    lower_binned, upper_binned : bool
        Whether the end coefficients pool several event times.
    """

    method = "Two-way fixed-effects event study"

    def __init__(self, fit, alpha, yname, cluster, event_time, reference, lower_binned,
                 upper_binned):
        super().__init__(fit, alpha, yname, cluster)
        self.event_time = np.asarray(event_time, dtype=int)
        self.reference = int(reference)
        self.lower_binned = bool(lower_binned)
        self.upper_binned = bool(upper_binned)

    def _keys(self) -> dict:
        return {"event_time": self.event_time, "term": self.terms}

    def _notes(self) -> list[str]:
        notes = super()._notes()
        notes.insert(1, f"Reference event time {self.reference} (normalised to 0).")
        binned = [
            f"{self.event_time[0]} pools all earlier event times" if self.lower_binned else "",
            f"{self.event_time[-1]} pools all later event times" if self.upper_binned else "",
        ]
        if any(binned):
            notes.insert(2, "Binned ends: " + "; ".join(b for b in binned if b) + ".")
        return notes

    def term_name(self, term) -> str:
        """Coefficient name of ``term``: a name, or an event time such as ``0`` or ``-2``."""
        if isinstance(term, (int, np.integer)) and not isinstance(term, bool):
            return event_time_label(int(term))
        return str(term)

    def plot(self) -> go.Figure:
        frame = self.to_frame()
        reference = pd.DataFrame({"event_time": [self.reference], "estimate": [0.0]})
        figure = go.Figure()
        figure.add_trace(
            go.Scatter(
                x=frame["event_time"], y=frame["estimate"], mode="markers",
                error_y=dict(type="data", symmetric=False,
                             array=frame["conf_high"] - frame["estimate"],
                             arrayminus=frame["estimate"] - frame["conf_low"]),
                name=f"{self.confidence_level:.0%} pointwise CI (CR1, t({self.df}))",
            )
        )
        figure.add_trace(
            go.Scatter(x=reference["event_time"], y=reference["estimate"], mode="markers",
                       marker=dict(symbol="circle-open", size=10), name="reference (0)")
        )
        figure.add_hline(y=0, line_dash="dot")
        figure.add_vline(x=-0.5, line_dash="dash")
        figure.update_layout(title=self.method, xaxis_title="event time",
                             yaxis_title=f"effect on {self.yname}")
        return figure
