"""Synthetic control (Abadie, Diamond & Hainmueller) with placebo and conformal inference.

Modules: :mod:`.dataprep` (long panel to matrices, as ``Synth::dataprep``),
:mod:`.simplex` (exact simplex-constrained least squares), :mod:`.weights` (the nested
W/V optimisation), :mod:`.fitting` (one unit's fit), :mod:`.placebo` (placebo-in-space
test), :mod:`.conformal` (Chernozhukov, Wuthrich & Zhu 2021), :mod:`.result` and
:mod:`.estimator` (:func:`synthetic_control`).
"""

from .errors import SyntheticControlInputError
from .estimator import synthetic_control
from .result import SyntheticControlResult

__all__ = ["SyntheticControlInputError", "SyntheticControlResult", "synthetic_control"]
