"""Samples of units playing the control and treated roles: the data, placebos, bootstraps.

A sample lists its control units (in the order ``synthdid`` gives them, repeats allowed)
and the weights of the treated average. The estimator treats the observed design, every
placebo and every bootstrap draw alike, as a batch of samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .panel import BlockPanel

PADDING = -1


@dataclass(frozen=True)
class UnitSamples:
    """``R`` samples of the units of a panel.

    Attributes
    ----------
    controls
        ``(R, K)`` row indices of the control units of each sample, padded with ``-1``.
    treated_share
        ``(R, N)`` weight of each panel row in the treated average (rows sum to one).
    """

    controls: np.ndarray
    treated_share: np.ndarray

    @property
    def size(self) -> int:
        return self.controls.shape[0]

    @property
    def available(self) -> np.ndarray:
        """``(R, K)`` True where ``controls`` holds a unit rather than padding."""
        return self.controls != PADDING

    @property
    def n_controls(self) -> np.ndarray:
        return self.available.sum(axis=1)

    def unit_weights(self, omega: np.ndarray, n_units: int) -> np.ndarray:
        """``(R, N)`` control weights per panel row (repeated units add up)."""
        weights = np.zeros((self.size, n_units))
        rows = np.broadcast_to(np.arange(self.size)[:, None], self.controls.shape)
        mask = self.available
        np.add.at(weights, (rows[mask], self.controls[mask]), omega[mask])
        return weights


def observed_sample(panel: BlockPanel) -> UnitSamples:
    """The design of the data: all controls in panel order, the treated units averaged."""
    share = np.zeros((1, panel.n_units))
    share[0, panel.n_control :] = 1.0 / panel.n_treated
    return UnitSamples(np.arange(panel.n_control)[None, :], share)


def placebo_samples(panel: BlockPanel, n_reps: int, rng: np.random.Generator) -> UnitSamples:
    """Placebos of ``synthdid``: permute the controls; the last ``N1`` play the treated."""
    n_control, n_treated = panel.n_control, panel.n_treated
    order = rng.permuted(np.tile(np.arange(n_control), (n_reps, 1)), axis=1)
    n_placebo_controls = n_control - n_treated
    share = np.zeros((n_reps, panel.n_units))
    np.put_along_axis(share, order[:, n_placebo_controls:], 1.0 / n_treated, axis=1)
    return UnitSamples(np.ascontiguousarray(order[:, :n_placebo_controls]), share)


def bootstrap_samples(panel: BlockPanel, n_reps: int, rng: np.random.Generator) -> UnitSamples:
    """Unit bootstrap of ``synthdid``: draw ``N`` units with replacement, redraw samples
    without a control or without a treated unit, keep the drawn units in panel order."""
    n_units, n_control = panel.n_units, panel.n_control
    kept: list[np.ndarray] = []
    while sum(len(block) for block in kept) < n_reps:
        draws = np.sort(rng.integers(0, n_units, size=(n_reps, n_units)), axis=1)
        n_drawn_controls = (draws < n_control).sum(axis=1)
        valid = (n_drawn_controls > 0) & (n_drawn_controls < n_units)
        kept.append(draws[valid])
    draws = np.concatenate(kept)[:n_reps]

    is_control = draws < n_control
    width = int(is_control.sum(axis=1).max())
    # sorted draws put the controls first, so the first `width` columns hold them
    controls = np.where(is_control[:, :width], draws[:, :width], PADDING)
    counts = np.zeros((n_reps, n_units))
    rows = np.broadcast_to(np.arange(n_reps)[:, None], draws.shape)
    np.add.at(counts, (rows[~is_control], draws[~is_control]), 1.0)
    share = counts / counts.sum(axis=1, keepdims=True)
    return UnitSamples(controls, share)
