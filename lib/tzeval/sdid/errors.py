"""Errors raised by the synthetic difference-in-differences estimator."""

from __future__ import annotations


class SyntheticDiDError(ValueError):
    """Base class: the data or the options cannot give a synthetic DiD estimate."""


class PanelShapeError(SyntheticDiDError):
    """The long table is not a balanced panel with one finite outcome per unit and period."""


class TreatmentDesignError(SyntheticDiDError):
    """The treatment indicator does not describe a block design.

    A block design has at least one treated and one control unit, and every treated unit
    is treated from one common period, after at least one untreated period, to the end.
    """


class VarianceMethodError(SyntheticDiDError):
    """The requested standard error cannot be computed for this design."""
