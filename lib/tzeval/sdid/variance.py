"""Placebo, bootstrap and jackknife replications of ``synthdid``'s standard errors.

``placebo_studentised`` (one treated unit only) is not in ``synthdid``: each placebo's
effect is divided by its pseudo-treated unit's pre-period noise and multiplied by the
treated unit's, as the per-territory default estimate does (Ferman & Pinto 2019). The
plain placebo standard error is the spread of placebo effects of comparison units, so it
describes their typical noise; a territory much noisier (smaller) than them gets too
narrow an interval, one much quieter too wide. The noise of a unit is the standard
deviation of its pre-period gap to the mean of the other comparison units.

As in ``synthdid``, placebo and bootstrap replications re-estimate the weights with the
regularisation and solver of the original fit, starting Frank–Wolfe from the original
weights; the jackknife keeps the weights fixed. (For the ``"converged"`` solver the warm
start only saves time, about a fifth of the iterations of a demo placebo: the minimiser
does not depend on the start.) All replications give per-period effects, so the same
replications give the standard error of the average effect and of each period's effect.
"""

from __future__ import annotations

import numpy as np

from .effects import gaps_to_effects, period_effects
from .errors import VarianceMethodError
from .panel import BlockPanel
from .samples import UnitSamples, bootstrap_samples, placebo_samples
from .weights import Regularisation, SampleWeights, fit_weights

SE_METHODS = ("placebo", "placebo_studentised", "bootstrap", "jackknife")
SE_DESCRIPTIONS = {
    "placebo": "placebo (controls reassigned to treatment)",
    "placebo_studentised": "placebo, each placebo effect rescaled from its own pre-period noise to the treated unit's",
    "bootstrap": "unit bootstrap",
    "jackknife": "leave-one-unit-out jackknife with fixed weights",
}


def default_se_method(panel: BlockPanel) -> str:
    """Placebo with a single treated unit (the only valid choice), bootstrap otherwise
    (the default of ``synthdid``'s ``vcov``)."""
    return "placebo" if panel.n_treated == 1 else "bootstrap"


def check_se_method(panel: BlockPanel, se_method: str) -> None:
    """Refuse a standard error that ``synthdid`` would return as NA, saying why."""
    if se_method not in SE_METHODS:
        raise VarianceMethodError(f"se_method must be one of {SE_METHODS} or None, got {se_method!r}")
    if se_method == "placebo_studentised" and panel.n_treated != 1:
        raise VarianceMethodError(
            f"se_method='placebo_studentised' rescales to one treated unit's noise; got {panel.n_treated} "
            "treated units; use 'placebo' or 'bootstrap'"
        )
    if se_method in ("bootstrap", "jackknife") and panel.n_treated < 2:
        raise VarianceMethodError(
            f"se_method={se_method!r} needs more than one treated unit, got 1 "
            f"({panel.treated_units[0]!r}); use se_method='placebo'"
        )
    if se_method in ("placebo", "placebo_studentised") and panel.n_control <= panel.n_treated:
        raise VarianceMethodError(
            f"se_method='placebo' needs more control units than treated units, got "
            f"{panel.n_control} control and {panel.n_treated} treated; use 'bootstrap' or 'jackknife'"
        )


def check_jackknife_weights(panel: BlockPanel, observed: SampleWeights) -> None:
    """The jackknife is undefined when one control carries all the weight (``synthdid``: NA)."""
    carrying = np.flatnonzero(observed.omega[0])
    if carrying.size < 2:
        raise VarianceMethodError(
            f"se_method='jackknife' is undefined here: control unit "
            f"{panel.control_units[carrying[0]]!r} carries all the weight, and leaving it out "
            "leaves no synthetic control; use 'bootstrap' or 'placebo'"
        )


