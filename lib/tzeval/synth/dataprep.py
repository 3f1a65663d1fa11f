"""From a long panel to the matrices of a synthetic control, checking everything on the way.

Follows R ``Synth::dataprep``: each of ``predictors`` is averaged over
``predictor_periods`` (missing values inside the window are skipped, as ``na.rm = TRUE``
does), each special predictor ``(column, periods, "mean")`` is averaged over its own
periods, and the outcome is kept for every period so that the fit can be measured on
``fit_periods`` and the gaps on every period. Nothing is dropped silently: a missing
outcome, an unbalanced panel or a predictor with no value in its window raises
:class:`SyntheticControlInputError` naming the unit, the column and the periods.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import SyntheticControlInputError

SUPPORTED_OPERATIONS = ("mean",)
MAX_LISTED = 8


@dataclass(frozen=True)
class PredictorSpec:
    """One row of the predictor matrix: a column averaged over some periods."""

    column: str
    periods: tuple
    label: str


@dataclass(frozen=True)
class SynthPanel:
    """Everything the estimator needs, as arrays.

    Attributes
    ----------
    units : tuple
        The treated unit first, then the donors in their given order.
    periods : ndarray
        Every period of the panel, sorted.
    outcomes : ndarray, shape (n_units, n_periods)
        The outcome, complete.
    predictor_values : ndarray, shape (n_predictors, n_units)
        Unscaled predictor values (window means).
    predictor_labels : tuple of str
    pre, fit : ndarray of bool, shape (n_periods,)
        Pre-treatment periods and the periods on which the fit is measured.
    """

    units: tuple
    periods: np.ndarray
    outcomes: np.ndarray
    predictor_values: np.ndarray
    predictor_labels: tuple[str, ...]
    pre: np.ndarray
    fit: np.ndarray
    outcome_name: str
    treatment_time: object

    @property
    def post(self) -> np.ndarray:
        return ~self.pre


def _listed(values: Iterable) -> str:
    values = list(values)
    shown = ", ".join(repr(_plain(v)) for v in values[:MAX_LISTED])
    return shown + (f" and {len(values) - MAX_LISTED} more" if len(values) > MAX_LISTED else "")


def _plain(value):
    """Numpy scalars print as ``np.float64(1970.0)``; show ``1970.0`` instead."""
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    return value.item() if isinstance(value, np.generic) else value


def format_period(value) -> str:
    """A period as people write it: ``1975`` rather than ``1975.0``, dates without midnight."""
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.strftime("%Y-%m-%d")
    return str(value)


def _as_period_tuple(periods, what: str) -> tuple:
    if isinstance(periods, (str, bytes)) or not isinstance(periods, Iterable):
        periods = [periods]
    periods = tuple(periods)
    if not periods:
        raise SyntheticControlInputError(f"{what}: the list of periods is empty.")
    return periods


def _period_label(column: str, periods: tuple) -> str:
    values = sorted(_plain(p) for p in periods)
    text = [format_period(v) for v in values]
    if len(values) == 1:
        return f"{column} ({text[0]})"
    numeric = all(isinstance(v, (int, float)) for v in values)
    if numeric and np.allclose(np.diff(values), 1):
        return f"{column} ({text[0]}-{text[-1]})"
    return f"{column} ({', '.join(text)})"


def _check_columns(data: pd.DataFrame, columns: dict[str, str]) -> None:
    missing = [f"{role} '{name}'" for role, name in columns.items() if name not in data.columns]
    if missing:
        raise SyntheticControlInputError(
            f"Column(s) not found in the data: {', '.join(missing)}. "
            f"Available columns: {_listed(data.columns)}."
        )


def _numeric_column(data: pd.DataFrame, column: str, unit: str, time: str) -> pd.Series:
    values = pd.to_numeric(data[column], errors="coerce")
    bad = values.isna() & data[column].notna()
    if bad.any():
        row = data.loc[bad].iloc[0]
        raise SyntheticControlInputError(
            f"Column '{column}' must be numeric; unit {row[unit]!r}, period "
            f"{_plain(row[time])!r} holds {row[column]!r}."
        )
    return values.astype(float)


def _choose_donors(all_units: Sequence, treated_unit: Hashable, donors) -> list:
    if donors is None:
        chosen = [u for u in all_units if u != treated_unit]
    else:
        if isinstance(donors, (str, bytes)) or not isinstance(donors, Iterable):
            raise SyntheticControlInputError(
                f"donors must be a list of units, got {donors!r}."
            )
        chosen = list(donors)
        known = set(all_units)
        unknown = [d for d in chosen if d not in known]
        if unknown:
            raise SyntheticControlInputError(f"Donor unit(s) not in the data: {_listed(unknown)}.")
        if treated_unit in chosen:
            raise SyntheticControlInputError(
                f"The treated unit {treated_unit!r} cannot also be a donor."
            )
        repeated = sorted({d for d in chosen if chosen.count(d) > 1}, key=str)
        if repeated:
            raise SyntheticControlInputError(f"Donor unit(s) listed twice: {_listed(repeated)}.")
    if len(chosen) < 2:
        raise SyntheticControlInputError(
            f"A synthetic control needs at least 2 donor units; got {len(chosen)} "
            f"({_listed(chosen) or 'none'})."
        )
    return chosen


def _wide(data: pd.DataFrame, column: str, unit: str, time: str, units, periods) -> pd.DataFrame:
    table = data.pivot(index=unit, columns=time, values=column)
    return table.reindex(index=list(units), columns=list(periods))


def _select_periods(periods: np.ndarray, requested: tuple, what: str, pre: np.ndarray) -> np.ndarray:
    """Boolean mask of ``requested`` among ``periods``; every one must exist and precede treatment."""
    mask = np.zeros(periods.shape[0], dtype=bool)
    absent = []
    for period in requested:
        hits = periods == period
        if not hits.any():
            absent.append(period)
        mask |= hits
    if absent:
        raise SyntheticControlInputError(
            f"{what}: period(s) {_listed(absent)} not in the data (periods run from "
            f"{_plain(periods[0])!r} to {_plain(periods[-1])!r})."
        )
    late = periods[mask & ~pre]
    if late.size:
        raise SyntheticControlInputError(
            f"{what}: period(s) {_listed(late)} are not before the treatment; predictors "
            "and the fit may only use pre-treatment periods."
        )
    return mask


def _predictor_specs(
    predictors, predictor_periods, special_predictors, pre_periods
) -> list[PredictorSpec]:
    if isinstance(predictors, str):
        predictors = [predictors]
    specs = []
    window = pre_periods if predictor_periods is None else _as_period_tuple(
        predictor_periods, "predictor_periods"
    )
    for column in predictors:
        specs.append(PredictorSpec(column, tuple(window), column))
    for number, special in enumerate(special_predictors):
        if not isinstance(special, Sequence) or isinstance(special, str) or len(special) != 3:
            raise SyntheticControlInputError(
                f"special_predictors[{number}] must be a (column, periods, 'mean') triple, "
                f"got {special!r}."
            )
        column, periods, operation = special
        if operation not in SUPPORTED_OPERATIONS:
            raise SyntheticControlInputError(
                f"special_predictors[{number}] ('{column}'): operation {operation!r} is not "
                f"supported; use one of {SUPPORTED_OPERATIONS}."
            )
        periods = _as_period_tuple(periods, f"special_predictors[{number}] ('{column}')")
        specs.append(PredictorSpec(column, periods, _period_label(column, periods)))
    labels = [spec.label for spec in specs]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise SyntheticControlInputError(f"Predictor(s) given twice: {_listed(repeated)}.")
    return specs


def prepare_panel(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit: Hashable,
    treatment_time,
    predictors: Sequence[str] = (),
    predictor_periods=None,
    special_predictors: Sequence = (),
    fit_periods=None,
    donors: Sequence | None = None,
) -> SynthPanel:
    """Check a long panel and build the arrays of a synthetic control.

    Parameters are those of :func:`tzeval.synth.synthetic_control`.

    Returns
    -------
    SynthPanel

    Raises
    ------
    SyntheticControlInputError
        With the unit, column and periods at fault.
    """
    if not isinstance(data, pd.DataFrame):
        raise SyntheticControlInputError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    special_columns = {
        f"special predictor {i}": s[0]
        for i, s in enumerate(special_predictors)
        if isinstance(s, Sequence) and not isinstance(s, str) and len(s) == 3
    }
    plain_predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    _check_columns(
        data,
        {"unit": unit, "time": time, "outcome": outcome}
        | {f"predictor {i}": p for i, p in enumerate(plain_predictors)}
        | special_columns,
    )
    for column in (unit, time):
        if data[column].isna().any():
            row = int(np.flatnonzero(data[column].isna().to_numpy())[0])
            raise SyntheticControlInputError(
                f"Column '{column}' has a missing value (row {row} of the data)."
            )
    all_units = list(pd.unique(data[unit]))
    if treated_unit not in set(all_units):
        raise SyntheticControlInputError(
            f"The treated unit {treated_unit!r} is not in column '{unit}'. "
            f"Units found: {_listed(all_units)}."
        )
    chosen_donors = _choose_donors(all_units, treated_unit, donors)
    units = [treated_unit, *chosen_donors]
    panel = data.loc[data[unit].isin(units)]

    duplicated = panel.duplicated(subset=[unit, time])
    if duplicated.any():
        row = panel.loc[duplicated].iloc[0]
        raise SyntheticControlInputError(
            f"Unit {row[unit]!r} has more than one row for period {_plain(row[time])!r}; "
            f"expected one row per ('{unit}', '{time}')."
        )
    periods = np.sort(pd.unique(panel[time]))
    counts = panel.groupby(unit, sort=False)[time].nunique()
    for name in units:
        if counts.get(name, 0) != periods.shape[0]:
            present = set(panel.loc[panel[unit] == name, time])
            absent = [p for p in periods if p not in present]
            raise SyntheticControlInputError(
                f"The panel is unbalanced: unit {name!r} has no row for period(s) "
                f"{_listed(absent)}; every unit needs every period."
            )

    try:
        pre = np.asarray(periods < treatment_time, dtype=bool)
    except TypeError as error:
        raise SyntheticControlInputError(
            f"treatment_time {treatment_time!r} cannot be compared with column '{time}' "
            f"(values such as {_plain(periods[0])!r})."
        ) from error
    if pre.sum() < 2 or pre.all():
        raise SyntheticControlInputError(
            f"treatment_time {treatment_time!r} is outside the data: column '{time}' runs from "
            f"{_plain(periods[0])!r} to {_plain(periods[-1])!r}, and a synthetic control needs at "
            "least 2 periods before the treatment and 1 from the treatment on."
        )

    outcome_values = _numeric_column(panel, outcome, unit, time)
    outcome_wide = _wide(
        panel.assign(**{outcome: outcome_values}), outcome, unit, time, units, periods
    )
    if outcome_wide.isna().to_numpy().any():
        stacked = outcome_wide.stack(future_stack=True)
        holes = stacked[stacked.isna()].index.tolist()
        raise SyntheticControlInputError(
            f"Outcome '{outcome}' is missing for (unit, period) {_listed(holes)}; the outcome "
            "must be observed for every unit in every period."
        )

    fit = pre.copy() if fit_periods is None else _select_periods(
        periods, _as_period_tuple(fit_periods, "fit_periods"), "fit_periods", pre
    )
    specs = _predictor_specs(predictors, predictor_periods, special_predictors, tuple(periods[pre]))
    rows = []
    for spec in specs:
        mask = _select_periods(periods, spec.periods, f"predictor '{spec.label}'", pre)
        values = _numeric_column(panel, spec.column, unit, time)
        wide = _wide(panel.assign(**{spec.column: values}), spec.column, unit, time, units, periods)
        window = wide.to_numpy()[:, mask]
        empty = np.isnan(window).all(axis=1)
        if empty.any():
            raise SyntheticControlInputError(
                f"Predictor '{spec.label}': column '{spec.column}' has no value for unit(s) "
                f"{_listed(np.asarray(units, dtype=object)[empty])} in period(s) "
                f"{_listed(periods[mask])}."
            )
        rows.append(np.nanmean(window, axis=1))
    predictor_values = np.vstack(rows) if rows else np.empty((0, len(units)))

    return SynthPanel(
        units=tuple(units),
        periods=periods,
        outcomes=outcome_wide.to_numpy(dtype=float),
        predictor_values=predictor_values,
        predictor_labels=tuple(spec.label for spec in specs),
        pre=pre,
        fit=fit,
        outcome_name=outcome,
        treatment_time=treatment_time,
    )
