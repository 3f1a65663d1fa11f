"""Errors raised by the sensitivity analyses."""

from __future__ import annotations


class SensitivityInputError(ValueError):
    """Estimates, covariance or options that a sensitivity analysis cannot use as given."""
