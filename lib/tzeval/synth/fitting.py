"""One synthetic control for one treated unit and a donor pool, from a prepared panel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .dataprep import SynthPanel
from .weights import WeightFit, fit_weights, scale_predictors


@dataclass(frozen=True)
class UnitFit:
    """Weights and gaps of one synthetic control.

    Attributes
    ----------
    treated : int
        Row of the treated unit in the panel.
    donors : ndarray of int
        Rows of the donors in the panel.
    fit : WeightFit
    synthetic : ndarray, shape (n_periods,)
        The synthetic unit's outcome in every period.
    gaps : ndarray, shape (n_periods,)
        Treated minus synthetic.
    """

    treated: int
    donors: np.ndarray
    fit: WeightFit
    synthetic: np.ndarray
    gaps: np.ndarray

    def rmspe(self, mask: np.ndarray) -> float:
        """Root mean squared gap over the periods in ``mask``."""
        return float(np.sqrt(np.mean(self.gaps[mask] ** 2)))


@dataclass(frozen=True)
class SearchSettings:
    """How hard the V search tries: the same for the treated unit and every placebo."""

    n_random_starts: int = 1
    max_iterations: int = 100
    seed: int = 0


def fit_unit(
    panel: SynthPanel, treated: int, donors: Sequence[int], settings: SearchSettings
) -> UnitFit:
    """Fit the synthetic control of row ``treated`` from rows ``donors`` of the panel.

    Predictors are scaled over the units taking part (treated and donors), as
    ``Synth::synth`` scales over the columns of ``X1`` and ``X0``.
    """
    donors = np.asarray(donors, dtype=int)
    rows = np.concatenate(([treated], donors))
    scaled = scale_predictors(panel.predictor_values[:, rows], panel.predictor_labels)
    fit_outcomes = panel.outcomes[rows][:, panel.fit]
    result = fit_weights(
        scaled[:, 0],
        scaled[:, 1:],
        fit_outcomes[0],
        fit_outcomes[1:].T,
        n_random_starts=settings.n_random_starts,
        rng=np.random.default_rng(settings.seed),
        max_iterations=settings.max_iterations,
    )
    synthetic = result.weights @ panel.outcomes[donors]
    return UnitFit(treated, donors, result, synthetic, panel.outcomes[treated] - synthetic)
