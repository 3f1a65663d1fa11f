"""Synthetic control: solver checks, published applications, conformal coverage, bad input.

Reference values (tests/data/README.md):
- Prop 99 (Abadie, Diamond & Hainmueller 2010, R ``Synth``): weights Utah 0.334,
  Nevada 0.234, Montana 0.199, Colorado 0.164, Connecticut 0.069; gap about -26 packs in
  2000; California has the largest post/pre RMSPE ratio of 39 states (p = 1/39).
- Basque Country (Abadie & Gardeazabal 2003, R ``Synth``): Cataluna 0.8508, Madrid 0.1492.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy.optimize import minimize

from reference_values import BASQUE, BASQUE_SPEC, PROP99_PUBLISHED_WEIGHTS, PROP99_SPEC
from tzeval.results import ESTIMATE_COLUMNS
from tzeval.synth import SyntheticControlInputError, SyntheticControlResult, synthetic_control
from tzeval.synth.simplex import simplex_least_squares
from tzeval.synth.weights import PredictorWeightObjective

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def smoking() -> pd.DataFrame:
    return pd.read_csv(DATA / "smoking.csv")


@pytest.fixture(scope="module")
def prop99(smoking) -> SyntheticControlResult:
    return synthetic_control(smoking, "state", "year", "cigsale", "California", 1989, **PROP99_SPEC)


@pytest.fixture(scope="module")
def basque() -> pd.DataFrame:
    return pd.read_csv(DATA / "basque.csv")


# --- the inner and outer problems -------------------------------------------------------


def test_simplex_solver_satisfies_optimality_conditions():
    # The problem is convex, so the KKT conditions certify a global optimum.
    rng = np.random.default_rng(3)
    for _ in range(200):
        n_rows, n_donors = rng.integers(2, 25), rng.integers(2, 30)
        design = rng.normal(size=(n_rows, n_donors))
        target = rng.normal(size=n_rows) * rng.choice([0.1, 1.0, 5.0])
        solution = simplex_least_squares(design, target)
        weights = solution.weights
        assert weights.min() >= 0 and weights.sum() == pytest.approx(1, abs=1e-12)
        gradient = design.T @ (target - design @ weights)
        positive = weights > 0
        # Equal gradient on the support, no larger outside it.
        assert np.ptp(gradient[positive]) < 1e-8 * (1 + np.abs(gradient).max())
        assert gradient[~positive].max(initial=-np.inf) <= solution.multiplier + 1e-8


def test_simplex_solver_agrees_with_slsqp():
    rng = np.random.default_rng(8)
    design, target = rng.normal(size=(6, 15)), rng.normal(size=6) * 2
    weights = simplex_least_squares(design, target).weights
    loss = lambda w: float(np.sum((design @ w - target) ** 2))  # noqa: E731
    reference = minimize(
        loss, np.full(15, 1 / 15), method="SLSQP",
        jac=lambda w: 2 * design.T @ (design @ w - target),
        bounds=[(0, 1)] * 15,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    assert loss(weights) == pytest.approx(loss(reference.x), abs=1e-7)
    np.testing.assert_allclose(weights, reference.x, atol=1e-4)


def test_warm_start_gives_the_same_solution():
    rng = np.random.default_rng(4)
    design, target = rng.normal(size=(7, 30)), rng.normal(size=7) * 3
    cold = simplex_least_squares(design, target).weights
    start = rng.dirichlet(np.ones(30))
    warm = simplex_least_squares(design, target, start=start).weights
    np.testing.assert_allclose(warm, cold, atol=1e-9)


def test_v_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    x_donors = rng.normal(size=(5, 20))
    x_treated = x_donors[:, :3] @ np.array([0.5, 0.3, 0.2]) + rng.normal(size=5)
    z_donors = rng.normal(size=(12, 20)).cumsum(axis=0)
    z_treated = z_donors[:, :3] @ np.array([0.5, 0.3, 0.2]) + rng.normal(size=12)
    objective = PredictorWeightObjective(x_treated, x_donors, z_treated, z_donors)
    v = rng.uniform(0.2, 1.0, size=5)
    _, gradient = objective(v)
    step = 1e-5
    numeric = [
        (objective(v + step * e)[0] - objective(v - step * e)[0]) / (2 * step) for e in np.eye(5)
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-6)


# --- Prop 99 ------------------------------------------------------------------------------


def test_prop99_effect_matches_published(prop99):
    assert -26 <= prop99.att <= -16
    gap_2000 = prop99.gaps.loc[prop99.gaps["period"] == 2000, "gap"].item()
    assert -30 <= gap_2000 <= -21  # published: about -26 packs
    assert prop99.pre_rmspe < 2.5  # published fit: about 1.8 packs


def test_prop99_placebo_p_value(prop99):
    assert len(prop99.placebos) == 38
    assert prop99.p_value <= 0.08
    # California's ratio is the largest of all 39: p = 1/39 as published.
    assert prop99.rmspe_ratio > prop99.placebos["rmspe_ratio"].max()
    assert prop99.p_value == pytest.approx(1 / 39)


def test_prop99_weights_loosely_match_published(prop99):
    top = prop99.weights.sort_values(ascending=False).head(5)
    assert set(top.index) == set(PROP99_PUBLISHED_WEIGHTS)
    for state, published in PROP99_PUBLISHED_WEIGHTS.items():
        assert abs(prop99.weights[state] - published) < 0.1
    assert prop99.weights.sum() == pytest.approx(1)
    assert prop99.v_weights.sum() == pytest.approx(1)


def test_prop99_tables_are_consistent_with_the_data(prop99, smoking):
    wide = smoking.pivot(index="year", columns="state", values="cigsale")
    synthetic = wide[prop99.weights.index].to_numpy() @ prop99.weights.to_numpy()
    np.testing.assert_allclose(prop99.gaps["synthetic"], synthetic)
    np.testing.assert_allclose(prop99.gaps["gap"], wide["California"].to_numpy() - synthetic)
    pre = prop99.gaps["period"] < 1989
    assert prop99.pre_rmspe == pytest.approx(np.sqrt(np.mean(prop99.gaps.loc[pre, "gap"] ** 2)))
    assert prop99.att == pytest.approx(prop99.gaps.loc[~pre, "gap"].mean())
    balance = prop99.balance.set_index("predictor")
    cigsale_1975 = wide.loc[1975]
    assert balance.loc["cigsale (1975)", "treated"] == pytest.approx(cigsale_1975["California"])
    assert balance.loc["cigsale (1975)", "synthetic"] == pytest.approx(
        cigsale_1975[prop99.weights.index] @ prop99.weights
    )
    beer = smoking[smoking["year"].between(1984, 1988)].groupby("state")["beer"].mean()
    assert balance.loc["beer (1984-1988)", "treated"] == pytest.approx(beer["California"])


def test_prop99_drop_placebos_by_pre_mspe(prop99):
    assert prop99.placebo_test() == prop99.p_value
    for ratio in (20, 5, 2):
        kept = prop99.placebos["pre_rmspe"] ** 2 <= ratio * prop99.pre_rmspe**2
        # California stays the most extreme, so p = 1 / (1 + placebos kept).
        assert prop99.placebo_test(ratio) == pytest.approx(1 / (1 + kept.sum()))
    assert prop99.placebo_test(2) > prop99.placebo_test(20) > prop99.p_value


def test_prop99_result_conventions(prop99):
    frame = prop99.to_frame()
    assert list(frame.columns) == ["term", "period", *ESTIMATE_COLUMNS]
    assert list(frame["term"]) == ["period"] * 12 + ["average"]
    assert frame["estimate"].iloc[-1] == pytest.approx(prop99.att)
    assert prop99.interval_kind == "conformal"
    per_period = frame.iloc[:-1]
    assert np.all(per_period["conf_low"] <= per_period["estimate"])
    assert np.all(per_period["estimate"] <= per_period["conf_high"])
    # The late effects are clearly negative: conformal intervals exclude zero.
    assert np.all(per_period["conf_high"].iloc[-6:] < 0)
    summary = prop99.summary()
    assert "conformal" in summary and "95%" in summary and "Synthetic control".lower() in summary.lower()
    figure = prop99.plot()
    assert isinstance(figure, go.Figure)
    assert sum(trace.name == "placebos" for trace in figure.data) == 38


def test_prop99_with_conformal_iid_permutations(smoking):
    result = synthetic_control(
        smoking, "state", "year", "cigsale", "California", 1989, placebo=False,
        conformal_permutation="iid", conformal_n_permutations=199, conformal_grid_size=31, seed=1,
    )
    p_values = result.to_frame()["p_value"].to_numpy()
    # With 199 random permutations plus the identity, p-values are multiples of 1/200.
    np.testing.assert_allclose(p_values * 200, np.round(p_values * 200), atol=1e-9)
    # A single period has T = 20 positions, so about 1 in 20 random permutations ties
    # with the observed one: no single-period effect can be rejected at 5%.
    assert result.conformal.smallest_p_value_period > 0.05
    assert np.all(np.isinf(result.to_frame()["conf_high"].iloc[:-1]))
    assert np.isfinite(result.to_frame()["conf_high"].iloc[-1])


def test_outcome_only_fit_is_close_to_synthdid_sc(smoking):
    # synthdid's SC (Frank-Wolfe with sparsification and a tiny ridge) gives -19.6197; the
    # exact simplex least-squares optimum differs slightly.
    result = synthetic_control(
        smoking, "state", "year", "cigsale", "California", 1989, placebo=False, conformal=False
    )
    assert result.att == pytest.approx(-19.6197, abs=0.25)
    assert not result.v_identified and len(result.v_weights) == 0


# --- Basque Country -----------------------------------------------------------------------


def test_basque_weights_match_synth(basque):
    result = synthetic_control(
        basque, "regionname", "year", "gdpcap", BASQUE, 1970, **BASQUE_SPEC,
        placebo=False, conformal=False,
    )
    assert "Spain (Espana)" in result.weights.index and len(result.weights) == 17
    assert result.weights["Cataluna"] == pytest.approx(0.8508, abs=0.02)
    assert result.weights["Madrid (Comunidad De)"] == pytest.approx(0.1492, abs=0.02)
    others = result.weights.drop(["Cataluna", "Madrid (Comunidad De)"])
    assert others.max() < 0.02


# --- conformal inference on simulated data ----------------------------------------------


def factor_panel(rng, effect: float, n_donors: int = 12, n_pre: int = 30, n_post: int = 4):
    """Two stationary AR(1) factors; the treated unit's loadings mix three donors'."""
    n_periods = n_pre + n_post
    factors = np.zeros((n_periods, 2))
    for t in range(1, n_periods):
        factors[t] = 0.6 * factors[t - 1] + rng.normal(size=2)
    loadings = rng.uniform(0.5, 2.0, size=(n_donors, 2))
    mixture = np.array([0.5, 0.3, 0.2])
    treated_loading = mixture @ loadings[:3]
    level = 10 + 0.1 * np.arange(n_periods)
    donors = level[:, None] + factors @ loadings.T + rng.normal(scale=0.5, size=(n_periods, n_donors))
    treated = level + factors @ treated_loading + rng.normal(scale=0.5, size=n_periods)
    treated[n_pre:] += effect
    values = np.column_stack([treated, donors])
    names = ["treated"] + [f"donor{j}" for j in range(n_donors)]
    return pd.DataFrame(
        {
            "unit": np.repeat(names, n_periods),
            "period": np.tile(np.arange(n_periods), n_donors + 1),
            "y": values.T.ravel(),
        }
    ), n_pre


def conformal_fit(frame, n_pre):
    return synthetic_control(
        frame, "unit", "period", "y", "treated", n_pre, placebo=False, conformal_grid_size=41
    )


def test_conformal_average_interval_covers_a_known_constant_effect():
    frame, n_pre = factor_panel(np.random.default_rng(11), effect=3.0)
    row = conformal_fit(frame, n_pre).to_frame().iloc[-1]
    assert row["conf_low"] <= 3.0 <= row["conf_high"]
    assert row["conf_low"] > 0  # an effect of six noise standard deviations is detected


def test_conformal_p_value_not_small_without_effect():
    frame, n_pre = factor_panel(np.random.default_rng(12), effect=0.0)
    result = conformal_fit(frame, n_pre)
    assert result.to_frame()["p_value"].iloc[-1] > 0.1
    assert result.conformal.joint_p_value > 0.1


def test_conformal_coverage_is_roughly_nominal():
    rng = np.random.default_rng(2024)
    covered_average, covered_periods, total_periods = 0, 0, 0
    replications = 40
    for _ in range(replications):
        effect = rng.normal(scale=2.0)
        frame, n_pre = factor_panel(rng, effect=effect)
        table = conformal_fit(frame, n_pre).to_frame()
        inside = (table["conf_low"] <= effect) & (effect <= table["conf_high"])
        covered_average += bool(inside.iloc[-1])
        covered_periods += int(inside.iloc[:-1].sum())
        total_periods += len(table) - 1
    # Nominal 95%; 40 replications give a binomial standard error of about 3.5 points.
    assert covered_average / replications >= 0.85
    assert 0.85 <= covered_periods / total_periods <= 1.0


def test_exact_predictor_match_leaves_v_unidentified():
    frame, n_pre = factor_panel(np.random.default_rng(13), effect=0.0)
    # A predictor the treated unit matches exactly with several convex combinations.
    trait = {"treated": 1.0, **{f"donor{j}": float(j % 3) for j in range(12)}}
    frame["trait"] = frame["unit"].map(trait)
    result = synthetic_control(
        frame, "unit", "period", "y", "treated", n_pre, predictors=["trait"],
        placebo=False, conformal=False,
    )
    assert not result.v_identified
    balance = result.balance.set_index("predictor")
    assert balance.loc["trait", "synthetic"] == pytest.approx(1.0, abs=1e-6)
    # Among exact matches, the weights fit the outcome at least as well as the best donor
    # with trait 1 alone would.
    ones = [f"donor{j}" for j in range(12) if j % 3 == 1]
    wide = frame.pivot(index="period", columns="unit", values="y").iloc[:n_pre]
    single_best = min(np.sqrt(np.mean((wide["treated"] - wide[d]) ** 2)) for d in ones)
    assert result.pre_rmspe <= single_best + 1e-9


# --- bad input ------------------------------------------------------------------------------


def test_treated_unit_absent(smoking):
    with pytest.raises(SyntheticControlInputError, match="Atlantis"):
        synthetic_control(smoking, "state", "year", "cigsale", "Atlantis", 1989)


@pytest.mark.parametrize("when", [2005, 1970, 1950])
def test_treatment_time_outside_data(smoking, when):
    with pytest.raises(SyntheticControlInputError, match="outside the data"):
        synthetic_control(smoking, "state", "year", "cigsale", "California", when)


def test_predictor_missing_for_a_unit_in_its_window(smoking):
    broken = smoking.copy()
    broken.loc[(broken["state"] == "Utah") & broken["year"].between(1984, 1988), "beer"] = np.nan
    with pytest.raises(SyntheticControlInputError, match=r"beer.*Utah"):
        synthetic_control(broken, "state", "year", "cigsale", "California", 1989, **PROP99_SPEC)
    # beer is missing before 1984 for everyone: a window there has nothing to average.
    with pytest.raises(SyntheticControlInputError, match=r"'beer'.*no value"):
        synthetic_control(
            smoking, "state", "year", "cigsale", "California", 1989,
            special_predictors=[("beer", range(1970, 1975), "mean")],
        )


def test_fewer_than_two_donors(smoking):
    with pytest.raises(SyntheticControlInputError, match="at least 2 donor"):
        synthetic_control(smoking, "state", "year", "cigsale", "California", 1989, donors=["Utah"])


def test_other_bad_input(smoking):
    missing = smoking.copy()
    missing.loc[(missing["state"] == "Utah") & (missing["year"] == 1990), "cigsale"] = np.nan
    with pytest.raises(SyntheticControlInputError, match=r"Utah.*1990"):
        synthetic_control(missing, "state", "year", "cigsale", "California", 1989)
    unbalanced = smoking.drop(smoking.index[(smoking["state"] == "Ohio") & (smoking["year"] == 1975)])
    with pytest.raises(SyntheticControlInputError, match=r"Ohio.*1975"):
        synthetic_control(unbalanced, "state", "year", "cigsale", "California", 1989)
    duplicated = pd.concat([smoking, smoking.iloc[[0]]])
    with pytest.raises(SyntheticControlInputError, match="more than one row"):
        synthetic_control(duplicated, "state", "year", "cigsale", "California", 1989)
    with pytest.raises(SyntheticControlInputError, match="not before the treatment"):
        synthetic_control(
            smoking, "state", "year", "cigsale", "California", 1989,
            special_predictors=[("cigsale", 1995, "mean")],
        )
    with pytest.raises(SyntheticControlInputError, match="median"):
        synthetic_control(
            smoking, "state", "year", "cigsale", "California", 1989,
            special_predictors=[("cigsale", 1975, "median")],
        )
    with pytest.raises(SyntheticControlInputError, match="Utah"):
        synthetic_control(smoking, "state", "year", "cigsale", "California", 1989,
                          donors=["Utah", "Utah", "Ohio"])
    with pytest.raises(SyntheticControlInputError, match="'tax'"):
        synthetic_control(smoking, "state", "year", "cigsale", "California", 1989, predictors=["tax"])
    constant = smoking.assign(flat=1.0)
    with pytest.raises(SyntheticControlInputError, match="flat"):
        synthetic_control(constant, "state", "year", "cigsale", "California", 1989, predictors=["flat"])


def test_r_did_argument_names_are_accepted(smoking):
    """idname/tname/yname are keyword synonyms of unit/time/outcome."""
    own = synthetic_control(smoking, "state", "year", "cigsale", "California", 1989, placebo=False,
                            conformal=False)
    did = synthetic_control(smoking, idname="state", tname="year", yname="cigsale", treated_unit="California",
                            treatment_time=1989, placebo=False, conformal=False)
    pd.testing.assert_series_equal(did.weights, own.weights)
    with pytest.raises(TypeError, match="both outcome= and yname="):
        synthetic_control(smoking, "state", "year", outcome="cigsale", yname="cigsale",
                          treated_unit="California", treatment_time=1989)
