"""Running the Rambachan-Roth analysis on an event-study result object."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import SensitivityInputError
from .honest import DEFAULT_MBAR, DEFAULT_METHOD, HonestDidResult, honest_did

COEFFICIENT_ATTRIBUTES = ("coefficients", "estimates", "estimate", "coef", "att")
COVARIANCE_ATTRIBUTES = ("covariance", "vcov", "cov", "sigma", "V")


def _first_attribute(result, names: tuple[str, ...]):
    for name in names:
        value = getattr(result, name, None)
        if value is not None and not callable(value):
            return np.asarray(value, dtype=float)
    return None


def _tidy_column(result, column: str):
    to_frame = getattr(result, "to_frame", None)
    if not callable(to_frame):
        return None
    frame = to_frame()
    return frame[column].to_numpy() if column in frame.columns else None


def event_study_inputs(
    result, reference: int = -1, covariance: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Coefficients, covariance and period counts of an event-study result.

    Event times come from ``result.event_time`` (or an ``event_time`` column of
    ``result.to_frame()``), coefficients from one of ``COEFFICIENT_ATTRIBUTES`` (or the
    ``estimate`` column), the covariance from ``covariance`` or one of
    ``COVARIANCE_ATTRIBUTES``. Event times must run without gaps from the earliest
    pre-period to -2, omit ``reference`` = -1 (or report it as an exact zero with zero
    variance), and run without gaps from 0.
    """
    event_time = getattr(result, "event_time", None)
    if event_time is None:
        event_time = _tidy_column(result, "event_time")
    if event_time is None:
        raise SensitivityInputError(
            f"{type(result).__name__} has no 'event_time' attribute or to_frame() column"
        )
    event_time = np.asarray(event_time, dtype=float)
    if not np.allclose(event_time, np.round(event_time)):
        raise SensitivityInputError(f"event times must be integers, got {event_time.tolist()}")
    event_time = np.round(event_time).astype(int)
    coefficients = _first_attribute(result, COEFFICIENT_ATTRIBUTES)
    if coefficients is None or coefficients.ndim != 1:
        coefficients = _tidy_column(result, "estimate")
    if coefficients is None:
        raise SensitivityInputError(
            f"{type(result).__name__} has no coefficients: expected one of the attributes "
            f"{COEFFICIENT_ATTRIBUTES} or an 'estimate' column in to_frame()"
        )
    coefficients = np.asarray(coefficients, dtype=float)
    if covariance is None:
        covariance = _first_attribute(result, COVARIANCE_ATTRIBUTES)
    if covariance is None:
        raise SensitivityInputError(
            f"{type(result).__name__} has no covariance matrix (attributes "
            f"{COVARIANCE_ATTRIBUTES}); pass covariance= explicitly"
        )
    covariance = np.asarray(covariance, dtype=float)
    if coefficients.shape != event_time.shape or covariance.shape != 2 * event_time.shape:
        raise SensitivityInputError(
            f"{len(event_time)} event times but {coefficients.shape[0]} coefficients and a "
            f"{covariance.shape} covariance"
        )
    if reference != -1:
        raise SensitivityInputError(
            "relative magnitudes normalise the period just before treatment: the reference "
            f"event time must be -1, got {reference}"
        )
    at_reference = np.flatnonzero(event_time == reference)
    if at_reference.size:
        index = at_reference[0]
        if coefficients[index] != 0 or covariance[index, index] != 0:
            raise SensitivityInputError(
                "event time -1 has an estimated coefficient; re-estimate with -1 as the "
                "omitted reference (a universal base period)"
            )
        keep = event_time != reference
        event_time, coefficients = event_time[keep], coefficients[keep]
        covariance = covariance[np.ix_(keep, keep)]
    order = np.argsort(event_time)
    event_time, coefficients = event_time[order], coefficients[order]
    covariance = covariance[np.ix_(order, order)]
    pre, post = event_time[event_time < 0], event_time[event_time >= 0]
    if pre.size and not np.array_equal(pre, np.arange(pre.min(), -1)):
        raise SensitivityInputError(
            f"pre-period event times must run without gaps up to -2, got {pre.tolist()}"
        )
    if not post.size or not np.array_equal(post, np.arange(post.size)):
        raise SensitivityInputError(
            f"post-period event times must run without gaps from 0, got {post.tolist()}"
        )
    return coefficients, covariance, int(pre.size), int(post.size)


def honest_did_from(
    result,
    Mbar: Sequence[float] = DEFAULT_MBAR,
    alpha: float = 0.05,
    target="average",
    reference: int | None = None,
    covariance: np.ndarray | None = None,
    method: str = DEFAULT_METHOD,
    grid_points: int = 1000,
) -> HonestDidResult:
    """:func:`honest_did` on an event-study result (``event_time``, coefficients, covariance).

    Parameters
    ----------
    result : object
        For example :class:`tzeval.fewclusters.EventStudyResult`; any object with event
        times and coefficients (attributes or a tidy ``to_frame()`` with ``event_time``
        and ``estimate`` columns) and a covariance matrix (attribute or ``covariance=``).
    Mbar, alpha, target, method, grid_points
        As in :func:`honest_did` (default method "C-LF", HonestDiD's hybrid).
    reference : int, optional
        The omitted event time; defaults to ``result.reference`` or -1. Must be -1.
    covariance : ndarray, optional
        Covariance of the coefficients, for results that do not carry one (rows and
        columns in the order of ``event_time``).
    """
    if reference is None:
        reference = int(getattr(result, "reference", -1))
    betahat, sigma, num_pre, num_post = event_study_inputs(result, reference, covariance)
    return honest_did(betahat, sigma, num_pre, num_post, Mbar=Mbar, alpha=alpha, target=target,
                      method=method, grid_points=grid_points)
