"""Per-period effects of a weighted comparison, for the data and for every replication."""

from __future__ import annotations

import numpy as np

from .panel import BlockPanel
from .samples import UnitSamples
from .weights import SampleWeights


def period_effects(panel: BlockPanel, samples: UnitSamples, weights: SampleWeights) -> np.ndarray:
    """``(R, T)`` effects: treated minus synthetic control in each period, less the
    ``lambda``-weighted pre-treatment gap (``synthdid_effect_curve``, extended to the
    pre-periods). The mean over the post-periods is the ``synthdid`` estimate."""
    control_weights = samples.unit_weights(weights.omega, panel.n_units)
    gaps = (samples.treated_share - control_weights) @ panel.outcomes
    return gaps_to_effects(gaps, weights.lam, panel.n_pre)


def gaps_to_effects(gaps: np.ndarray, lam: np.ndarray, n_pre: int) -> np.ndarray:
    """Subtract from each row of gaps its ``lambda``-weighted pre-treatment mean."""
    baseline = np.einsum("rt,rt->r", gaps[:, :n_pre], lam)
    return gaps - baseline[:, None]


def average_effect(effects: np.ndarray, n_pre: int) -> np.ndarray:
    """``(R,)`` average of the post-treatment effects: the estimates."""
    return effects[:, n_pre:].mean(axis=1)
