"""The per-territory estimator against the known truth of synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from tzeval import demo, load_dataset, territory_effects
from tzeval.paths import DEMO_DATA_DIR


def _coverage_and_rejections(data):
    effects = territory_effects(data).merge(data.truth, on="territory_id")
    covered = (effects["conf_low"] <= effects["true_effect"]) & (effects["true_effect"] <= effects["conf_high"])
    return effects, covered.mean(), (effects["p_value"] < 0.05).mean()


def test_demo_intervals_contain_the_truth_and_estimates_track_it():
    data = load_dataset(DEMO_DATA_DIR)
    effects, coverage, _ = _coverage_and_rejections(data)
    assert (effects["status"] == "ok").all()
    assert coverage >= 0.85
    assert effects["estimate"].corr(effects["true_effect"]) > 0.7
    assert np.mean(np.abs(effects["estimate"] - effects["true_effect"])) < 0.15


@pytest.mark.slow
def test_calibration_null_rejection_and_coverage(tmp_path):
    """Fast version of benchmarks/calibration.py: three seeds, with and without effects."""
    null_rejections, coverages = [], []
    for seed in (101, 102, 103):
        for scale in (0.0, 1.0):
            folder = demo.write(demo.generate(seed=seed, effect_scale=scale), tmp_path / f"s{seed}-{scale}")
            _, coverage, rejections = _coverage_and_rejections(load_dataset(folder))
            coverages.append(coverage)
            if scale == 0.0:
                null_rejections.append(rejections)
    assert np.mean(null_rejections) <= 0.06
    assert 0.90 <= np.mean(coverages) <= 0.995
