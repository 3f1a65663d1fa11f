"""The per-territory interval keeps its level on data shaped like the published series.

A fast run of ``benchmarks/calibration_published_shapes.py`` (CALIBRATION.md has the full
one): the off-demo model's monthly counts published as yearly stocks at 31 December or
quarterly averages, rounded to 10, with small cells suppressed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shapes():
    sys.path.insert(0, str(BENCHMARKS))
    _load("offdemo_model")
    return _load("calibration_published_shapes")


def test_publishing_rounds_suppresses_and_keeps_the_first_treated_year(shapes):
    model = sys.modules["offdemo_model"]
    panel, _, treated_ids, adoption = model.draw_panel(model.Design("baseline"), np.random.default_rng(3))
    shape = shapes.Shape("yearly, rounded to 10, under 20 suppressed", suppress_under=20)
    data = shapes.publish(panel, adoption, shape)
    assert data.frequency == "yearly" and len(data.periods) == 13
    population = data.outcomes["territory_id"].map(panel.attrs["population"])
    counts = data.outcomes["long_term_rate"] * population / 100.0
    known = counts.dropna()
    assert np.allclose(known, np.round(known / 10) * 10) and (known >= 20 - 1e-6).all()
    assert counts.isna().sum() > 0
    unit = treated_ids[0]
    assert data.territories.loc[unit, "first_period"].year == adoption[unit].year


@pytest.mark.slow
def test_coverage_on_published_shapes_fast_version(shapes):
    """Truth zero; bounds are 95% widened by about 3 Monte Carlo standard errors of 120 territories."""
    model = sys.modules["offdemo_model"]
    for i, shape in enumerate(shapes.SHAPES):
        results = shapes.simulate(model.Design("off-demo baseline"), shape, n_reps=12, seed=40 + i)
        covered = ((results["conf_low"] <= 0) & (0 <= results["conf_high"])).mean()
        assert 0.88 <= covered <= 1.0, (shape.name, covered)
    power = shapes.simulate(model.Design("power", effect=-0.4), shapes.SHAPES[0], n_reps=12, seed=90)
    assert (power["p_value"] < 0.05).mean() >= 0.15
