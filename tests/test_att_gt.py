"""Callaway & Sant'Anna group-time ATTs (``tzeval.staggered``).

Reference values: R package ``did`` (Callaway & Sant'Anna) on ``mpdta``, never-treated
controls, as published in its README and "did basics" vignette (see tests/data/README.md):
ATT(g, t) table, aggregations, analytical SE of the simple aggregation (0.012034) and the
pre-test p-value (0.16812). R publishes 4 decimals, so points are compared within 6e-5.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from reference_values import MPDTA_COLUMNS, R_ATT_GT, R_DYNAMIC, R_GROUP, R_ROUNDING
from tzeval.results import ESTIMATE_COLUMNS
from tzeval.staggered import (
    OverlapError,
    SingularDesignError,
    StaggeredInputError,
    att_gt,
)
from tzeval.staggered.two_by_two import (
    ESTIMATORS,
    difference_in_means,
)

DATA = Path(__file__).parent / "data"
ROUNDING = R_ROUNDING


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(DATA / "mpdta.csv")


@pytest.fixture(scope="module")
def mpdta_boot(mpdta):
    return att_gt(mpdta, **MPDTA_COLUMNS, n_boot=999, seed=20240101)


@pytest.fixture(scope="module")
def mpdta_analytical(mpdta):
    return att_gt(mpdta, **MPDTA_COLUMNS, n_boot=0)


def simulate_panel(
    n_units: int = 1500,
    n_periods: int = 8,
    cohorts=(0, 4, 6),
    anticipation: int = 0,
    seed: int = 0,
) -> pd.DataFrame:
    """Staggered panel with unit and time effects and known dynamic effects.

    The effect of cohort g at t is ``1 + 0.2 * (t - g + anticipation)`` from
    ``t = g - anticipation`` on, 0 before.
    """
    rng = np.random.default_rng(seed)
    periods = np.arange(1, n_periods + 1)
    cohort = rng.choice(np.asarray(cohorts), size=n_units)
    covariate = rng.normal(size=n_units)
    outcome = (
        0.5 * covariate[:, None]
        + rng.normal(size=n_units)[:, None]
        + 0.1 * periods
        + rng.normal(scale=0.3, size=(n_units, n_periods))
    )
    outcome = outcome + true_effect(cohort[:, None], periods[None, :], anticipation)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n_units), n_periods),
            "t": np.tile(periods, n_units),
            "g": np.repeat(cohort, n_periods),
            "y": outcome.ravel(),
            "x": np.repeat(covariate, n_periods),
        }
    )


def true_effect(group, time, anticipation=0):
    exposure = np.asarray(time) - np.asarray(group) + anticipation
    return np.where((np.asarray(group) > 0) & (exposure >= 0), 1.0 + 0.2 * exposure, 0.0)


SIM = {"yname": "y", "tname": "t", "idname": "id", "gname": "g"}


# --- R did reference values on mpdta ------------------------------------------------


def test_att_gt_matches_r_did_on_mpdta(mpdta_boot):
    frame = mpdta_boot.to_frame()
    assert list(frame.columns) == ["group", "time", *ESTIMATE_COLUMNS]
    for group, expected in R_ATT_GT.items():
        rows = frame[frame["group"] == group].sort_values("time")
        assert rows["time"].tolist() == [2004, 2005, 2006, 2007]
        np.testing.assert_allclose(rows["estimate"], expected, atol=ROUNDING)


@pytest.mark.parametrize("est_method", ["reg", "ipw"])
def test_methods_coincide_without_covariates(mpdta, mpdta_analytical, est_method):
    other = att_gt(mpdta, **MPDTA_COLUMNS, est_method=est_method, n_boot=0)
    np.testing.assert_allclose(other.estimate, mpdta_analytical.estimate, atol=1e-12)


def test_intercept_only_estimators_reduce_to_difference_in_means(mpdta):
    wide = mpdta.pivot(index="countyreal", columns="year", values="lemp")
    cohort = mpdta.groupby("countyreal")["first.treat"].first().loc[wide.index].to_numpy()
    members = (cohort == 2004) | (cohort == 0)
    delta_y = (wide[2006] - wide[2003]).to_numpy()[members]
    treated = cohort[members] == 2004
    att, influence = difference_in_means(delta_y, treated)
    ones = np.ones((members.sum(), 1))
    for name, estimator in ESTIMATORS.items():
        other_att, other_influence = estimator(delta_y, treated, ones, "test cell")
        assert other_att == pytest.approx(att, abs=1e-12), name
        np.testing.assert_allclose(other_influence, influence, atol=1e-9, err_msg=name)
    assert att == pytest.approx(R_ATT_GT[2004][2], abs=ROUNDING)


def test_simple_aggregation_matches_r_did(mpdta_analytical):
    simple = mpdta_analytical.aggregate("simple")
    assert simple.overall.estimate == pytest.approx(-0.039951, abs=1e-6)
    assert simple.overall.std_error == pytest.approx(0.012034, abs=1e-6)
    z = 1.959963984540054
    assert simple.overall.conf_low == pytest.approx(-0.039951 - z * 0.012034, abs=1e-5)
    frame = simple.to_frame()
    assert list(frame.columns) == ESTIMATE_COLUMNS and len(frame) == 1


def test_dynamic_aggregation_matches_r_did(mpdta_boot):
    dynamic = mpdta_boot.aggregate("dynamic")
    frame = dynamic.to_frame()
    assert list(frame.columns) == ["event_time", *ESTIMATE_COLUMNS]
    assert frame["event_time"].tolist() == list(R_DYNAMIC)
    np.testing.assert_allclose(frame["estimate"], list(R_DYNAMIC.values()), atol=ROUNDING)
    assert dynamic.overall.estimate == pytest.approx(-0.0772, abs=ROUNDING)
    assert dynamic.overall.std_error == pytest.approx(0.020, rel=0.15)


def test_group_and_calendar_aggregations_match_r_did(mpdta_boot):
    group = mpdta_boot.aggregate("group")
    frame = group.to_frame()
    assert list(frame.columns) == ["group", *ESTIMATE_COLUMNS]
    np.testing.assert_allclose(frame["estimate"], list(R_GROUP.values()), atol=ROUNDING)
    assert group.overall.estimate == pytest.approx(-0.031, abs=6e-4)
    calendar = mpdta_boot.aggregate("calendar")
    assert list(calendar.to_frame().columns) == ["time", *ESTIMATE_COLUMNS]
    assert calendar.to_frame()["time"].tolist() == [2004, 2005, 2006, 2007]
    assert calendar.overall.estimate == pytest.approx(-0.0417, abs=ROUNDING)


def test_pretest_matches_r_did(mpdta_boot):
    assert mpdta_boot.pretest.df == 5
    assert mpdta_boot.pretest.p_value == pytest.approx(0.16812, abs=1e-5)
    assert "0.16812" in mpdta_boot.summary()


def test_bootstrap_standard_errors_close_to_analytical(mpdta_boot):
    inference = mpdta_boot.inference
    assert inference.se_type == "bootstrap"
    np.testing.assert_allclose(inference.std_error, inference.std_error_bootstrap)
    ratio = inference.std_error_bootstrap / inference.std_error_analytical
    assert np.all(np.abs(ratio - 1) < 0.15), ratio
    for kind in ("dynamic", "group", "calendar"):
        table = mpdta_boot.aggregate(kind).inference
        ratio = table.std_error_bootstrap / table.std_error_analytical
        assert np.all(np.abs(ratio - 1) < 0.15), (kind, ratio)


def test_weight_estimation_term_keeps_influence_functions_centred(mpdta_analytical):
    for kind in ("simple", "dynamic", "group", "calendar"):
        aggregated = mpdta_analytical.aggregate(kind)
        assert abs(aggregated.overall_influence.mean()) < 1e-12, kind
        if aggregated.influence is not None:
            assert np.abs(aggregated.influence.mean(axis=0)).max() < 1e-12, kind


def test_aggregated_standard_error_includes_weight_estimation(mpdta_analytical):
    simple = mpdta_analytical.aggregate("simple")
    post = mpdta_analytical.post
    n_units = mpdta_analytical.n_units
    cohorts = mpdta_analytical.unit_cohorts
    shares = np.array([np.mean(cohorts == g) for g in mpdta_analytical.groups[post]])
    fixed_weights = shares / shares.sum()
    without_weight_term = mpdta_analytical.influence[:, post] @ fixed_weights
    se_fixed = np.sqrt(np.sum(without_weight_term**2)) / n_units
    assert simple.overall.std_error > se_fixed


# --- covariates ----------------------------------------------------------------------


def test_covariates_methods_agree_and_match_r(mpdta):
    results = {
        method: att_gt(mpdta, **MPDTA_COLUMNS, xformla=["lpop"], est_method=method, n_boot=0)
        for method in ("dr", "ipw", "reg")
    }
    for result in results.values():
        assert np.all(np.isfinite(result.estimate))
        assert np.all(np.isfinite(result.inference.std_error)) and np.all(result.std_error > 0)
    assert np.max(np.abs(results["dr"].estimate - results["ipw"].estimate)) < 0.003
    assert np.max(np.abs(results["dr"].estimate - results["reg"].estimate)) < 0.003
    simple = results["dr"].aggregate("simple").overall
    assert simple.estimate == pytest.approx(-0.0418, abs=1e-4)
    # covariates do change the estimates relative to the unconditional DiD
    unconditional = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=0).estimate
    assert np.max(np.abs(results["dr"].estimate - unconditional)) > 1e-3


def test_formula_string_equals_column_list(mpdta):
    listed = att_gt(mpdta, **MPDTA_COLUMNS, xformla=["lpop"], n_boot=0)
    formula = att_gt(mpdta, **MPDTA_COLUMNS, xformla="~ lpop", n_boot=0)
    np.testing.assert_array_equal(listed.estimate, formula.estimate)
    none = att_gt(mpdta, **MPDTA_COLUMNS, xformla="~1", n_boot=0)
    assert none.design.covariates == ()


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg", "dr_improved"])
def test_influence_function_matches_jackknife(est_method):
    """Analytical influence functions, nuisance-estimation terms included, against the
    jackknife pseudo-values ``(n - 1) * (theta - theta_(-i))`` of one 2x2 comparison
    whose covariates drive both selection and trends. The outcome model is misspecified
    (quadratic trend), so the doubly robust estimator's propensity-score term matters:
    without it the correlation drops to about 0.95."""
    rng = np.random.default_rng(11)
    n = 700
    covariates = rng.normal(size=(n, 2))
    treated = rng.random(n) < 1 / (1 + np.exp(-(covariates @ [0.5, -0.3])))
    delta_y = (
        covariates @ [0.6, 0.3]
        + 0.8 * covariates[:, 0] ** 2
        + 0.5 * treated
        + rng.normal(size=n) * (1 + 0.5 * treated)
    )
    design = np.column_stack([np.ones(n), covariates])
    estimator = ESTIMATORS[est_method]
    att, influence = estimator(delta_y, treated, design, "test cell")
    keep = np.ones(n, dtype=bool)
    pseudo = np.empty(n)
    for i in range(n):
        keep[i] = False
        leave_one_out = estimator(delta_y[keep], treated[keep], design[keep], "jackknife")[0]
        pseudo[i] = (n - 1) * (att - leave_one_out)
        keep[i] = True
    assert np.corrcoef(pseudo, influence)[0, 1] > 0.999
    # the jackknife overstates the spread by O(1/n): 1-2% here, less with more units
    assert np.sqrt(np.mean(influence**2)) == pytest.approx(np.sqrt(np.mean(pseudo**2)), rel=0.03)


def test_improved_doubly_robust_calibrates_and_agrees(mpdta):
    from tzeval.staggered.propensity import fit_calibrated

    rng = np.random.default_rng(4)
    design = np.column_stack([np.ones(400), rng.normal(size=(400, 2))])
    treated = rng.random(400) < 1 / (1 + np.exp(-design[:, 1]))
    pscore = fit_calibrated(design, treated, "test")
    odds = pscore / (1 - pscore)
    # inverse probability tilting: reweighted controls reproduce the treated totals
    reweighted_controls = (design[~treated] * odds[~treated, None]).sum(axis=0)
    np.testing.assert_allclose(reweighted_controls, design[treated].sum(axis=0), rtol=1e-9)
    improved = att_gt(mpdta, **MPDTA_COLUMNS, xformla="~lpop", est_method="dr_improved", n_boot=0)
    traditional = att_gt(mpdta, **MPDTA_COLUMNS, xformla="~lpop", est_method="dr", n_boot=0)
    assert np.max(np.abs(improved.estimate - traditional.estimate)) < 5e-4
    assert not np.array_equal(improved.estimate, traditional.estimate)
    assert "improved doubly robust" in improved.summary()


# --- simulated panel with known effects -------------------------------------------


@pytest.mark.parametrize("control_group", ["nevertreated", "notyettreated"])
@pytest.mark.parametrize("base_period", ["varying", "universal"])
def test_recovers_known_effects(control_group, base_period):
    panel = simulate_panel(seed=1)
    result = att_gt(
        panel, **SIM, control_group=control_group, base_period=base_period, n_boot=499, seed=3
    )
    frame = result.to_frame()
    truth = true_effect(frame["group"], frame["time"])
    if base_period == "universal":
        reference = frame["time"] == frame["group"] - 1
        assert np.all(frame.loc[reference, ["estimate", "std_error"]].to_numpy() == 0)
        frame, truth = frame[~reference], truth[~reference]
    z = (frame["estimate"] - truth) / frame["std_error"]
    assert np.all(np.abs(z) < 4), z
    assert result.inference.simultaneous_critical_value > result.inference.pointwise_critical_value
    band = result.to_frame("simultaneous")
    assert band.attrs["interval_kind"] == "simultaneous"
    width_band = band["conf_high"] - band["conf_low"]
    width_pointwise = result.to_frame()["conf_high"] - result.to_frame()["conf_low"]
    assert np.all(width_band >= width_pointwise) and np.any(width_band > width_pointwise)
    full_truth = true_effect(band["group"], band["time"])
    covered = (band["conf_low"] <= full_truth) & (full_truth <= band["conf_high"])
    assert covered.all()  # fixed seed: the 95% band covers every true effect jointly
    dynamic = result.aggregate("dynamic").to_frame()
    post = dynamic["event_time"] >= 0
    np.testing.assert_allclose(
        dynamic.loc[post, "estimate"], 1 + 0.2 * dynamic.loc[post, "event_time"], atol=0.08
    )


def test_covariate_estimators_recover_effect_with_covariate_specific_trends():
    rng = np.random.default_rng(5)
    panel = simulate_panel(n_units=2000, seed=5)
    units = panel.groupby("id")[["g", "x"]].first()
    # treated cohorts have higher x, and x drives the trend: unconditional DiD is biased
    shift = np.where(units["g"] > 0, 0.5, 0.0) + rng.normal(size=len(units))
    panel["x"] = np.repeat(shift, 8)
    panel["y"] = panel["y"] + 0.3 * panel["x"] * panel["t"]
    truth = None
    for method in ("dr", "ipw", "reg"):
        result = att_gt(panel, **SIM, xformla=["x"], est_method=method, n_boot=0)
        frame = result.to_frame()
        truth = true_effect(frame["group"], frame["time"])
        z = (frame["estimate"] - truth) / frame["std_error"]
        assert np.all(np.abs(z) < 4.5), (method, z.abs().max())
    naive = att_gt(panel, **SIM, n_boot=0).to_frame()
    assert np.max(np.abs(naive["estimate"] - truth)) > 0.2


def test_anticipation_moves_the_base_period():
    panel = simulate_panel(anticipation=1, seed=2)
    result = att_gt(panel, **SIM, anticipation=1, n_boot=0)
    frame = result.to_frame()
    post = frame["time"] >= frame["group"]
    truth = true_effect(frame["group"], frame["time"], anticipation=1)
    np.testing.assert_allclose(frame.loc[post, "estimate"], truth[post], atol=0.08)
    ignoring = att_gt(panel, **SIM, n_boot=0).to_frame()
    assert np.all(ignoring.loc[post, "estimate"] < truth[post] - 0.7)
    # the anticipation cells carry the effect and are left out of the pre-test
    assert result.pretest.df == int(np.sum(frame["time"] < frame["group"] - 1))
    assert result.pretest.p_value > 0.001


def test_bootstrap_reproducible_and_weights_selectable(mpdta):
    first = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=199, seed=7)
    second = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=199, seed=7)
    np.testing.assert_array_equal(first.std_error, second.std_error)
    assert first.bootstrap.seed == second.bootstrap.seed
    rademacher = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=199, seed=7, boot_weights="rademacher")
    assert not np.array_equal(rademacher.std_error, first.std_error)
    ratio = rademacher.std_error / rademacher.inference.std_error_analytical
    assert np.all(np.abs(ratio - 1) < 0.25)
    analytical = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=199, seed=7, se_type="analytical")
    np.testing.assert_array_equal(analytical.std_error, analytical.inference.std_error_analytical)
    assert analytical.inference.has_simultaneous


def test_no_bootstrap_means_no_band(mpdta_analytical):
    assert mpdta_analytical.inference.se_type == "analytical"
    assert not mpdta_analytical.inference.has_simultaneous
    with pytest.raises(ValueError, match="simultaneous"):
        mpdta_analytical.to_frame("simultaneous")


# --- reporting --------------------------------------------------------------------


def test_summary_and_plots_name_method_and_intervals(mpdta_boot):
    text = mpdta_boot.summary()
    assert "Callaway & Sant'Anna" in text and "doubly robust" in text
    assert "pointwise 95%" in text and "simultaneous 95% band" in text
    assert mpdta_boot.to_frame().attrs["interval_kind"] == "pointwise"
    dynamic = mpdta_boot.aggregate("dynamic")
    dyn_text = dynamic.summary()
    assert "pointwise 95%" in dyn_text and "simultaneous 95% band" in dyn_text
    figure = dynamic.plot()
    assert isinstance(figure, go.Figure)
    names = " ".join(trace.name for trace in figure.data)
    assert "simultaneous band" in names and "pointwise interval" in names
    assert isinstance(mpdta_boot.plot(), go.Figure)
    assert isinstance(mpdta_boot.aggregate("simple").plot(), go.Figure)
    assert "Overall" in mpdta_boot.aggregate("group").summary()


# --- bad input --------------------------------------------------------------------


def test_first_cohort_with_single_pre_period_works(mpdta):
    # cohort 2004 is treated in the second of five years: one pre-period only
    second_period = mpdta.copy()
    result = att_gt(second_period, **MPDTA_COLUMNS, n_boot=0, base_period="universal")
    frame = result.to_frame()
    first = frame[frame["group"] == 2004]
    assert first["time"].tolist() == [2003, 2004, 2005, 2006, 2007]
    assert first["estimate"].iloc[0] == 0.0  # 2003 is the reference year
    np.testing.assert_allclose(first["estimate"].iloc[1:], R_ATT_GT[2004], atol=ROUNDING)


def test_unbalanced_panel_is_rejected_naming_unit_and_period(mpdta):
    holey = mpdta.drop(index=mpdta.index[(mpdta["countyreal"] == 8001) & (mpdta["year"] == 2005)])
    with pytest.raises(StaggeredInputError, match=r"unbalanced.*\(8001, 2005\)"):
        att_gt(holey, **MPDTA_COLUMNS, n_boot=0)


def test_missing_outcome_names_unit_and_period(mpdta):
    missing = mpdta.copy()
    missing.loc[(missing["countyreal"] == 8019) & (missing["year"] == 2006), "lemp"] = np.nan
    with pytest.raises(StaggeredInputError, match=r"outcome 'lemp'.*\(8019, 2006\)"):
        att_gt(missing, **MPDTA_COLUMNS, n_boot=0)
    no_covariate = mpdta.copy()
    cell = (no_covariate["countyreal"] == 8019) & (no_covariate["year"] == 2004)
    no_covariate.loc[cell, "lpop"] = None
    with pytest.raises(StaggeredInputError, match=r"covariate 'lpop'.*\(8019, 2004\)"):
        att_gt(no_covariate, **MPDTA_COLUMNS, xformla=["lpop"], n_boot=0)


def test_duplicate_rows_and_varying_cohort_are_rejected(mpdta):
    with pytest.raises(StaggeredInputError, match="more than once"):
        att_gt(pd.concat([mpdta, mpdta.iloc[:1]]), **MPDTA_COLUMNS, n_boot=0)
    varying = mpdta.copy()
    varying.loc[(varying["countyreal"] == 8001) & (varying["year"] == 2003), "first.treat"] = 2006
    with pytest.raises(StaggeredInputError, match=r"constant within each unit.*8001"):
        att_gt(varying, **MPDTA_COLUMNS, n_boot=0)
    with pytest.raises(StaggeredInputError, match="'nope' is not a column"):
        att_gt(mpdta, yname="nope", tname="year", idname="countyreal", gname="first.treat")


def test_no_never_treated_or_no_treated_units_are_rejected(mpdta):
    never = mpdta["first.treat"] == 0
    treated_only = mpdta[~never]
    for control_group in ("nevertreated", "notyettreated"):
        with pytest.raises(StaggeredInputError, match="no never-treated"):
            att_gt(treated_only, **MPDTA_COLUMNS, control_group=control_group, n_boot=0)
    with pytest.raises(StaggeredInputError, match="no treated units"):
        att_gt(mpdta[never], **MPDTA_COLUMNS, n_boot=0)


def test_units_treated_from_the_first_period_are_dropped_with_warning(mpdta):
    early = mpdta.copy()
    early.loc[early["countyreal"] == 8001, "first.treat"] = 2003
    with pytest.warns(UserWarning, match="dropped 1 units"):
        result = att_gt(early, **MPDTA_COLUMNS, n_boot=0)
    assert result.n_units == 499 and result.dropped_units.tolist() == [8001]


def test_singular_covariate_design_names_the_cell(mpdta):
    collinear = mpdta.assign(lpop2=2 * mpdta["lpop"])
    with pytest.raises(SingularDesignError, match=r"ATT\(g=2004, t=2004\)"):
        att_gt(collinear, **MPDTA_COLUMNS, xformla=["lpop", "lpop2"], est_method="reg", n_boot=0)
    constant = mpdta.assign(one=1.0)
    with pytest.raises(SingularDesignError, match="singular"):
        att_gt(constant, **MPDTA_COLUMNS, xformla=["one"], n_boot=0)


def test_perfect_separation_is_an_overlap_error(mpdta):
    separating = mpdta.assign(flag=(mpdta["first.treat"] == 2004).astype(float))
    with pytest.raises(OverlapError, match=r"ATT\(g=2004"):
        att_gt(separating, **MPDTA_COLUMNS, xformla=["flag"], est_method="ipw", n_boot=0)


def test_bad_options_are_rejected(mpdta):
    for options, pattern in [
        ({"control_group": "everyone"}, "control_group"),
        ({"est_method": "ols"}, "est_method"),
        ({"base_period": "fixed"}, "base_period"),
        ({"alpha": 1.5}, "alpha"),
        ({"anticipation": -1}, "anticipation"),
        ({"boot_weights": "normal"}, "boot_weights"),
        ({"se_type": "robust"}, "se_type"),
        ({"xformla": "~ log(lpop)"}, "xformla"),
    ]:
        with pytest.raises(StaggeredInputError, match=pattern):
            att_gt(mpdta, **MPDTA_COLUMNS, n_boot=0, **options)
    with pytest.raises(StaggeredInputError, match="n_boot"):
        att_gt(mpdta, **MPDTA_COLUMNS, n_boot=-5)
    result = att_gt(mpdta, **MPDTA_COLUMNS, n_boot=0)
    with pytest.raises(StaggeredInputError, match="kind"):
        result.aggregate("weekly")
    with pytest.raises(StaggeredInputError, match="dynamic"):
        result.aggregate("group", max_e=2)


def test_dynamic_event_time_window(mpdta_analytical):
    window = mpdta_analytical.aggregate("dynamic", min_e=-1, max_e=2).to_frame()
    assert window["event_time"].tolist() == [-1, 0, 1, 2]
    expected = [R_DYNAMIC[e] for e in (-1, 0, 1, 2)]
    np.testing.assert_allclose(window["estimate"], expected, atol=ROUNDING)
    balanced = mpdta_analytical.aggregate("dynamic", balance_e=1)
    # only cohorts observed at least one period after treatment (2004, 2006) remain
    assert balanced.to_frame()["event_time"].max() == 1


def test_no_warnings_on_clean_input(mpdta):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        att_gt(mpdta, **MPDTA_COLUMNS, n_boot=49, seed=1).aggregate("dynamic")


def test_blocked_bootstrap_equals_dense(mpdta_boot):
    from tzeval.staggered.bootstrap import cohort_blocks as _cohort_blocks

    blocks = _cohort_blocks(mpdta_boot.groups)
    assert [b.stop - b.start for b in blocks] == [4, 4, 4]
    dense = mpdta_boot.bootstrap.draws(mpdta_boot.influence)
    blocked = mpdta_boot.bootstrap.draws(mpdta_boot.influence, blocks)
    np.testing.assert_allclose(blocked, dense, rtol=1e-10, atol=1e-12)
    # draws are sqrt(n) * mean(v * psi): their spread matches the analytical standard error
    spread = dense.std(axis=0) / np.sqrt(mpdta_boot.n_units)
    np.testing.assert_allclose(spread, mpdta_boot.inference.std_error_analytical, rtol=0.15)
