"""Two-way fixed-effects event study and DiD with CR1 cluster-robust inference.

Peer implementation: statsmodels OLS on explicit unit and year dummies with
``cov_type="cluster"`` (CR1 with G/(G-1)(N-1)/(N-K), t(G-1) with ``use_t=True``), on the
mpdta panel of R ``did`` (500 counties x 2003-2007).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import statsmodels.api as sm

from tzeval.fewclusters import EventStudyResult, RegressionInputError, event_study, twfe_did
from tzeval.results import ESTIMATE_COLUMNS

DATA = Path(__file__).parent / "data"
NAMES = dict(yname="lemp", tname="year", idname="countyreal", gname="first.treat")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "mpdta.csv")
    frame["state"] = frame["countyreal"] // 1000
    return frame


@pytest.fixture(scope="module")
def mpdta_part(mpdta) -> pd.DataFrame:
    """Every third county: keeps the peer regressions with explicit dummies quick."""
    counties = np.sort(mpdta["countyreal"].unique())[::3]
    return mpdta[mpdta["countyreal"].isin(counties)].reset_index(drop=True)


def dummy_regression(frame: pd.DataFrame, regressors: pd.DataFrame, cluster: str):
    """Peer fit: explicit intercept, unit and year dummies, statsmodels cluster covariance."""
    design = pd.concat(
        [
            regressors.reset_index(drop=True),
            pd.get_dummies(frame["countyreal"], prefix="u", drop_first=True, dtype=float)
            .reset_index(drop=True),
            pd.get_dummies(frame["year"], prefix="y", drop_first=True, dtype=float)
            .reset_index(drop=True),
        ],
        axis=1,
    )
    design = sm.add_constant(design)
    groups = pd.factorize(frame[cluster])[0]
    model = sm.OLS(frame["lemp"].to_numpy(), design.to_numpy())
    fitted = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    k = regressors.shape[1]
    return (fitted.params[1 : k + 1], fitted.bse[1 : k + 1], fitted.conf_int()[1 : k + 1],
            fitted.pvalues[1 : k + 1])


def event_dummies(frame: pd.DataFrame, event_times, first: int, last: int) -> pd.DataFrame:
    cohort = frame["first.treat"].to_numpy()
    relative = np.where(cohort > 0, frame["year"].to_numpy() - cohort, np.nan)
    binned = np.clip(relative, first, last)
    return pd.DataFrame({f"e{e}": (binned == e).astype(float) for e in event_times})


def assert_matches_peer(result, peer) -> None:
    coefficients, std_errors, intervals, p_values = peer
    np.testing.assert_allclose(result.coefficients, coefficients, rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.std_errors, std_errors, rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.conf_low, intervals[:, 0], rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.conf_high, intervals[:, 1], rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.p_values, p_values, rtol=1e-6, atol=1e-10)


def test_event_study_matches_statsmodels_dummies(mpdta):
    result = event_study(mpdta, **NAMES)
    assert list(result.event_time) == [-4, -3, -2, 0, 1, 2, 3]
    assert not result.lower_binned and not result.upper_binned
    peer = dummy_regression(mpdta, event_dummies(mpdta, result.event_time, -4, 3), "countyreal")
    assert_matches_peer(result, peer)
    assert result.df == 499


def test_twfe_did_matches_statsmodels_dummies(mpdta_part):
    result = twfe_did(mpdta_part, **NAMES)
    treated = (mpdta_part["first.treat"] > 0) & (mpdta_part["year"] >= mpdta_part["first.treat"])
    peer = dummy_regression(
        mpdta_part, pd.DataFrame({"d": treated.astype(float)}), "countyreal"
    )
    assert_matches_peer(result, peer)
    assert result.terms == ["post_treated"]


def test_binned_event_study_matches_statsmodels(mpdta_part):
    result = event_study(mpdta_part, **NAMES, leads=2, lags=1, cluster="state")
    assert list(result.event_time) == [-2, 0, 1]
    assert result.lower_binned and result.upper_binned
    peer = dummy_regression(
        mpdta_part, event_dummies(mpdta_part, result.event_time, -2, 1), "state"
    )
    assert_matches_peer(result, peer)
    assert result.n_clusters == mpdta_part["state"].nunique()
    assert "pools all earlier" in result.summary()


def test_event_study_on_unbalanced_panel_matches_statsmodels(mpdta_part):
    rng = np.random.default_rng(7)
    unbalanced = mpdta_part.drop(index=rng.choice(len(mpdta_part), size=120, replace=False))
    result = event_study(unbalanced, **NAMES)
    peer = dummy_regression(
        unbalanced, event_dummies(unbalanced, result.event_time, -4, 3), "countyreal"
    )
    assert_matches_peer(result, peer)


def test_event_study_with_other_reference_matches_peer(mpdta_part):
    result = event_study(mpdta_part, **NAMES, reference=-2)
    assert -2 not in result.event_time and -1 in result.event_time
    peer = dummy_regression(
        mpdta_part, event_dummies(mpdta_part, result.event_time, -4, 3), "countyreal"
    )
    assert_matches_peer(result, peer)


def test_result_conventions(mpdta):
    result = event_study(mpdta, **NAMES)
    assert isinstance(result, EventStudyResult)
    frame = result.to_frame()
    assert list(frame.columns) == ["event_time", "term", *ESTIMATE_COLUMNS]
    assert (frame["conf_low"] < frame["estimate"]).all()
    assert (frame["estimate"] < frame["conf_high"]).all()
    assert frame["p_value"].between(0, 1).all()
    text = result.summary()
    assert "event study" in text and "CR1" in text and "95% pointwise" in text
    assert "499 degrees of freedom" in text
    assert result.interval_kind == "pointwise"
    figure = result.plot()
    assert isinstance(figure, go.Figure)
    assert list(figure.data[0].x) == list(result.event_time)


def test_few_clusters_summary_points_to_the_bootstrap(mpdta):
    result = twfe_did(mpdta, **NAMES, cluster="state")
    assert result.n_clusters < 50
    assert "wild_bootstrap" in result.summary()
    assert isinstance(result.plot(), go.Figure)


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda f: f.drop(columns="lemp"), "lemp"),
        (lambda f: f.assign(lemp=f["lemp"].where(f.index != 3)), "'lemp'.*missing"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), "duplicated"),
        (lambda f: f.assign(**{"first.treat": f["first.treat"].where(f.index != 0, 2005)}),
         "constant within each unit"),
        (lambda f: f.assign(lemp=f["lemp"].astype(str)), "must be numeric"),
        (lambda f: f[f["first.treat"] > 0], "collinear"),
        (lambda f: f.assign(**{"first.treat": 0}), "no treated unit"),
    ],
)
def test_bad_input_raises_clear_error(mpdta, mutate, match):
    with pytest.raises(RegressionInputError, match=match):
        event_study(mutate(mpdta.copy()), **NAMES)


def test_bad_window_raises(mpdta):
    with pytest.raises(RegressionInputError, match="reference event time"):
        event_study(mpdta, **NAMES, leads=0)
    with pytest.raises(RegressionInputError, match="lags"):
        event_study(mpdta, **NAMES, lags=-1)
    with pytest.raises(RegressionInputError, match="no treated observation"):
        event_study(mpdta, **NAMES, lags=6)
    with pytest.raises(RegressionInputError, match="alpha"):
        twfe_did(mpdta, **NAMES, alpha=1.5)
