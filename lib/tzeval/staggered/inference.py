"""Standard errors, intervals and p-values from influence functions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from .bootstrap import MultiplierBootstrap, bootstrap_scale, sup_t_critical_value

SE_TYPES = ("bootstrap", "analytical")


@dataclass(frozen=True)
class Inference:
    """Uncertainty of a vector of estimates.

    Attributes
    ----------
    std_error : ndarray
        The standard errors used for the intervals (bootstrap or analytical, see
        ``se_type``).
    std_error_analytical : ndarray
        ``sqrt(mean(psi ** 2) / n)`` from the influence functions.
    std_error_bootstrap : ndarray or None
        Interquartile-range standard errors of the multiplier bootstrap, None without it.
    pointwise_critical_value, simultaneous_critical_value : float
        Normal quantile ``z(1 - alpha/2)`` and sup-t bootstrap critical value (NaN
        without bootstrap). The simultaneous band is never narrower than the pointwise one.
    p_value : ndarray
        Two-sided normal p-values of ``estimate / std_error`` (NaN when the standard error
        is zero, as for the reference cell of a universal base period).
    """

    estimate: np.ndarray
    std_error: np.ndarray
    std_error_analytical: np.ndarray
    std_error_bootstrap: np.ndarray | None
    pointwise_critical_value: float
    simultaneous_critical_value: float
    p_value: np.ndarray
    se_type: str

    def interval(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the ``"pointwise"`` or ``"simultaneous"`` intervals."""
        if kind == "pointwise":
            critical = self.pointwise_critical_value
        elif kind == "simultaneous":
            critical = self.simultaneous_critical_value
        else:
            raise ValueError(f"interval must be 'pointwise' or 'simultaneous', got {kind!r}")
        half = critical * self.std_error
        return self.estimate - half, self.estimate + half

    @property
    def has_simultaneous(self) -> bool:
        return bool(np.isfinite(self.simultaneous_critical_value))


def analytical_std_error(influence: np.ndarray) -> np.ndarray:
    """``sqrt(mean(psi ** 2) / n)`` for each column of ``influence``."""
    n_units = influence.shape[0]
    return np.sqrt(np.einsum("ij,ij->j", influence, influence)) / n_units


def infer(
    estimate: np.ndarray,
    influence: np.ndarray,
    bootstrap: MultiplierBootstrap | None,
    se_type: str,
    alpha: float,
    column_blocks: list[slice] | None = None,
) -> Inference:
    """Standard errors, pointwise and sup-t critical values for ``estimate``.

    Parameters
    ----------
    estimate : ndarray
        ``(k,)`` point estimates.
    influence : ndarray
        ``(n_units, k)`` influence functions.
    bootstrap : MultiplierBootstrap or None
        Draw recipe; None (or zero draws) gives analytical inference and no band.
    se_type : {"bootstrap", "analytical"}
        Which standard error the intervals use.
    alpha : float
        One minus the confidence level.
    column_blocks : list of slice, optional
        Column groups sharing their zero rows, passed to the bootstrap to save work.
    """
    estimate = np.atleast_1d(np.asarray(estimate, dtype=float))
    influence = influence.reshape(influence.shape[0], -1)
    n_units = influence.shape[0]
    analytical = analytical_std_error(influence)
    pointwise = float(norm.ppf(1.0 - alpha / 2.0))
    boot_se = None
    simultaneous = float("nan")
    std_error = analytical
    if bootstrap is not None and bootstrap.n_boot > 0:
        draws = bootstrap.draws(influence, column_blocks)
        boot_scale = bootstrap_scale(draws)
        boot_se = boot_scale / np.sqrt(n_units)
        if se_type == "bootstrap":
            std_error = boot_se
        band_scale = boot_scale if se_type == "bootstrap" else analytical * np.sqrt(n_units)
        simultaneous = max(sup_t_critical_value(draws, band_scale, alpha), pointwise)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std_error > 0, np.abs(estimate) / std_error, np.nan)
    p_value = 2.0 * norm.sf(z)
    return Inference(
        estimate=estimate,
        std_error=std_error,
        std_error_analytical=analytical,
        std_error_bootstrap=boot_se,
        pointwise_critical_value=pointwise,
        simultaneous_critical_value=simultaneous,
        p_value=p_value,
        se_type=se_type if boot_se is not None else "analytical",
    )
