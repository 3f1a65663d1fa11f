"""Drawing a parameter from its low / central / high values.

Two shapes are offered, both bounded by ``low`` and ``high`` with their mode at
``central``:

* ``"triangular"`` (the default): mean ``(low + central + high) / 3``. Its tails are
  heavier than PERT's, so it is the more cautious choice when the range is a judgement.
* ``"pert"``: a beta distribution rescaled to ``[low, high]`` with shape parameters
  ``1 + 4 (central - low) / (high - low)`` and ``1 + 4 (high - central) / (high - low)``;
  mean ``(low + 4 central + high) / 6``.

Draws are made by inverting the distribution function at uniform numbers, so the same
uniforms give comparable draws under either shape (common random numbers).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.special import betaincinv

Shape = Literal["triangular", "pert"]
SHAPES: tuple[str, ...] = ("triangular", "pert")
PERT_WEIGHT = 4.0


def quantile(low, central, high, u, shape: Shape = "triangular") -> np.ndarray:
    """Value at probability ``u`` of the distribution with the given low, central and high.

    All arguments broadcast against each other; a degenerate range (``low == high``)
    returns ``central``.
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown distribution shape {shape!r}; expected one of {', '.join(SHAPES)}")
    low, central, high, u = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (low, central, high, u)))
    width = high - low
    degenerate = width <= 0
    safe_width = np.where(degenerate, 1.0, width)
    if shape == "triangular":
        mode_share = (central - low) / safe_width
        rising = u < mode_share
        left = low + np.sqrt(u * safe_width * (central - low))
        right = high - np.sqrt((1.0 - u) * safe_width * (high - central))
        values = np.where(rising, left, right)
    else:
        alpha = 1.0 + PERT_WEIGHT * (central - low) / safe_width
        beta = 1.0 + PERT_WEIGHT * (high - central) / safe_width
        values = low + safe_width * betaincinv(alpha, beta, u)
    return np.where(degenerate, central, values)


def expected_value(low, central, high, shape: Shape = "triangular") -> np.ndarray:
    """Closed-form mean of the distribution (used in tests and summaries)."""
    low, central, high = (np.asarray(x, dtype=float) for x in (low, central, high))
    if shape == "triangular":
        return (low + central + high) / 3.0
    if shape == "pert":
        return (low + PERT_WEIGHT * central + high) / (PERT_WEIGHT + 2.0)
    raise ValueError(f"unknown distribution shape {shape!r}; expected one of {', '.join(SHAPES)}")
