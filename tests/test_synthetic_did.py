"""Synthetic difference-in-differences against R synthdid's published numbers.

References (Prop 99, ``cigsale``, California treated 1989-2000, no covariates):

* R ``synthdid`` point estimates SDID -15.6038, SC -19.6197, DID -27.3491 (deterministic);
  its printout for SDID: effective N0 16.4 of 38, effective T0 2.8 of 19.
* Placebo standard errors in Arkhangelsky et al. (2021), Table 1 (random, 200 placebos):
  SDID 8.4, SC 9.9, DID 17.7.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy import optimize

from reference_values import PROP99_ESTIMATES, PROP99_PLACEBO_SE
from tzeval.results import ESTIMATE_COLUMNS
from tzeval.sdid import (
    PanelShapeError,
    SyntheticDiDError,
    SyntheticDiDResult,
    TreatmentDesignError,
    VarianceMethodError,
    synthetic_did,
)
from tzeval.sdid.effects import period_effects
from tzeval.sdid.frank_wolfe import SimplexRidgeProblems, frank_wolfe, solve_sparsified, sparsify
from tzeval.sdid.panel import block_panel_from_long
from tzeval.sdid.samples import UnitSamples, bootstrap_samples, observed_sample, placebo_samples
from tzeval.sdid.variance import jackknife_effects, warm_start
from tzeval.sdid.weights import fit_weights, regularisation

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def smoking() -> pd.DataFrame:
    data = pd.read_csv(DATA / "smoking.csv")[["state", "year", "cigsale"]]
    data["treated"] = ((data["state"] == "California") & (data["year"] >= 1989)).astype(int)
    return data


@pytest.fixture(scope="module")
def prop99_fits(smoking) -> dict[str, SyntheticDiDResult]:
    return {
        method: synthetic_did(smoking, "state", "year", "cigsale", "treated", method=method, seed=2021)
        for method in PROP99_ESTIMATES
    }


def simulate_block(
    seed: int,
    n_units: int = 40,
    n_treated: int = 8,
    n_periods: int = 20,
    n_pre: int = 14,
    effect: float = 3.0,
    sigma: float = 0.5,
    factor_loadings: bool = False,
) -> pd.DataFrame:
    """Two-way fixed effects plus noise, optionally plus a trend factor on which treated
    units load more than the average control (parallel trends then fail)."""
    rng = np.random.default_rng(seed)
    outcome = rng.normal(0, 2, n_units)[:, None] + np.cumsum(rng.normal(0, 0.5, n_periods))[None, :]
    if factor_loadings:
        loading = rng.uniform(0.0, 1.6, n_units)
        loading[n_units - n_treated :] = rng.uniform(1.0, 1.4, n_treated)
        outcome = outcome + loading[:, None] * np.linspace(0.0, 3.0, n_periods)[None, :]
    outcome = outcome + rng.normal(0, sigma, (n_units, n_periods))
    treated = np.zeros((n_units, n_periods), dtype=int)
    treated[n_units - n_treated :, n_pre:] = 1
    return pd.DataFrame(
        {
            "unit": np.repeat([f"u{i:02d}" for i in range(n_units)], n_periods),
            "period": np.tile(np.arange(2000, 2000 + n_periods), n_units),
            "y": (outcome + effect * treated).ravel(),
            "d": treated.ravel(),
        }
    )


def did_standard_deviation(n_control, n_treated, n_pre, n_post, sigma) -> float:
    """Sampling sd of the 2x2 DiD of means under iid noise."""
    return sigma * np.sqrt(
        1 / (n_treated * n_post)
        + 1 / (n_treated * n_pre)
        + 1 / (n_control * n_post)
        + 1 / (n_control * n_pre)
    )


# --- Prop 99: the published numbers ---------------------------------------------------


@pytest.mark.parametrize("method", list(PROP99_ESTIMATES))
def test_prop99_point_estimates_match_synthdid(prop99_fits, method):
    assert prop99_fits[method].estimate == pytest.approx(PROP99_ESTIMATES[method], abs=1e-3)


def test_prop99_sdid_weights_match_synthdid_printout(prop99_fits):
    fit = prop99_fits["sdid"]
    omega, lam = fit.unit_weights, fit.time_weights
    assert omega.sum() == pytest.approx(1.0) and lam.sum() == pytest.approx(1.0)
    assert (omega >= 0).all() and (lam >= 0).all()
    assert 1 / np.square(omega).sum() == pytest.approx(16.4, abs=0.05)
    assert 1 / np.square(lam).sum() == pytest.approx(2.8, abs=0.05)
    # the time weights sit on the last pre-treatment years
    assert set(lam[lam > 0.01].index) <= {1986.0, 1987.0, 1988.0}
    assert "California" not in omega.index and omega.size == 38


def test_prop99_sc_and_did_weights(prop99_fits):
    assert (prop99_fits["sc"].time_weights == 0).all()
    assert prop99_fits["sc"].unit_weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(prop99_fits["did"].unit_weights, 1 / 38)
    np.testing.assert_allclose(prop99_fits["did"].time_weights, 1 / 19)


@pytest.mark.parametrize("method", list(PROP99_PLACEBO_SE))
def test_prop99_placebo_standard_errors_near_paper(prop99_fits, method):
    fit = prop99_fits[method]
    assert fit.se_method == "placebo" and fit.n_reps == 200
    assert fit.std_error == pytest.approx(PROP99_PLACEBO_SE[method], rel=0.30)
    assert fit.std_error == pytest.approx(np.std(fit.replicate_estimates), rel=1e-12)


@pytest.mark.parametrize("method", list(PROP99_PLACEBO_SE))
def test_prop99_exhaustive_placebo_spread_near_paper(smoking, method):
    """With one treated unit a placebo is determined by the control it treats, so the
    placebo SE estimates the spread of the 38 leave-one-control-treated estimates; that
    spread is deterministic and must sit within the +/-15% run-to-run range of the paper."""
    assert exhaustive_placebo_sd(smoking, method) == pytest.approx(PROP99_PLACEBO_SE[method], rel=0.15)


def exhaustive_placebo_sd(data: pd.DataFrame, method: str) -> float:
    """Spread of the leave-one-control-treated estimates, each control treated in turn."""
    panel = block_panel_from_long(data, "state", "year", "cigsale", "treated")
    tuning = regularisation(panel, method)
    observed = fit_weights(panel, method, tuning, observed_sample(panel))
    n_control = panel.n_control
    controls = np.array([np.delete(np.arange(n_control), j) for j in range(n_control)])
    share = np.zeros((n_control, panel.n_units))
    share[np.arange(n_control), np.arange(n_control)] = 1.0
    samples = UnitSamples(controls, share)
    weights = fit_weights(panel, method, tuning, samples, *warm_start(samples, observed))
    return float(np.std(period_effects(panel, samples, weights)[:, panel.n_pre :].mean(axis=1)))


def test_prop99_synthdid_estimate_is_its_capped_iterate(prop99_fits):
    """R's published SDID estimate is where its Frank-Wolfe stood at the 10,000-iteration
    cap, its stopping rule unmet; the parity above depends on following it there."""
    table = prop99_fits["sdid"].solver_iterations.set_index(["weights", "fits"])
    assert prop99_fits["sdid"].solver == "synthdid"
    assert table.loc[("omega", "observed"), ["max_iterations", "not_converged"]].tolist() == [10_000, 1]
    assert table.loc[("lambda", "observed"), "not_converged"] == 0


def test_prop99_converged_solver_stays_near_synthdid(smoking):
    """The minimiser's estimate is -15.6054, 1.6e-3 from R's capped iterate; every fit
    stops on the duality gap, in a few hundred iterations."""
    fit = synthetic_did(smoking, "state", "year", "cigsale", "treated", seed=2021, solver="converged")
    assert fit.estimate == pytest.approx(PROP99_ESTIMATES["sdid"], abs=2.5e-3)
    assert fit.estimate != pytest.approx(PROP99_ESTIMATES["sdid"], abs=1e-4)
    assert fit.std_error == pytest.approx(PROP99_PLACEBO_SE["sdid"], rel=0.30)
    assert 1 / np.square(fit.unit_weights).sum() == pytest.approx(16.4, abs=0.05)
    table = fit.solver_iterations
    assert (table["not_converged"] == 0).all() and (table["max_iterations"] < 1_000).all()
    assert "pairwise Frank-Wolfe" in fit.summary()


def test_prop99_interval_and_tables(prop99_fits):
    fit = prop99_fits["sdid"]
    table = fit.to_frame()
    assert list(table.columns) == ["method", "term", *ESTIMATE_COLUMNS]
    row = table.iloc[0]
    assert row["conf_low"] == pytest.approx(fit.estimate - 1.959964 * fit.std_error, rel=1e-6)
    assert row["conf_low"] < fit.estimate < row["conf_high"]
    assert 0 < row["p_value"] < 1
    assert fit.interval_kind == "pointwise"

    effects = fit.period_effects()
    assert list(effects.columns) == ["period", "post", *ESTIMATE_COLUMNS]
    assert effects["post"].sum() == 12 and effects["period"].iloc[0] == 1970
    assert effects.loc[effects["post"], "estimate"].mean() == pytest.approx(fit.estimate)
    assert (effects["std_error"] > 0).all()
    paths = fit.trajectories
    gap = paths["treated"] - paths["synthetic_control_shifted"]
    np.testing.assert_allclose(gap, effects["estimate"], atol=1e-9)


def test_summary_names_method_interval_and_level(prop99_fits):
    text = prop99_fits["sdid"].summary()
    for words in ("Synthetic difference-in-differences", "pointwise", "95%", "placebo", "Nevada"):
        assert words in text
    assert "-15.6038" in text


def test_plots_are_plotly_figures(prop99_fits):
    figure = prop99_fits["sdid"].plot()
    assert isinstance(figure, go.Figure)
    names = [trace.name for trace in figure.data]
    assert "treated" in names and any("lambda" in name for name in names)
    effects_figure = prop99_fits["sc"].plot(kind="effects")
    assert isinstance(effects_figure, go.Figure) and len(effects_figure.data) == 2
    with pytest.raises(ValueError, match="kind"):
        prop99_fits["sc"].plot(kind="pie")


def test_estimate_does_not_depend_on_row_order(smoking):
    shuffled = smoking.sample(frac=1.0, random_state=7).reset_index(drop=True)
    fit = synthetic_did(shuffled, "state", "year", "cigsale", "treated", method="did", n_reps=20, seed=1)
    assert fit.estimate == pytest.approx(PROP99_ESTIMATES["did"], abs=1e-3)


def test_seed_reproduces_standard_error(smoking):
    runs = [
        synthetic_did(smoking, "state", "year", "cigsale", "treated", method="did", n_reps=50, seed=seed)
        for seed in (5, 5, 6)
    ]
    assert runs[0].std_error == runs[1].std_error
    assert runs[0].std_error != runs[2].std_error


# --- simulated block designs -------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    return simulate_block(seed=11)


def test_simulated_effect_recovered_with_bootstrap(simulated):
    fit = synthetic_did(simulated, "unit", "period", "y", "d", n_reps=100, seed=3)
    assert fit.se_method == "bootstrap"  # default with several treated units
    assert abs(fit.estimate - 3.0) < 0.5
    assert abs(fit.estimate - 3.0) < 3 * fit.std_error
    reference_sd = did_standard_deviation(32, 8, 14, 6, sigma=0.5)
    assert 0.5 * reference_sd < fit.std_error < 2.5 * reference_sd
    assert fit.conf_low < 3.0 < fit.conf_high


@pytest.mark.parametrize("method", ["sdid", "did"])
def test_simulated_jackknife_standard_error(simulated, method):
    fit = synthetic_did(simulated, "unit", "period", "y", "d", method=method, se_method="jackknife")
    assert fit.n_reps == 40
    reference_sd = did_standard_deviation(32, 8, 14, 6, sigma=0.5)
    assert 0.5 * reference_sd < fit.std_error < 2.5 * reference_sd
    assert abs(fit.estimate - 3.0) < 0.5


def test_sdid_corrects_non_parallel_trends_better_than_did():
    data = simulate_block(seed=2, n_treated=6, factor_loadings=True)
    sdid, did = (
        synthetic_did(data, "unit", "period", "y", "d", method=method, se_method="jackknife")
        for method in ("sdid", "did")
    )
    assert abs(sdid.estimate - 3.0) < 0.5 * abs(did.estimate - 3.0)


def test_jackknife_matches_leave_one_out_recomputation(simulated):
    panel = block_panel_from_long(simulated, "unit", "period", "y", "d")
    tuning = regularisation(panel, "sdid")
    weights = fit_weights(panel, "sdid", tuning, observed_sample(panel))
    fast = jackknife_effects(panel, weights)
    for left_out in (0, 5, panel.n_control, panel.n_units - 1):
        kept = np.delete(np.arange(panel.n_units), left_out)
        controls = kept[kept < panel.n_control]
        omega = weights.omega[0][controls] / weights.omega[0][controls].sum()
        share = np.zeros((1, panel.n_units))
        share[0, kept[kept >= panel.n_control]] = 1.0 / np.count_nonzero(kept >= panel.n_control)
        sample = UnitSamples(controls[None, :], share)
        slow = period_effects(panel, sample, type(weights)(omega[None, :], weights.lam))
        np.testing.assert_allclose(fast[left_out], slow[0], atol=1e-10)


def test_bootstrap_samples_have_controls_and_treated(simulated):
    panel = block_panel_from_long(simulated, "unit", "period", "y", "d")
    samples = bootstrap_samples(panel, 300, np.random.default_rng(0))
    assert samples.size == 300
    assert (samples.n_controls > 0).all()
    np.testing.assert_allclose(samples.treated_share.sum(axis=1), 1.0)
    assert (samples.treated_share[:, : panel.n_control] == 0).all()
    draws = samples.n_controls + (samples.treated_share > 0).sum(axis=1)
    assert (draws <= panel.n_units).all()
    assert (samples.controls[samples.available] < panel.n_control).all()


def test_placebo_samples_use_controls_only(simulated):
    panel = block_panel_from_long(simulated, "unit", "period", "y", "d")
    samples = placebo_samples(panel, 50, np.random.default_rng(0))
    assert samples.controls.shape == (50, panel.n_control - panel.n_treated)
    placebo_treated = samples.treated_share > 0
    assert (placebo_treated.sum(axis=1) == panel.n_treated).all()
    assert not placebo_treated[:, panel.n_control :].any()
    for row in range(5):
        assert not set(samples.controls[row]) & set(np.flatnonzero(placebo_treated[row]))


# --- the Frank-Wolfe solver ----------------------------------------------------------------


def direct_frank_wolfe(a, b, zeta, start, min_decrease, max_iter):
    """Textbook transcription of synthdid's sc.weight.fw on explicit A and b (the oracle).

    Returns the weights and the number of iterations run."""
    n = a.shape[0]
    eta = n * zeta**2
    x = start.copy()
    values = []
    while len(values) < max_iter and (len(values) < 2 or values[-2] - values[-1] > min_decrease**2):
        fitted = a @ x
        gradient = (fitted - b) @ a + eta * x
        vertex = int(np.argmin(gradient))
        direction = -x.copy()
        direction[vertex] += 1.0
        if np.any(direction != 0):
            error_change = a[:, vertex] - fitted
            step = -(gradient @ direction) / (error_change @ error_change + eta * direction @ direction)
            x = x + min(1.0, max(0.0, step)) * direction
        residual = a @ x - b
        values.append(zeta**2 * x @ x + residual @ residual / n)
    return x, len(values)


def random_problems(rng, size, n, k):
    a = rng.normal(size=(size, n, k)) + rng.normal(size=(size, 1, k))
    b = rng.normal(size=(size, n)) + a[:, :, 0]
    zeta = rng.uniform(0.05, 1.0, size)
    problems = SimplexRidgeProblems(
        gram=np.einsum("rni,rnj->rij", a, a),
        cross=np.einsum("rni,rn->ri", a, b),
        target_sq=np.einsum("rn,rn->r", b, b),
        n_rows=np.full(size, float(n)),
        zeta=zeta,
    )
    return a, b, zeta, problems


def test_batched_frank_wolfe_matches_direct_transcription():
    rng = np.random.default_rng(4)
    a, b, zeta, problems = random_problems(rng, size=6, n=12, k=9)
    start = rng.dirichlet(np.ones(9), size=6)
    batched = frank_wolfe(problems, start, 1e-4, 300)
    for row in range(6):
        expected, iterations = direct_frank_wolfe(a[row], b[row], zeta[row], start[row], 1e-4, 300)
        np.testing.assert_allclose(batched.weights[row], expected, atol=1e-10)
        assert batched.iterations[row] == iterations
        assert batched.converged[row] == (iterations < 300)


def test_frank_wolfe_reaches_the_constrained_optimum():
    rng = np.random.default_rng(8)
    a, b, zeta, problems = random_problems(rng, size=3, n=15, k=6)
    solved = solve_sparsified(problems, np.full((3, 6), 1 / 6), 1e-8).weights
    values = problems.objective(solved)
    for row in range(3):

        def objective(x, row=row):
            return zeta[row] ** 2 * x @ x + np.sum((a[row] @ x - b[row]) ** 2) / 15

        result = optimize.minimize(
            objective,
            np.full(6, 1 / 6),
            method="SLSQP",
            bounds=[(0, 1)] * 6,
            constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
            options={"ftol": 1e-12, "maxiter": 500},
        )
        assert values[row] <= result.fun + 1e-5 * abs(result.fun)
        np.testing.assert_allclose(solved[row].sum(), 1.0)
        assert (solved[row] >= 0).all()


def test_padding_columns_keep_zero_weight():
    rng = np.random.default_rng(1)
    _, _, _, problems = random_problems(rng, size=2, n=10, k=5)
    available = np.array([[True] * 5, [True, True, True, False, False]])
    padded = SimplexRidgeProblems(
        problems.gram, problems.cross, problems.target_sq, problems.n_rows, problems.zeta, available
    )
    start = available / available.sum(axis=1, keepdims=True)
    solved = frank_wolfe(padded, start, 0.0, 200).weights
    assert (solved[1, 3:] == 0).all()
    np.testing.assert_allclose(solved.sum(axis=1), 1.0)


def test_sparsify_drops_small_weights():
    np.testing.assert_allclose(sparsify(np.array([[0.5, 0.3, 0.125, 0.075]])), [[0.625, 0.375, 0, 0]])


# --- clear errors ----------------------------------------------------------------------------


def test_error_when_no_treated_unit(simulated):
    data = simulated.assign(d=0)
    with pytest.raises(TreatmentDesignError, match="no treated unit"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_on_staggered_adoption(simulated):
    data = simulated.copy()
    data.loc[(data["unit"] == "u39") & (data["period"] == 2013), "d"] = 1
    with pytest.raises(TreatmentDesignError, match=r"staggered adoption.*'u39'"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_when_treatment_switches_off(simulated):
    data = simulated.copy()
    data.loc[(data["unit"] == "u35") & (data["period"] == 2019), "d"] = 0
    with pytest.raises(TreatmentDesignError, match=r"switches off.*'u35'"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_without_pre_period(simulated):
    data = simulated.copy()
    data.loc[data["unit"] >= "u32", "d"] = 1
    with pytest.raises(TreatmentDesignError, match="no pre-period"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_without_control_units(simulated):
    data = simulated.copy()
    data.loc[data["period"] >= 2014, "d"] = 1
    with pytest.raises(TreatmentDesignError, match="no control unit"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_on_missing_outcome(simulated):
    data = simulated.copy()
    data.loc[(data["unit"] == "u03") & (data["period"] == 2005), "y"] = np.nan
    with pytest.raises(PanelShapeError, match=r"\('u03', 2005\)"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_on_absent_unit_period_row(simulated):
    data = simulated[~((simulated["unit"] == "u07") & (simulated["period"] == 2010))]
    with pytest.raises(PanelShapeError, match=r"unbalanced panel.*\('u07', 2010\)"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_on_duplicated_rows(simulated):
    data = pd.concat([simulated, simulated.iloc[[3]]])
    with pytest.raises(PanelShapeError, match="same"):
        synthetic_did(data, "unit", "period", "y", "d")


def test_error_on_missing_column_and_bad_indicator(simulated):
    with pytest.raises(PanelShapeError, match="outcome='income'"):
        synthetic_did(simulated, "unit", "period", "income", "d")
    with pytest.raises(TreatmentDesignError, match="only 0 and 1"):
        synthetic_did(simulated.assign(d=simulated["d"] * 2), "unit", "period", "y", "d")


def test_jackknife_and_bootstrap_refused_with_one_treated_unit(smoking):
    for se_method in ("jackknife", "bootstrap"):
        with pytest.raises(VarianceMethodError, match="more than one treated unit"):
            synthetic_did(
                smoking, "state", "year", "cigsale", "treated", method="did", se_method=se_method
            )


def test_bad_options_are_refused(simulated):
    with pytest.raises(SyntheticDiDError, match="method"):
        synthetic_did(simulated, "unit", "period", "y", "d", method="synth")
    with pytest.raises(VarianceMethodError, match="se_method"):
        synthetic_did(simulated, "unit", "period", "y", "d", se_method="delta")
    with pytest.raises(SyntheticDiDError, match="n_reps"):
        synthetic_did(simulated, "unit", "period", "y", "d", n_reps=1)
    with pytest.raises(SyntheticDiDError, match="alpha"):
        synthetic_did(simulated, "unit", "period", "y", "d", alpha=1.5)
    with pytest.raises(SyntheticDiDError, match="solver must be one of"):
        synthetic_did(simulated, "unit", "period", "y", "d", solver="exact")
    assert issubclass(SyntheticDiDError, ValueError)


@pytest.mark.parametrize("solver", ["synthdid", "converged"])
def test_shared_gram_path_gives_the_same_weights(simulated, monkeypatch, solver):
    from tzeval.sdid import weights as weights_module

    panel = block_panel_from_long(simulated, "unit", "period", "y", "d")
    tuning = regularisation(panel, "sdid")
    samples = bootstrap_samples(panel, 12, np.random.default_rng(2))
    dense = fit_weights(panel, "sdid", tuning, samples, solver=solver)
    monkeypatch.setattr(weights_module, "GRAM_BUDGET_BYTES", 1)  # forces the shared form
    shared = fit_weights(panel, "sdid", tuning, samples, solver=solver)
    np.testing.assert_allclose(shared.omega, dense.omega, atol=1e-12)
    np.testing.assert_allclose(shared.lam, dense.lam, atol=1e-12)
    np.testing.assert_allclose(shared.omega.sum(axis=1), 1.0)
    for name in ("omega_convergence", "lambda_convergence"):
        if solver == "synthdid":
            np.testing.assert_array_equal(getattr(shared, name).iterations, getattr(dense, name).iterations)
        else:
            # near the minimum the pairwise path turns on rounding (the dense form pads and
            # sums in another order): the forms may stop some iterations apart, at the same weights
            assert getattr(shared, name).converged.all() and getattr(dense, name).converged.all()


def test_shared_and_dense_gram_agree_in_the_solver():
    rng = np.random.default_rng(6)
    trajectories = rng.normal(size=(9, 7))
    shared_gram = trajectories @ trajectories.T
    columns = np.array([[0, 1, 1, 4, 5], [2, 3, 6, 8, 0]])  # repeats, as in a bootstrap
    available = np.array([[True] * 5, [True, True, True, True, False]])
    common = {
        "cross": rng.normal(size=(2, 5)) * available,
        "target_sq": np.array([5.0, 6.0]),
        "n_rows": np.array([7.0, 7.0]),
        "zeta": np.array([0.3, 0.1]),
        "available": available,
    }
    shared = SimplexRidgeProblems(gram=None, shared_gram=shared_gram, columns=columns, **common)
    both_available = available[:, :, None] & available[:, None, :]
    dense = SimplexRidgeProblems(gram=shared.gram_matrices() * both_available, **common)
    start = available / available.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        frank_wolfe(shared, start, 0.0, 500).weights, frank_wolfe(dense, start, 0.0, 500).weights, atol=1e-12
    )


def test_error_when_too_few_pre_periods_for_regularisation(simulated):
    data = simulated[simulated["period"] >= 2013]  # a single pre-period
    with pytest.raises(SyntheticDiDError, match="pre-period"):
        synthetic_did(data, "unit", "period", "y", "d", se_method="jackknife")
    fit = synthetic_did(data, "unit", "period", "y", "d", method="did", se_method="jackknife")
    assert abs(fit.estimate - 3.0) < 1.0


def test_r_did_argument_names_are_accepted(smoking):
    """idname/tname/yname are keyword synonyms of unit/time/outcome; giving both is refused."""
    frame = smoking
    own = synthetic_did(frame, "state", "year", "cigsale", "treated", se_method="placebo", n_reps=5, seed=1)
    did = synthetic_did(frame, idname="state", tname="year", yname="cigsale", treated="treated",
                        se_method="placebo", n_reps=5, seed=1)
    assert did.estimate == own.estimate and did.std_error == own.std_error
    with pytest.raises(TypeError, match="both unit= and idname="):
        synthetic_did(frame, unit="state", idname="state", tname="year", yname="cigsale", treated="treated")


def test_studentised_placebo_rescales_each_placebo_by_its_own_noise(smoking):
    """Same seed, same placebos: each studentised replicate is the plain one times sigma_treated / sigma_donor.

    The noises are recomputed by brute force: the s.d. over pre-periods of each unit's gap
    to the mean of the other comparison units (all of them for California).
    """
    plain = synthetic_did(smoking, "state", "year", "cigsale", "treated", se_method="placebo", n_reps=60, seed=3)
    studentised = synthetic_did(smoking, "state", "year", "cigsale", "treated", se_method="placebo_studentised",
                                n_reps=60, seed=3)
    assert studentised.estimate == plain.estimate
    wide = smoking.pivot(index="year", columns="state", values="cigsale")
    pre = wide.loc[wide.index < 1989]
    donors = [s for s in wide.columns if s != "California"]
    noise = {s: (pre[s] - pre[[d for d in donors if d != s]].mean(axis=1)).std(ddof=1) for s in donors}
    treated_noise = (pre["California"] - pre[donors].mean(axis=1)).std(ddof=1)
    panel = block_panel_from_long(smoking, "state", "year", "cigsale", "treated")
    samples = placebo_samples(panel, 60, np.random.default_rng(3))
    pseudo = panel.units[np.argmax(samples.treated_share, axis=1)]
    expected = plain.replicate_estimates * np.array([treated_noise / noise[s] for s in pseudo])
    np.testing.assert_allclose(studentised.replicate_estimates, expected, rtol=1e-9)
    assert studentised.std_error == pytest.approx(expected.std(ddof=0), rel=1e-9)
    assert "own pre-period noise" in studentised.summary()


def test_studentised_placebo_needs_exactly_one_treated_unit(simulated):
    with pytest.raises(VarianceMethodError, match="one treated unit"):
        synthetic_did(simulated, "unit", "period", "y", "d", se_method="placebo_studentised", n_reps=10, seed=0)
