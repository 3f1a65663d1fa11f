"""Multiplier bootstrap of influence functions (Mammen or Rademacher weights, by unit).

Each draw perturbs every unit's influence function by one random weight, so the draws
are clustered by unit. The weights are regenerated from a stored seed, so the group-time
effects and every later aggregation of them see exactly the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from .errors import StaggeredInputError

SQRT5 = np.sqrt(5.0)
MAMMEN_LOW = (1.0 - SQRT5) / 2.0
MAMMEN_HIGH = (1.0 + SQRT5) / 2.0
MAMMEN_P_LOW = (SQRT5 + 1.0) / (2.0 * SQRT5)
BOOTSTRAP_WEIGHTS = ("mammen", "rademacher")
CHUNK_CELLS = 4_000_000
"""Units x draws held in memory at once (32 MB of float64 weights)."""
NORMAL_IQR = norm.ppf(0.75) - norm.ppf(0.25)
DEGENERATE = np.sqrt(np.finfo(float).eps) * 10


@dataclass(frozen=True)
class MultiplierBootstrap:
    """Recipe for reproducible multiplier-bootstrap draws.

    Attributes
    ----------
    n_boot : int
        Number of draws.
    weights : {"mammen", "rademacher"}
        Distribution of the unit multipliers (mean 0, variance 1).
    seed : int
        Entropy of the :class:`numpy.random.SeedSequence` the weights come from.
    """

    n_boot: int
    weights: str
    seed: int

    @classmethod
    def create(cls, n_boot: int, weights: str, seed: int | None) -> MultiplierBootstrap:
        if weights not in BOOTSTRAP_WEIGHTS:
            raise StaggeredInputError(
                f"boot_weights must be one of {BOOTSTRAP_WEIGHTS}, got {weights!r}"
            )
        if int(n_boot) != n_boot or n_boot < 0:
            raise StaggeredInputError(f"n_boot must be a non-negative integer, got {n_boot!r}")
        entropy = np.random.SeedSequence(seed).entropy
        return cls(n_boot=int(n_boot), weights=weights, seed=int(entropy))

    def _multipliers(self, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
        if self.weights == "mammen":
            uniform = rng.random(shape, dtype=np.float32)
            return np.where(uniform < MAMMEN_P_LOW, MAMMEN_LOW, MAMMEN_HIGH)
        # One random bit per weight: ten times faster than thresholding uniforms, which
        # matters because drawing the weights dominates small panels.
        count = shape[0] * shape[1]
        bits = np.unpackbits(np.frombuffer(rng.bytes((count + 7) // 8), dtype=np.uint8), count=count)
        return (bits.astype(np.float64) * 2.0 - 1.0).reshape(shape)

    def draws(
        self, influence: np.ndarray, column_blocks: list[slice] | None = None
    ) -> np.ndarray:
        """Bootstrap draws of ``sqrt(n) * mean_i(v_i * psi_i)``.

        Parameters
        ----------
        influence : ndarray
            ``(n_units, k)`` influence functions.
        column_blocks : list of slice, optional
            Contiguous groups of columns that share most of their zero rows (the cells of
            one cohort). Each block is multiplied only over the rows where it is nonzero,
            which saves most of the work when comparisons use a fraction of the units.
            The draws are the same as without blocks, up to rounding.

        Returns
        -------
        ndarray
            ``(n_boot, k)`` draws; their spread estimates ``sqrt(n)`` times the standard
            errors.
        """
        influence = np.asarray(influence, dtype=float)
        if influence.ndim == 1:
            influence = influence[:, None]
        n_units, n_columns = influence.shape
        blocks = _sparse_blocks(influence, column_blocks or [slice(0, n_columns)])
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed)))
        chunk = max(1, CHUNK_CELLS // n_units)
        out = np.empty((self.n_boot, n_columns))
        for start in range(0, self.n_boot, chunk):
            stop = min(start + chunk, self.n_boot)
            # Units by draws, so that selecting a block's rows copies contiguous memory.
            multipliers = self._multipliers(rng, (n_units, stop - start))
            for columns, rows, values in blocks:
                used = multipliers if rows is None else multipliers[rows]
                out[start:stop, columns] = (values.T @ used).T
        return out / np.sqrt(n_units)


def cohort_blocks(groups: np.ndarray) -> list[slice]:
    """Contiguous column ranges of the cells of each cohort (cells are ordered by cohort)."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    stops = np.r_[starts[1:], len(groups)]
    return [slice(int(a), int(b)) for a, b in zip(starts, stops)]


def _sparse_blocks(influence: np.ndarray, column_blocks: list[slice]):
    """For each column block: its columns, its nonzero rows (None if most rows) and values."""
    blocks = []
    for columns in column_blocks:
        values = influence[:, columns]
        rows = np.flatnonzero(np.any(values != 0, axis=1))
        if len(rows) > 0.5 * influence.shape[0]:
            blocks.append((columns, None, values))
        else:
            blocks.append((columns, rows, values[rows]))
    return blocks


def bootstrap_scale(draws: np.ndarray) -> np.ndarray:
    """Robust spread of each column: interquartile range over that of a standard normal.

    Quantiles are the inverse empirical CDF (R ``type = 1``), as in R ``did``. Columns
    whose draws are all (numerically) zero get 0.
    """
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    scale = (q75 - q25) / NORMAL_IQR
    degenerate = np.sum(draws**2, axis=0) <= DEGENERATE
    return np.where(degenerate, 0.0, scale)


def sup_t_critical_value(draws: np.ndarray, scale: np.ndarray, alpha: float) -> float:
    """Critical value of the simultaneous (sup-t) band over the columns of ``draws``.

    ``scale`` is each column's standard error times ``sqrt(n)``; zero-scale columns
    (reference cells) are left out. Returns NaN when no column varies.
    """
    usable = scale > 0
    if not usable.any():
        return float("nan")
    sup_t = np.max(np.abs(draws[:, usable]) / scale[usable], axis=1)
    return float(np.quantile(sup_t, 1.0 - alpha, method="inverted_cdf"))
