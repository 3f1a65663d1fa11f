"""Which (g, t) comparisons att_gt makes: base period and comparison units of each cell."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import StaggeredInputError
from .panel import NEVER_TREATED, BalancedPanel

CONTROL_GROUPS = ("nevertreated", "notyettreated")
BASE_PERIODS = ("varying", "universal")


@dataclass(frozen=True)
class GroupTimeCell:
    """One group-time comparison.

    Attributes
    ----------
    group : float
        First treated period of the cohort.
    time : float
        Period whose effect is estimated.
    current, base : int
        Column indices of ``time`` and of the base period in the outcome matrix.
    post : bool
        Whether ``time >= group`` (R ``did``'s post-treatment flag, anticipation aside).
    controls : ndarray of bool or None
        Comparison units; None for the reference cell of a universal base period, whose
        effect is 0 by construction.
    """

    group: float
    time: float
    current: int
    base: int
    post: bool
    controls: np.ndarray | None

    @property
    def is_reference(self) -> bool:
        return self.controls is None


def last_pre_period(periods: np.ndarray, group: float, anticipation: float) -> int:
    """Index of the last period before treatment (and anticipation) of ``group``."""
    candidates = np.flatnonzero(periods + anticipation < group)
    if len(candidates) == 0:
        raise StaggeredInputError(
            f"cohort {group:g} has no period before treatment with anticipation="
            f"{anticipation:g} (first period {periods[0]:g}); drop these units or reduce "
            "anticipation"
        )
    return int(candidates[-1])


def plan_cells(
    panel: BalancedPanel, control_group: str, anticipation: float, base_period: str
) -> list[GroupTimeCell]:
    """All (g, t) cells in R ``did`` order: by cohort, then period.

    With a varying base period, pre-treatment cells compare each period with the one
    before it; post-treatment cells (and every cell of a universal base period) compare
    with the last period before treatment and anticipation.
    """
    periods, cohorts = panel.periods, panel.cohorts
    never = cohorts == NEVER_TREATED
    first_current = 1 if base_period == "varying" else 0
    cells = []
    for group in panel.treated_cohorts:
        pre_index = last_pre_period(periods, group, anticipation)
        for current in range(first_current, len(periods)):
            post = bool(group <= periods[current])
            base = pre_index if (post or base_period == "universal") else current - 1
            if base == current:
                cells.append(GroupTimeCell(group, periods[current], current, base, post, None))
                continue
            if control_group == "nevertreated":
                controls = never
            else:
                cutoff = periods[max(current, base)] + anticipation
                controls = never | ((cohorts > cutoff) & (cohorts != group))
            cells.append(GroupTimeCell(group, periods[current], current, base, post, controls))
    return cells
