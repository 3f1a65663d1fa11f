"""Two-way fixed-effects event study and difference-in-differences with clustered errors."""

from __future__ import annotations

import pandas as pd

from .designs import event_time_design, post_treated_indicator
from .errors import RegressionInputError
from .ols import ClusteredOLS
from .panel import clusters_with_nonzero, prepare_panel, units_nested_in_clusters
from .regression_result import EventStudyResult, TwfeDidResult
from .within import TwoWayAbsorber


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise RegressionInputError(f"alpha must be in (0, 1), got {alpha}")


def event_study(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    leads: int | None = None,
    lags: int | None = None,
    reference: int = -1,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> EventStudyResult:
    """Two-way fixed-effects event-study regression with cluster-robust inference.

    Regresses ``yname`` on dummies for each event time ``tname - gname`` of treated units,
    from ``-leads`` to ``lags`` with the ends binned and ``reference`` left out, with unit
    and period fixed effects absorbed. Never-treated units (``gname`` = 0) have no dummy.

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per unit and period (unbalanced panels are allowed).
    yname, tname, idname, gname : str
        Outcome, period, unit and first-treated-period columns (R ``did`` names).
    leads : int, optional
        Earliest event time kept is ``-leads``; earlier rows are pooled into it. Default:
        the earliest observed event time (no binning).
    lags : int, optional
        Latest event time kept; later rows are pooled into it. Default: the latest observed.
    reference : int
        Omitted event time, normalised to 0.
    cluster : str, optional
        Clustering column; defaults to ``idname``.
    alpha : float
        1 - confidence level of the pointwise intervals.

    Returns
    -------
    EventStudyResult
        Coefficients with CR1 standard errors (Stata small-sample factor
        G/(G-1) * (N-1)/(N-K), K counting the absorbed fixed effects) and t(G-1) intervals.

    Notes
    -----
    With staggered adoption and heterogeneous effects, TWFE event-study coefficients can
    mix effects across cohorts (Sun & Abraham 2021); use it where effects are plausibly
    homogeneous, or as a benchmark.
    """
    _check_alpha(alpha)
    panel = prepare_panel(data, yname, tname, idname, gname, cluster)
    design = event_time_design(panel, gname, leads, lags, reference)
    absorber = TwoWayAbsorber.build(panel.unit_codes, panel.period_codes)
    fit = ClusteredOLS(
        design=absorber.absorb(design.matrix),
        outcome=absorber.absorb(panel.outcome),
        cluster_codes=panel.cluster_codes,
        terms=design.terms,
        n_absorbed=absorber.n_absorbed,
        unnested_basis=absorber.period_basis,
        nested_units=units_nested_in_clusters(panel),
        treated_clusters=clusters_with_nonzero(design.matrix, panel.cluster_codes),
    )
    return EventStudyResult(
        fit, alpha, yname, cluster or idname, design.event_times, reference,
        design.lower_binned, design.upper_binned,
    )


def twfe_did(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> TwfeDidResult:
    """Two-way fixed-effects difference-in-differences with one ``post_treated`` coefficient.

    The regressor is 1 for treated units (``gname`` > 0) from period ``gname`` on. Unit and
    period fixed effects are absorbed; inference is CR1 cluster-robust with t(G-1).

    Parameters
    ----------
    data : DataFrame
    yname, tname, idname, gname : str
        Outcome, period, unit and first-treated-period columns (R ``did`` names).
    cluster : str, optional
        Clustering column; defaults to ``idname``.
    alpha : float

    Returns
    -------
    TwfeDidResult
    """
    _check_alpha(alpha)
    panel = prepare_panel(data, yname, tname, idname, gname, cluster)
    treated = post_treated_indicator(panel, gname)
    absorber = TwoWayAbsorber.build(panel.unit_codes, panel.period_codes)
    fit = ClusteredOLS(
        design=absorber.absorb(treated[:, None]),
        outcome=absorber.absorb(panel.outcome),
        cluster_codes=panel.cluster_codes,
        terms=["post_treated"],
        n_absorbed=absorber.n_absorbed,
        unnested_basis=absorber.period_basis,
        nested_units=units_nested_in_clusters(panel),
        treated_clusters=clusters_with_nonzero(treated[:, None], panel.cluster_codes),
    )
    return TwfeDidResult(fit, alpha, yname, cluster or idname)
