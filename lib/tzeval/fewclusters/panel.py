"""Checking a long panel and turning its identifier columns into integer codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import RegressionInputError

MAX_LISTED = 5


@dataclass(frozen=True)
class PanelArrays:
    """A validated panel as aligned numpy arrays, one entry per row of the input.

    Attributes
    ----------
    outcome : ndarray of float
    period : ndarray of float
        The raw values of ``tname`` (numeric, so that ``period - cohort`` is event time).
    cohort : ndarray of float
        The first treated period of each row's unit, 0 for never-treated units.
    unit_codes, period_codes, cluster_codes : ndarray of int
        Codes 0..n-1 of the unit, period and cluster of each row.
    cluster_labels : ndarray
        The original cluster values, indexed by cluster code.
    """

    outcome: np.ndarray
    period: np.ndarray
    cohort: np.ndarray
    unit_codes: np.ndarray
    period_codes: np.ndarray
    cluster_codes: np.ndarray
    cluster_labels: np.ndarray

    @property
    def n_units(self) -> int:
        return int(self.unit_codes.max()) + 1

    @property
    def n_periods(self) -> int:
        return int(self.period_codes.max()) + 1

    @property
    def n_clusters(self) -> int:
        return len(self.cluster_labels)


def _listed(values) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:MAX_LISTED])
    return shown + (f" (and {len(values) - MAX_LISTED} more)" if len(values) > MAX_LISTED else "")


def _numeric_column(data: pd.DataFrame, name: str, role: str) -> np.ndarray:
    column = data[name]
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        raise RegressionInputError(
            f"column '{name}' ({role}) must be numeric, found dtype {column.dtype}"
        )
    values = column.to_numpy(dtype=float)
    missing = ~np.isfinite(values)
    if missing.any():
        rows = data.index[missing]
        raise RegressionInputError(
            f"column '{name}' ({role}) has {missing.sum()} missing or non-finite value(s), "
            f"at rows {_listed(rows)}; drop or fill them before estimating"
        )
    return values


def _codes(data: pd.DataFrame, name: str, role: str) -> tuple[np.ndarray, np.ndarray]:
    column = data[name]
    if column.isna().any():
        rows = data.index[column.isna().to_numpy()]
        raise RegressionInputError(
            f"column '{name}' ({role}) has missing values at rows {_listed(rows)}"
        )
    codes, labels = pd.factorize(column, sort=True)
    return codes.astype(np.int64), np.asarray(labels)


def prepare_panel(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    cluster: str | None = None,
) -> PanelArrays:
    """Validate a long panel and return it as :class:`PanelArrays`.

    Parameters
    ----------
    data : DataFrame
        One row per unit and period.
    yname, tname, idname, gname : str
        Outcome, period, unit and first-treated-period columns (``gname`` = 0 for units
        never treated), as in R's ``did``.
    cluster : str, optional
        Column defining the clusters; defaults to ``idname``.

    Raises
    ------
    RegressionInputError
        A column is missing, non-numeric or has missing values, a (unit, period) pair is
        duplicated, or ``gname`` varies within a unit.
    """
    if not isinstance(data, pd.DataFrame):
        raise RegressionInputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    cluster = idname if cluster is None else cluster
    roles = {yname: "outcome", tname: "period", idname: "unit", gname: "first treated period",
             cluster: "cluster"}
    absent = [name for name in roles if name not in data.columns]
    if absent:
        raise RegressionInputError(
            f"column(s) {_listed(absent)} not found in data; available: {_listed(data.columns)}"
        )
    if len(data) == 0:
        raise RegressionInputError("data has no rows")

    outcome = _numeric_column(data, yname, "outcome")
    period = _numeric_column(data, tname, "period")
    cohort = _numeric_column(data, gname, "first treated period; 0 for never-treated units")
    unit_codes, _ = _codes(data, idname, "unit")
    period_codes, _ = _codes(data, tname, "period")
    cluster_codes, cluster_labels = _codes(data, cluster, "cluster")

    n_periods = int(period_codes.max()) + 1
    cell = unit_codes * n_periods + period_codes
    if len(np.unique(cell)) != len(cell):
        duplicated = data.loc[pd.Series(cell).duplicated(keep=False).to_numpy(), [idname, tname]]
        pairs = list(duplicated.drop_duplicates().itertuples(index=False, name=None))
        raise RegressionInputError(
            f"each ({idname}, {tname}) pair must appear once; duplicated: {_listed(pairs)}"
        )

    n_units = int(unit_codes.max()) + 1
    cohort_min = np.full(n_units, np.inf)
    cohort_max = np.full(n_units, -np.inf)
    np.minimum.at(cohort_min, unit_codes, cohort)
    np.maximum.at(cohort_max, unit_codes, cohort)
    varying = np.flatnonzero(cohort_min != cohort_max)
    if varying.size:
        labels = pd.factorize(data[idname], sort=True)[1]
        raise RegressionInputError(
            f"column '{gname}' must be constant within each unit of '{idname}'; it varies "
            f"for unit(s) {_listed(labels[varying])}"
        )
    if (cohort < 0).any():
        raise RegressionInputError(
            f"column '{gname}' must be 0 (never treated) or the first treated period; "
            f"found negative values {_listed(np.unique(cohort[cohort < 0]))}"
        )
    return PanelArrays(
        outcome=outcome,
        period=period,
        cohort=cohort,
        unit_codes=unit_codes,
        period_codes=period_codes,
        cluster_codes=cluster_codes,
        cluster_labels=cluster_labels,
    )


def units_nested_in_clusters(panel: PanelArrays) -> bool:
    """Whether every unit lies in a single cluster."""
    first = np.full(panel.n_units, -1)
    first[panel.unit_codes] = panel.cluster_codes
    return bool((first[panel.unit_codes] == panel.cluster_codes).all())


def clusters_with_nonzero(matrix: np.ndarray, cluster_codes: np.ndarray) -> np.ndarray:
    """For each column of ``matrix``, the number of clusters holding a non-zero entry."""
    n_clusters = int(cluster_codes.max()) + 1
    counts = np.zeros((n_clusters, matrix.shape[1]))
    np.add.at(counts, cluster_codes, matrix != 0)
    return (counts > 0).sum(axis=0)
