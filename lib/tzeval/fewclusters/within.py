"""Absorbing unit and period fixed effects by an exact within transformation.

Units are swept out by demeaning; periods are then partialled out by projecting on the
unit-demeaned period dummies (Frisch-Waugh-Lovell). This is exact for unbalanced panels
too, and cheap because panels have few periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RANK_TOLERANCE = 1e-10


def demean_by_group(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Subtract group means from each column of ``values`` (rows grouped by ``codes``)."""
    values = np.asarray(values, dtype=float)
    matrix = values.reshape(len(values), -1)
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    sums = np.zeros((n_groups, matrix.shape[1]))
    np.add.at(sums, codes, matrix)
    means = sums / np.maximum(counts, 1.0)[:, None]
    return (matrix - means[codes]).reshape(values.shape)


@dataclass(frozen=True)
class TwoWayAbsorber:
    """Projection that removes unit and period fixed effects from any column.

    Attributes
    ----------
    unit_codes, period_codes : ndarray of int
    n_units, n_periods : int
    period_basis : ndarray
        Orthonormal basis of the unit-demeaned period dummies.
    n_absorbed : int
        Number of linearly independent fixed-effect parameters (intercept included), as
        counted by a regression on explicit unit and period dummies.
    """

    unit_codes: np.ndarray
    period_codes: np.ndarray
    n_units: int
    n_periods: int
    period_basis: np.ndarray
    n_absorbed: int

    @classmethod
    def build(cls, unit_codes: np.ndarray, period_codes: np.ndarray) -> "TwoWayAbsorber":
        n_units = int(unit_codes.max()) + 1
        n_periods = int(period_codes.max()) + 1
        dummies = np.zeros((len(period_codes), n_periods))
        dummies[np.arange(len(period_codes)), period_codes] = 1.0
        demeaned = demean_by_group(dummies, unit_codes, n_units)
        left, singular, _ = np.linalg.svd(demeaned, full_matrices=False)
        rank = int((singular > RANK_TOLERANCE * max(singular.max(initial=0.0), 1.0)).sum())
        return cls(
            unit_codes=unit_codes,
            period_codes=period_codes,
            n_units=n_units,
            n_periods=n_periods,
            period_basis=left[:, :rank],
            n_absorbed=n_units + rank,
        )

    def absorb(self, values: np.ndarray) -> np.ndarray:
        """Residuals of ``values`` (vector or matrix) after unit and period fixed effects."""
        demeaned = demean_by_group(values, self.unit_codes, self.n_units)
        basis = self.period_basis
        return demeaned - basis @ (basis.T @ demeaned)
