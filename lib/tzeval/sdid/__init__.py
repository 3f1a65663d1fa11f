"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021).

A Python implementation of what R ``synthdid`` computes on a block design:
:func:`synthetic_did` with ``method="sdid"``, ``"sc"`` or ``"did"``, placebo, bootstrap or
jackknife standard errors, weights, trajectories and per-period effects.
"""

from .errors import (
    PanelShapeError,
    SyntheticDiDError,
    TreatmentDesignError,
    VarianceMethodError,
)
from .estimator import synthetic_did
from .result import SyntheticDiDResult

__all__ = [
    "PanelShapeError",
    "SyntheticDiDError",
    "SyntheticDiDResult",
    "TreatmentDesignError",
    "VarianceMethodError",
    "synthetic_did",
]
