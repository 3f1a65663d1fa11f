"""Staggered adoption: Callaway & Sant'Anna (2021) group-time effects and aggregations.

>>> from tzeval.staggered import att_gt
>>> result = att_gt(data, yname="lemp", tname="year", idname="countyreal",
...                 gname="first.treat", seed=1)                      # doctest: +SKIP
>>> result.to_frame()                         # ATT(g, t), pointwise intervals  # doctest: +SKIP
>>> result.pretest.p_value                    # Wald pre-test of parallel trends  # doctest: +SKIP
>>> event_study = result.aggregate("dynamic")                          # doctest: +SKIP
>>> event_study.overall, event_study.to_frame("simultaneous")          # doctest: +SKIP
>>> event_study.plot()                        # pointwise intervals and sup-t band  # doctest: +SKIP

Modules: ``panel`` (checks and reshaping), ``cells`` (which comparisons), ``two_by_two``
and ``propensity`` (the 2x2 estimators), ``bootstrap`` and ``inference`` (standard
errors and bands), ``pretest``, ``group_time`` (the result), ``aggregate``, ``plots``,
``sample_inference`` (intervals for the average effect in the treated units at hand,
``result.with_sample_inference()``).

Differences from R ``did`` (version 2.x): with ``anticipation > 0`` the pre-test leaves
out the anticipation cells; with no never-treated unit ``att_gt`` stops instead of
silently using the last cohort as comparison group; the group aggregation's overall
influence function uses each cohort's own indicator (R's fix of 2025, PR #223).
"""

from .aggregate import AggregatedATT, OverallEffect
from .att_gt import att_gt
from .errors import OverlapError, SingularDesignError, StaggeredInputError
from .group_time import GroupTimeATT
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
