"""Errors and warnings raised by the few-cluster regression tools."""

from __future__ import annotations


class RegressionInputError(ValueError):
    """The data or arguments given to a regression cannot be used as they are.

    The message names the column, unit, period or argument at fault and what was expected.
    """


class FewClustersWarning(UserWarning):
    """Inference choices that are unreliable with the number of clusters at hand."""
