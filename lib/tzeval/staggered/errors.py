"""Errors raised by the staggered-adoption estimators.

All of them subclass :class:`ValueError`, so callers can catch bad input generically.
"""

from __future__ import annotations


class StaggeredInputError(ValueError):
    """The panel handed to :func:`~tzeval.staggered.att_gt` cannot be used as given."""


class SingularDesignError(StaggeredInputError):
    """A regression or propensity-score design cannot be solved for one (g, t) cell."""


class OverlapError(StaggeredInputError):
    """Estimated propensity scores come too close to one for a (g, t) cell."""
