"""Staggered adoption: Callaway & Sant'Anna (2021) group-time effects and aggregations."""

from .aggregate import AggregatedATT, OverallEffect
from .att_gt import GroupTimeATT, att_gt
from .errors import OverlapError, SingularDesignError, StaggeredInputError
from .pretest import PreTrendTest

__all__ = [
    "AggregatedATT",
    "GroupTimeATT",
    "OverallEffect",
    "OverlapError",
    "PreTrendTest",
    "SingularDesignError",
    "StaggeredInputError",
    "att_gt",
]
