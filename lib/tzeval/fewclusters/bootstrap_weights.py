"""Cluster-level weights of the wild bootstrap: Rademacher signs and Webb's six points."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .errors import RegressionInputError

WEIGHT_KINDS = ("rademacher", "webb")
MAX_ENUMERATED_CLUSTERS = 12
"""Rademacher sign vectors are enumerated (2^G of them) up to this many clusters."""

WEBB_POINTS = np.array(
    [-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)]
)
"""Webb (2023) six-point distribution, each value with probability 1/6: mean 0, variance 1."""

CHUNK_ELEMENTS = 2_000_000
"""Draws are generated and reduced in chunks of about this many weights (16 MB)."""


def check_weight_kind(weights: str) -> str:
    kind = str(weights).lower()
    if kind not in WEIGHT_KINDS:
        raise RegressionInputError(f"weights must be one of {WEIGHT_KINDS}, got {weights!r}")
    return kind


def all_sign_vectors(n_clusters: int) -> np.ndarray:
    """Every Rademacher sign vector of length ``n_clusters`` (2^G rows; row 0 is all +1)."""
    if n_clusters > 20:
        raise RegressionInputError(f"refusing to enumerate 2^{n_clusters} sign vectors")
    bits = (np.arange(2**n_clusters)[:, None] >> np.arange(n_clusters)) & 1
    return 1.0 - 2.0 * bits


def uses_enumeration(weights: str, n_clusters: int, draws: int) -> bool:
    """Full enumeration replaces random Rademacher draws when there are no more than B."""
    return (
        weights == "rademacher"
        and n_clusters <= MAX_ENUMERATED_CLUSTERS
        and 2**n_clusters <= draws
    )


@dataclass(frozen=True)
class WeightChunk:
    """A block of bootstrap weights stored as ``scale * matrix + shift``.

    Attributes
    ----------
    matrix : ndarray (rows, G)
    scale, shift : float
        Rademacher signs are kept as 0/1 bits (scale 2, shift -1) to save a pass.
    squares : ndarray (rows, G) or None
        Squared weights; None when every squared weight is 1 (Rademacher).
    """

    matrix: np.ndarray
    scale: float = 1.0
    shift: float = 0.0
    squares: np.ndarray | None = None

    def __len__(self) -> int:
        return self.matrix.shape[0]

    @classmethod
    def from_weights(cls, weights: np.ndarray) -> "WeightChunk":
        return cls(matrix=weights, squares=weights * weights)


ACCEPTED_BYTES = 252
"""Random bytes below 252 = 6 * 42 map uniformly onto the six Webb points; others are redrawn."""

BYTE_TO_WEBB = WEBB_POINTS[np.arange(ACCEPTED_BYTES) % 6]


def _webb_weights(rows: int, n_clusters: int, rng: np.random.Generator) -> np.ndarray:
    size = rows * n_clusters
    # a byte lookup is about twice as fast as integer draws followed by indexing
    values = np.frombuffer(rng.bytes(size), dtype=np.uint8).copy()
    rejected = np.flatnonzero(values >= ACCEPTED_BYTES)
    while rejected.size:
        values[rejected] = np.frombuffer(rng.bytes(rejected.size), dtype=np.uint8)
        rejected = rejected[values[rejected] >= ACCEPTED_BYTES]
    return BYTE_TO_WEBB[values].reshape(rows, n_clusters)


def weight_chunks(
    weights: str, n_clusters: int, draws: int, rng: np.random.Generator
) -> Iterator[WeightChunk]:
    """Yield blocks of random weights (rows = draws, columns = clusters), ``draws`` rows in all."""
    chunk = max(1, CHUNK_ELEMENTS // n_clusters)
    for start in range(0, draws, chunk):
        rows = min(chunk, draws - start)
        if weights == "rademacher":
            size = rows * n_clusters
            # unpacking random bytes is several times faster than integer draws
            bits = np.unpackbits(
                np.frombuffer(rng.bytes((size + 7) // 8), dtype=np.uint8), count=size
            ).reshape(rows, n_clusters)
            yield WeightChunk(matrix=bits.astype(np.float64), scale=2.0, shift=-1.0)
        else:
            yield WeightChunk.from_weights(_webb_weights(rows, n_clusters, rng))
