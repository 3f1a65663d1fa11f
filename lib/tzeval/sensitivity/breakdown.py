"""The breakdown value: the smallest Mbar at which a robust interval reaches zero."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def breakdown_value(zero_accepted: Callable[[float], bool], tolerance: float,
                    max_doublings: int) -> float:
    """Smallest Mbar with ``zero_accepted(Mbar)``, by doubling then bisection.

    Assumes, like every breakdown value, that once zero is accepted it stays accepted for
    larger Mbar (the restriction only loosens). Returns NaN if zero is accepted at
    Mbar = 0, and inf if it is still rejected at ``2 ** max_doublings``. The result is
    within ``tolerance * max(1, Mbar)`` of the switch point.
    """
    if zero_accepted(0.0):
        return np.nan
    inside, outside, step = 0.0, None, 1.0
    for _ in range(max_doublings):
        if zero_accepted(step):
            outside = step
            break
        inside, step = step, 2 * step
    if outside is None:
        return np.inf
    while outside - inside > tolerance * max(1.0, outside):
        middle = 0.5 * (inside + outside)
        if zero_accepted(middle):
            outside = middle
        else:
            inside = middle
    return 0.5 * (inside + outside)
