"""Treatment regressors of the two-way fixed-effects models: event-time dummies, post x treated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import RegressionInputError
from .panel import PanelArrays


def event_time_label(event_time: int) -> str:
    """Name of the coefficient of one event time, e.g. ``event_time=-2``."""
    return f"event_time={event_time}"


@dataclass(frozen=True)
class EventTimeDesign:
    """Relative-time dummies with the ends binned.

    Attributes
    ----------
    matrix : ndarray, shape (n, k)
        One column per kept event time (the reference is left out).
    event_times : ndarray of int
        The event time of each column, increasing.
    lower_binned, upper_binned : bool
        Whether the first / last column pools several event times.
    """

    matrix: np.ndarray
    event_times: np.ndarray
    lower_binned: bool
    upper_binned: bool

    @property
    def terms(self) -> list[str]:
        return [event_time_label(int(e)) for e in self.event_times]


def _observed_event_times(panel: PanelArrays, gname: str) -> np.ndarray:
    treated = panel.cohort > 0
    if not treated.any():
        raise RegressionInputError(
            f"no treated unit: column '{gname}' is 0 (never treated) for every row"
        )
    relative = panel.period[treated] - panel.cohort[treated]
    if not np.allclose(relative, np.round(relative)):
        raise RegressionInputError(
            f"'{gname}' minus the period must be a whole number of periods; use integer "
            "period codes (e.g. years or month indices) in both columns"
        )
    return np.round(relative).astype(int)


def event_time_design(
    panel: PanelArrays,
    gname: str,
    leads: int | None,
    lags: int | None,
    reference: int,
) -> EventTimeDesign:
    """Build event-time dummies for event times ``-leads .. lags`` (ends binned).

    Rows of treated units whose event time is below ``-leads`` count in the ``-leads``
    bin, those above ``lags`` in the ``lags`` bin. Never-treated rows get no dummy.
    """
    relative = _observed_event_times(panel, gname)
    lowest, highest = int(relative.min()), int(relative.max())
    for name, value in (("leads", leads), ("lags", lags)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 0):
            raise RegressionInputError(
                f"{name} must be a non-negative integer or None, got {value!r}"
            )
    first = lowest if leads is None else -int(leads)
    last = highest if lags is None else int(lags)
    if not first <= reference <= last:
        raise RegressionInputError(
            f"reference event time {reference} is outside the kept window {first}..{last}"
        )
    kept = np.array([e for e in range(first, last + 1) if e != reference], dtype=int)
    if kept.size == 0:
        raise RegressionInputError("the event window holds only the reference period")

    binned = np.clip(relative, first, last)
    treated_rows = np.flatnonzero(panel.cohort > 0)
    column_of = {int(e): j for j, e in enumerate(kept)}
    matrix = np.zeros((len(panel.outcome), kept.size))
    for e, j in column_of.items():
        matrix[treated_rows[binned == e], j] = 1.0
    empty = [int(e) for j, e in enumerate(kept) if not matrix[:, j].any()]
    if empty:
        raise RegressionInputError(
            f"no treated observation at event time(s) {empty}; observed event times run "
            f"from {lowest} to {highest}; narrow leads/lags"
        )
    return EventTimeDesign(
        matrix=matrix,
        event_times=kept,
        lower_binned=lowest < first,
        upper_binned=highest > last,
    )


def post_treated_indicator(panel: PanelArrays, gname: str) -> np.ndarray:
    """1 for rows of treated units from their first treated period on, else 0."""
    treated = panel.cohort > 0
    if not treated.any():
        raise RegressionInputError(
            f"no treated unit: column '{gname}' is 0 (never treated) for every row"
        )
    return (treated & (panel.period >= panel.cohort)).astype(float)