def replicate_effects(
    panel: BlockPanel,
    method: str,
    tuning: Regularisation,
    observed: SampleWeights,
    se_method: str,
    n_reps: int,
    rng: np.random.Generator,
    solver: str = "synthdid",
) -> tuple[np.ndarray, SampleWeights | None]:
    """``(R, T)`` per-period effects of the replications of ``se_method``, and their
    weights (None for the jackknife, which keeps the original ones)."""
    if se_method == "jackknife":
        return jackknife_effects(panel, observed), None
    if se_method in ("placebo", "placebo_studentised"):
        samples = placebo_samples(panel, n_reps, rng)
    else:
        samples = bootstrap_samples(panel, n_reps, rng)
    omega_start, lambda_start = warm_start(samples, observed)
    weights = fit_weights(panel, method, tuning, samples, omega_start, lambda_start, solver)
    effects = period_effects(panel, samples, weights)
    if se_method == "placebo_studentised":
        noise = pre_period_noise(panel)
        pseudo_treated = np.argmax(samples.treated_share, axis=1)
        effects = effects * (noise[panel.n_control] / noise[pseudo_treated])[:, None]
    return effects, weights


def pre_period_noise(panel: BlockPanel) -> np.ndarray:
    """Each unit's pre-period noise: s.d. of its gap to the mean of the other comparison units.

    For a comparison unit the mean leaves the unit itself out; for a treated unit it is
    the mean of all comparison units. Shape ``(N,)`` in panel row order.
    """
    pre = panel.outcomes[:, : panel.n_pre]
    controls = pre[: panel.n_control]
    total = controls.sum(axis=0)
    gaps = np.empty_like(pre)
    gaps[: panel.n_control] = controls - (total - controls) / (panel.n_control - 1)
    gaps[panel.n_control :] = pre[panel.n_control :] - total / panel.n_control
    noise = gaps.std(axis=1, ddof=1)
    if np.any(noise <= 0):
        flat = [panel.units[i] for i in np.flatnonzero(noise <= 0)[:5]]
        raise VarianceMethodError(f"units with a constant pre-period gap cannot be studentised: {flat}")
    return noise


def replication_std_error(effects: np.ndarray, se_method: str) -> np.ndarray:
    """Standard errors along the replications (axis 0), with ``synthdid``'s scalings."""
    n = effects.shape[0]
    spread = effects.std(axis=0, ddof=0)
    # placebo and bootstrap: sqrt((R-1)/R) * sd; jackknife: sqrt((n-1)^2/n * var)
    return spread * np.sqrt(n - 1.0) if se_method == "jackknife" else spread


def jackknife_effects(panel: BlockPanel, observed: SampleWeights) -> np.ndarray:
    """``(N, T)`` effects leaving out each unit in turn, control weights renormalised."""
    n_control, outcomes = panel.n_control, panel.outcomes
    omega, lam = observed.omega[0], observed.lam[0]
    controls, treated = outcomes[:n_control], outcomes[n_control:]
    synthetic = omega @ controls
    treated_mean = treated.mean(axis=0)

    remaining = 1.0 - omega
    without_control = (synthetic[None, :] - omega[:, None] * controls) / remaining[:, None]
    control_gaps = treated_mean[None, :] - without_control
    n_treated = panel.n_treated
    without_treated = (n_treated * treated_mean[None, :] - treated) / (n_treated - 1)
    treated_gaps = without_treated - synthetic[None, :]
    gaps = np.vstack([control_gaps, treated_gaps])
    return gaps_to_effects(gaps, np.broadcast_to(lam, (gaps.shape[0], lam.size)), panel.n_pre)


def warm_start(samples: UnitSamples, observed: SampleWeights) -> tuple[np.ndarray, np.ndarray]:
    """The original weights restricted to each sample's controls and renormalised
    (uniform if they sum to zero), and the original time weights."""
    available = samples.available
    omega = np.where(available, observed.omega[0][np.where(available, samples.controls, 0)], 0.0)
    total = omega.sum(axis=1, keepdims=True)
    uniform = available / available.sum(axis=1, keepdims=True)
    omega = np.where(total > 0, omega / np.where(total > 0, total, 1.0), uniform)
    lam = np.broadcast_to(observed.lam[0], (samples.size, observed.lam.shape[1])).copy()
    return omega, lam
