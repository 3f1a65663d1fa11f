"""The pooled ATT, SDID and SC against the exact truths of the demo generator.

Truths come from drawing the committed demo's seed again with ``effect_scale=0``: the
generator's random draws do not depend on the scale, so the two data sets share all their
noise and differ only by the programme effect (see benchmarks/calibration_estimators.py,
whose truth code these tests exercise; benchmarks/CALIBRATION.md has the full study).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tzeval import demo, load_dataset, open_dataset, pooled_effects, synthetic_control, synthetic_did

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "calibration_estimators.py"


def _benchmark_module():
    spec = importlib.util.spec_from_file_location("calibration_estimators", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


calibration = _benchmark_module()


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory):
    """The committed demo data and the same draw without any effect."""
    data = open_dataset()
    meta = data.metadata
    null = demo.generate(seed=meta["seed"], n_comparison=meta["n_comparison"], effect_scale=0.0)
    null = load_dataset(demo.write(null, tmp_path_factory.mktemp("demo-null")))
    # Same noise: identical outcomes wherever there is no effect, lower ones where there is.
    rate, rate0 = data.wide(), null.wide()
    assert rate.shape == rate0.shape
    adoption = data.territories["adoption_date"]
    untreated = rate.index.to_numpy()[:, None] < adoption.reindex(rate.columns).to_numpy()[None, :]
    untreated |= data.territories["treated"].reindex(rate.columns).eq(False).to_numpy()[None, :]
    difference = (rate - rate0).to_numpy()
    assert np.array_equal(difference[untreated], np.zeros(untreated.sum()))
    assert (difference <= 1e-12).all() and (difference < 0).any()
    assert (null.truth["true_effect"] == 0).all()
    return data, null


@pytest.fixture(scope="module")
def pooled_fit(demo_pair):
    data, null = demo_pair
    result = pooled_effects(data, seed=1)
    truth = calibration.pooled_truth(result, calibration.yearly_effect(data, null))
    return result, pooled_effects(null, seed=1), truth


def test_pooled_truth_is_exactly_what_the_estimator_targets(pooled_fit):
    """Linearity: estimate(with effect) - estimate(no effect) is the estimand truth, exactly.

    This checks the truth's cell set and cohort-size weights against the estimator's own:
    with equal weights per cell, or without the base-year correction, the gap is large.
    """
    result, null_result, truth = pooled_fit
    simple = result.aggregate("simple").overall.estimate - null_result.aggregate("simple").overall.estimate
    assert simple == pytest.approx(truth["simple_estimand"], abs=1e-10)
    group = result.aggregate("group").to_frame()["estimate"] - null_result.aggregate("group").to_frame()["estimate"]
    np.testing.assert_allclose(group.to_numpy(), truth["group"]["estimand"].to_numpy(), atol=1e-10)
    dynamic = (result.aggregate("dynamic").to_frame()["estimate"]
               - null_result.aggregate("dynamic").to_frame()["estimate"])
    np.testing.assert_allclose(dynamic.to_numpy(), truth["dynamic"]["estimand"].to_numpy(), atol=1e-10)
    # The weights matter: the unweighted mean of the post cells is a different number.
    cells = truth["cells"][truth["cells"]["post"]]
    assert abs(cells["estimand"].mean() - truth["simple_estimand"]) > 0.02
    # Effect and estimand differ only by the small base-year effect of July-December adopters.
    assert 0 < abs(truth["simple_effect"] - truth["simple_estimand"]) < 0.01


def test_pooled_simple_att_on_the_demo_covers_and_is_close_to_its_truth(pooled_fit):
    result, _, truth = pooled_fit
    overall = result.aggregate("simple").overall
    for target in (truth["simple_estimand"], truth["simple_effect"]):
        assert overall.conf_low <= target <= overall.conf_high
        assert abs(overall.estimate - target) <= 2 * overall.std_error
        assert abs(overall.estimate - target) <= 0.25 * abs(target)
    assert truth["simple_estimand"] < -0.1  # a real effect, not a trivially covered zero
    cohorts = result.aggregate("group").to_frame()
    inside = (cohorts["conf_low"].to_numpy() <= truth["group"]["estimand"].to_numpy()) & (
        truth["group"]["estimand"].to_numpy() <= cohorts["conf_high"].to_numpy())
    assert inside.all()


def test_pooled_att_null_rejection_on_a_few_simulated_data_sets(tmp_path):
    """Fast version of the benchmark's size row, on data sets with no effect at all.

    The benchmark (150 data sets) is the real check of the 5% level. Ten data sets can
    only catch a gross error: with ten tests the Monte Carlo s.e. of a 5% rejection rate is
    0.07, so the benchmark's 0.06 target would fail on a single unlucky rejection, which
    a correct 5% test makes in 40% of runs of ten. Hence 0.10, and the family of the simple
    ATT and the four cohort ATTs (50 tests, correlated within a data set) must also stay at
    or below 0.10. A standard error too small by half would reject about 30% of the time
    and fail. With the default sample-ATT intervals no simple ATT rejects (the closest is
    seed 1001, z = -1.83) and one cohort ATT of 40 does; the Wald pre-test rejects once
    (seed 1005, p = 0.024), and must stay at or below 2 of 10.
    """
    simple, cohorts, z, pretest = [], [], [], []
    for seed in range(1000, 1010):
        data = load_dataset(demo.write(demo.generate(seed=seed, effect_scale=0.0), tmp_path / str(seed)))
        result = pooled_effects(data, seed=seed)
        overall = result.aggregate("simple").overall
        simple.append(overall.p_value < 0.05)
        z.append(overall.estimate / overall.std_error)
        cohorts.extend(result.aggregate("group").to_frame()["p_value"] < 0.05)
        pretest.append(result.pretest.p_value < 0.05)
    assert np.mean(simple) <= 0.10
    assert np.mean(pretest) <= 0.20
    assert np.mean(simple + cohorts) <= 0.10
    assert 0.3 < np.std(z) < 1.7  # standardised errors have roughly unit spread


def _territories(data, count=3):
    """The treated territories with the largest true effects among those SC can fit.

    Synthetic control (no intercept) needs the treated territory's pre-adoption level
    inside the range of the comparison territories; the rule keeps the 5-95% range and
    never looks at an estimate. The large effects are those of 2017 pioneers, so the
    error tolerance below is meaningful.
    """
    rate = data.wide()
    truth = data.truth.set_index("territory_id")["true_effect"]
    comparison = rate.loc[rate.index < "2017-01-01", data.comparison_ids].mean()
    low, high = comparison.quantile([0.05, 0.95])
    eligible = []
    for tid in data.treated_ids:
        level = rate.loc[rate.index < data.territories.at[tid, "adoption_date"], tid].mean()
        if low <= level <= high:
            eligible.append(tid)
    return truth[eligible].sort_values().index[:count].tolist()


def _monthly(data, territory_id):
    return calibration.monthly_long(data, territory_id)


@pytest.fixture(scope="module")
def territory_fits(demo_pair):
    """SDID (placebo SE) and SC (conformal) on the selected demo territories, with effects."""
    data, _ = demo_pair
    return pd.DataFrame(calibration.territory_rows(1, data, _territories(data), 1.0, n_reps=30))


def test_sdid_and_sc_estimate_exactly_the_generator_truth_by_linearity(demo_pair, territory_fits):
    """Fitted weights depend only on pre-adoption data, identical in both draws, so the
    effect-minus-no-effect difference of the estimates is the average post-adoption effect."""
    _, null = demo_pair
    estimates = territory_fits.set_index(["method", "territory_id"])["estimate"]
    truth = territory_fits.groupby("territory_id")["true_effect"].first()
    for tid in truth.index:
        adoption = null.territories.at[tid, "adoption_date"]
        long = _monthly(null, tid)
        sdid = synthetic_did(long, "unit", "period", "y", "treated", n_reps=2, seed=1).estimate
        sc = synthetic_control(long, "unit", "period", "y", tid, adoption, placebo=False, conformal=False)
        sc = sc.to_frame().query("term == 'average'")["estimate"].item()
        assert estimates["sdid", tid] - sdid == pytest.approx(truth[tid], abs=2e-6)  # truth.csv: 6 decimals
        assert estimates["sc", tid] - sc == pytest.approx(truth[tid], abs=2e-6)


def test_sdid_and_sc_recover_demo_territory_effects(territory_fits):
    frame = territory_fits
    truth = frame.groupby("territory_id")["true_effect"].first()
    assert truth.abs().min() > 0.4
    for method, rows in frame.groupby("method"):
        error = rows["estimate"] - rows["true_effect"]
        # A single territory's s.e. is about 0.2 points (a pioneer's, monthly rate); the
        # selected effects are about -0.7, so errors must stay well below them.
        assert error.abs().mean() < 0.35 * truth.abs().mean(), method
        assert (rows["estimate"] < 0.5 * rows["true_effect"]).all(), method  # right sign, not shrunk to 0
        assert rows["covered"].sum() >= len(rows) - 1, method
