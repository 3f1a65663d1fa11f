"""Conventions shared by every estimator's result object.

Each estimator returns an object with a tidy :meth:`~EstimateResult.to_frame` (keys,
then ``estimate, std_error, conf_low, conf_high, p_value``), a text
:meth:`~EstimateResult.summary` and a :meth:`~EstimateResult.plot` returning a plotly
figure, in the manner of statsmodels and R's ``did``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

ESTIMATE_COLUMNS = ["estimate", "std_error", "conf_low", "conf_high", "p_value"]

IntervalKind = Literal["pointwise", "simultaneous", "conformal", "permutation"]
INTERVAL_KINDS: tuple[str, ...] = ("pointwise", "simultaneous", "conformal", "permutation")


def tidy_frame(
    keys: Mapping[str, Sequence | np.ndarray],
    estimate,
    std_error=None,
    conf_low=None,
    conf_high=None,
    p_value=None,
) -> pd.DataFrame:
    """Build a tidy result table: the key columns first, then the estimate columns.

    Missing statistics (``None``) become NaN columns, so every table has the same shape.
    """
    estimate = np.atleast_1d(np.asarray(estimate, dtype=float))
    n = estimate.shape[0]

    def column(values) -> np.ndarray:
        if values is None:
            return np.full(n, np.nan)
        return np.broadcast_to(np.asarray(values, dtype=float), (n,)).copy()

    frame = pd.DataFrame({name: np.asarray(values) for name, values in keys.items()})
    if frame.empty and n:
        frame = pd.DataFrame(index=range(n))
    for name, values in zip(
        ESTIMATE_COLUMNS, (estimate, std_error, conf_low, conf_high, p_value)
    ):
        frame[name] = column(values)
    return frame


def format_table(frame: pd.DataFrame, digits: int = 4) -> str:
    """Render a tidy frame as fixed-width text for summaries."""
    return frame.to_string(index=False, float_format=lambda x: f"{x:.{digits}f}", na_rep="")


class EstimateResult(ABC):
    """Base class of result objects.

    Subclasses set ``interval_kind`` (one of ``INTERVAL_KINDS``) and ``alpha`` and
    implement the three methods below.
    """

    interval_kind: IntervalKind
    alpha: float

    @property
    def confidence_level(self) -> float:
        return 1.0 - self.alpha

    @abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """Tidy table: key columns, then estimate, std_error, conf_low, conf_high, p_value."""

    @abstractmethod
    def summary(self) -> str:
        """Plain-text summary naming the method, the interval kind and its level."""

    @abstractmethod
    def plot(self):
        """A plotly figure of the result."""

    def __repr__(self) -> str:
        return self.summary()
