"""Checking a long panel and reshaping it to the unit x period arrays the estimators use."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import StaggeredInputError

MAX_LISTED = 5
NEVER_TREATED = 0


@dataclass(frozen=True)
class BalancedPanel:
    """A balanced panel in wide form.

    Attributes
    ----------
    unit_ids : ndarray
        Unit identifiers, sorted; row ``i`` of every array below is unit ``unit_ids[i]``.
    periods : ndarray
        Sorted distinct periods (numeric).
    cohorts : ndarray
        First treated period of each unit, 0 for never treated.
    outcomes : ndarray
        ``(n_units, n_periods)`` outcome matrix.
    covariates : ndarray or None
        ``(n_periods, n_units, n_covariates)`` covariate values, or None without covariates.
    covariate_names : tuple of str
        Names of the covariate columns, in the order of the last axis of ``covariates``.
    dropped_units : ndarray
        Units removed because they were treated in the first period or earlier (R ``did``
        does the same, with a warning).
    """

    unit_ids: np.ndarray
    periods: np.ndarray
    cohorts: np.ndarray
    outcomes: np.ndarray
    covariates: np.ndarray | None
    covariate_names: tuple[str, ...]
    dropped_units: np.ndarray

    @property
    def n_units(self) -> int:
        return self.outcomes.shape[0]

    @property
    def treated_cohorts(self) -> np.ndarray:
        """Distinct first-treatment periods, never-treated excluded, sorted."""
        return np.unique(self.cohorts[self.cohorts != NEVER_TREATED])


def parse_covariates(xformla: str | Sequence[str] | None) -> tuple[str, ...]:
    """Covariate column names from a list of names or a formula such as ``"~ lpop + x"``.

    Only additive formulas of plain column names are understood; ``"~ 1"`` means none.
    """
    if xformla is None:
        return ()
    if isinstance(xformla, str):
        right = xformla.split("~", 1)[1] if "~" in xformla else xformla
        terms = [term.strip() for term in right.split("+")]
        names = []
        for term in terms:
            if term in ("", "1"):
                continue
            if not re.fullmatch(r"[A-Za-z_.][A-Za-z0-9_.]*", term):
                raise StaggeredInputError(
                    f"xformla {xformla!r}: cannot read term {term!r}; only additive formulas "
                    "of column names are supported (for example '~ lpop + density'). "
                    "Build transformed or dummy columns first and list them."
                )
            names.append(term)
        return tuple(names)
    names = tuple(xformla)
    for name in names:
        if not isinstance(name, str):
            raise StaggeredInputError(f"xformla must list column names, got {name!r}")
    return names


def integral_if_possible(values: np.ndarray) -> np.ndarray:
    """Periods, cohorts or event times as integers when they all are whole numbers."""
    values = np.asarray(values, dtype=float)
    if np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values


def _plain(value):
    """A numpy scalar or tuple of them as plain Python, integral floats as ints, for messages."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _listed(values, limit: int = MAX_LISTED) -> str:
    values = list(values)
    shown = ", ".join(repr(_plain(v)) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _numeric_column(data: pd.DataFrame, name: str, role: str) -> np.ndarray:
    column = data[name]
    if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
        raise StaggeredInputError(
            f"{role} column {name!r} must be numeric, found dtype {column.dtype}"
        )
    return column.to_numpy(dtype=float, na_value=np.nan)


def build_panel(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    covariate_names: Sequence[str] = (),
) -> BalancedPanel:
    """Validate a long panel and reshape it.

    Raises
    ------
    StaggeredInputError
        On a missing column, missing identifiers/periods/cohorts/outcomes/covariates
        (naming unit and period), duplicated (unit, period) rows, a cohort that varies
        within a unit, or an unbalanced panel (naming the units and their missing periods).
    """
    if not isinstance(data, pd.DataFrame):
        raise StaggeredInputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    covariate_names = tuple(covariate_names)
    for role, name in [("yname", yname), ("tname", tname), ("idname", idname), ("gname", gname)]:
        if name not in data.columns:
            raise StaggeredInputError(f"{role}={name!r} is not a column of data")
    for name in covariate_names:
        if name not in data.columns:
            raise StaggeredInputError(f"covariate {name!r} (from xformla) is not a column of data")
    if len(data) == 0:
        raise StaggeredInputError("data has no rows")

    ids = data[idname]
    if ids.isna().any():
        rows = np.flatnonzero(ids.isna().to_numpy())
        raise StaggeredInputError(f"idname column {idname!r} is missing in rows {_listed(rows)}")
    times = _numeric_column(data, tname, "tname")
    cohorts_long = _numeric_column(data, gname, "gname")
    outcome_long = _numeric_column(data, yname, "yname")
    ids_array = ids.to_numpy()

    if np.isnan(times).any():
        bad = ids_array[np.isnan(times)]
        raise StaggeredInputError(f"period column {tname!r} is missing for units {_listed(bad)}")
    if np.isnan(cohorts_long).any():
        bad = np.unique(ids_array[np.isnan(cohorts_long)])
        raise StaggeredInputError(
            f"cohort column {gname!r} is missing for units {_listed(bad)}; "
            "use 0 for never-treated units"
        )
    if (cohorts_long < 0).any():
        bad = np.unique(ids_array[cohorts_long < 0])
        raise StaggeredInputError(
            f"cohort column {gname!r} must be 0 (never treated) or the first treated period; "
            f"negative for units {_listed(bad)}"
        )

    unit_ids, unit_index = np.unique(ids_array, return_inverse=True)
    periods, period_index = np.unique(times, return_inverse=True)
    n_units, n_periods = len(unit_ids), len(periods)
    if n_periods < 2:
        raise StaggeredInputError(f"the panel needs at least two periods in {tname!r}")

    cell = unit_index * n_periods + period_index
    counts = np.bincount(cell, minlength=n_units * n_periods)
    if (counts > 1).any():
        dup = np.flatnonzero(counts > 1)
        pairs = [(unit_ids[c // n_periods], periods[c % n_periods]) for c in dup[:MAX_LISTED]]
        raise StaggeredInputError(
            f"{len(dup)} (unit, period) pairs appear more than once in ({idname!r}, {tname!r}), "
            f"for example {_listed(pairs)}"
        )
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0)
        pairs = [(unit_ids[c // n_periods], periods[c % n_periods]) for c in missing[:MAX_LISTED]]
        n_bad_units = len(np.unique(missing // n_periods))
        raise StaggeredInputError(
            f"unbalanced panel: {n_bad_units} units lack some of the {n_periods} periods "
            f"(missing (unit, period) pairs: {_listed(pairs)}). att_gt needs a balanced "
            "panel; drop or complete these units explicitly."
        )

    order = np.argsort(cell, kind="stable")
    outcomes = outcome_long[order].reshape(n_units, n_periods)
    _check_finite(outcomes, unit_ids, periods, f"outcome {yname!r}")

    cohort_matrix = cohorts_long[order].reshape(n_units, n_periods)
    varying = (cohort_matrix != cohort_matrix[:, :1]).any(axis=1)
    if varying.any():
        raise StaggeredInputError(
            f"cohort column {gname!r} must be constant within each unit; it varies for units "
            f"{_listed(unit_ids[varying])}"
        )
    cohorts = cohort_matrix[:, 0].copy()

    covariates = None
    if covariate_names:
        stacked = []
        for name in covariate_names:
            values = _numeric_column(data, name, "covariate")[order].reshape(n_units, n_periods)
            _check_finite(values, unit_ids, periods, f"covariate {name!r}")
            stacked.append(values.T)
        covariates = np.stack(stacked, axis=-1)

    cohorts[cohorts > periods[-1]] = NEVER_TREATED  # see warning below
    late = np.unique(cohort_matrix[:, 0][cohort_matrix[:, 0] > periods[-1]])
    if len(late):
        warnings.warn(
            f"cohorts {_listed(late)} start after the last period {_plain(periods[-1])!r}; their "
            "units are treated as never treated, as R did does",
            stacklevel=3,
        )

    already = (cohorts != NEVER_TREATED) & (cohorts <= periods[0])
    dropped_units = unit_ids[already]
    if already.any():
        warnings.warn(
            f"dropped {already.sum()} units treated in the first period {_plain(periods[0])!r} or "
            f"earlier (they have no untreated period), as R did does: {_listed(dropped_units)}",
            stacklevel=3,
        )
        keep = ~already
        unit_ids, cohorts, outcomes = unit_ids[keep], cohorts[keep], outcomes[keep]
        if covariates is not None:
            covariates = covariates[:, keep, :]

    return BalancedPanel(
        unit_ids=unit_ids,
        periods=periods,
        cohorts=cohorts,
        outcomes=outcomes,
        covariates=covariates,
        covariate_names=covariate_names,
        dropped_units=dropped_units,
    )


def _check_finite(values: np.ndarray, unit_ids, periods, what: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        rows, cols = np.nonzero(bad)
        pairs = [(unit_ids[r], periods[c]) for r, c in zip(rows[:MAX_LISTED], cols[:MAX_LISTED])]
        raise StaggeredInputError(
            f"{what} is missing or not finite in {bad.sum()} (unit, period) cells, for example "
            f"{_listed(pairs)}"
        )
