"""A block-design panel: the outcome matrix with control units first and pre-periods first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import PanelShapeError, SyntheticDiDError, TreatmentDesignError

MAX_LISTED = 5


@dataclass(frozen=True)
class BlockPanel:
    """Outcomes of ``N`` units over ``T`` periods in a block treatment design.

    Rows ``0 .. n_control - 1`` are the control units and the remaining rows the treated
    units; columns ``0 .. n_pre - 1`` are the periods before treatment. This is the layout
    of ``Y, N0, T0`` in R ``synthdid``.
    """

    outcomes: np.ndarray
    units: pd.Index
    periods: pd.Index
    n_control: int
    n_pre: int

    @property
    def n_units(self) -> int:
        return self.outcomes.shape[0]

    @property
    def n_periods(self) -> int:
        return self.outcomes.shape[1]

    @property
    def n_treated(self) -> int:
        return self.n_units - self.n_control

    @property
    def n_post(self) -> int:
        return self.n_periods - self.n_pre

    @property
    def control_units(self) -> pd.Index:
        return self.units[: self.n_control]

    @property
    def treated_units(self) -> pd.Index:
        return self.units[self.n_control :]

    @property
    def pre_periods(self) -> pd.Index:
        return self.periods[: self.n_pre]

    @property
    def post_periods(self) -> pd.Index:
        return self.periods[self.n_pre :]

    @property
    def treatment_start(self):
        return self.periods[self.n_pre]


def block_panel_from_long(
    data: pd.DataFrame, unit: str, time: str, outcome: str, treated: str
) -> BlockPanel:
    """Check a long table and arrange it as a :class:`BlockPanel`.

    Parameters
    ----------
    data
        One row per unit and period.
    unit, time, outcome, treated
        Column names: unit identifier, period, numeric outcome, and a 0/1 indicator of
        treated unit-periods.

    Raises
    ------
    PanelShapeError
        Missing columns, missing or duplicated unit-period cells, non-finite outcomes.
    TreatmentDesignError
        No treated or no control unit, staggered adoption, treatment that switches off,
        or treatment from the first period (no pre-period).
    """
    _check_columns(data, unit, time, outcome, treated)
    _check_outcome(data, unit, time, outcome)
    indicator = _treatment_indicator(data, unit, time, treated)
    _check_unique_cells(data, unit, time)

    outcome_wide = data.pivot(index=unit, columns=time, values=outcome)
    indicator_wide = pd.DataFrame(
        {"unit": data[unit].to_numpy(), "time": data[time].to_numpy(), "treated": indicator.to_numpy()}
    ).pivot(index="unit", columns="time", values="treated")
    outcome_wide = _sorted_axes(outcome_wide)
    indicator_wide = indicator_wide.reindex(index=outcome_wide.index, columns=outcome_wide.columns)
    _check_balanced(outcome_wide, unit, time)

    treatment = indicator_wide.to_numpy(dtype=float).astype(bool)
    n_pre = _common_treatment_start(treatment, outcome_wide.index, outcome_wide.columns, treated)
    is_treated = treatment.any(axis=1)
    order = np.concatenate([np.flatnonzero(~is_treated), np.flatnonzero(is_treated)])
    return BlockPanel(
        outcomes=np.ascontiguousarray(outcome_wide.to_numpy(dtype=float)[order]),
        units=outcome_wide.index[order],
        periods=outcome_wide.columns,
        n_control=int((~is_treated).sum()),
        n_pre=n_pre,
    )


def _check_columns(data, unit, time, outcome, treated) -> None:
    if not isinstance(data, pd.DataFrame):
        raise SyntheticDiDError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    roles = {"unit": unit, "time": time, "outcome": outcome, "treated": treated}
    missing = [f"{role}={name!r}" for role, name in roles.items() if name not in data.columns]
    if missing:
        raise PanelShapeError(
            f"column(s) not found in data: {', '.join(missing)}; "
            f"available columns: {list(data.columns)}"
        )
    if len(set(roles.values())) < len(roles):
        raise PanelShapeError(f"unit, time, outcome and treated must be distinct columns, got {roles}")
    for role in ("unit", "time"):
        absent = data[roles[role]].isna()
        if absent.any():
            rows = list(data.index[absent][:MAX_LISTED])
            raise PanelShapeError(
                f"{role} column {roles[role]!r} is missing in {int(absent.sum())} row(s), "
                f"e.g. rows {rows}; every row needs a {role}"
            )


def _check_outcome(data, unit, time, outcome) -> None:
    values = data[outcome]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise PanelShapeError(f"outcome column {outcome!r} must be numeric, got dtype {values.dtype}")
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(numbers)
    if bad.any():
        cells = _describe_cells(data.loc[bad, unit], data.loc[bad, time])
        raise PanelShapeError(
            f"outcome {outcome!r} is missing or not finite in {int(bad.sum())} unit-period "
            f"cell(s): {cells}; synthetic DiD needs a balanced panel with every outcome observed"
        )


def _treatment_indicator(data, unit, time, treated) -> pd.Series:
    values = data[treated]
    if values.isna().any():
        absent = values.isna().to_numpy()
        cells = _describe_cells(data.loc[absent, unit], data.loc[absent, time])
        raise TreatmentDesignError(f"treated column {treated!r} is missing in {cells}; expected 0 or 1")
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    if not pd.api.types.is_numeric_dtype(values):
        raise TreatmentDesignError(f"treated column {treated!r} must be 0/1, got dtype {values.dtype}")
    numbers = values.to_numpy(dtype=float)
    invalid = (numbers != 0) & (numbers != 1)
    if invalid.any():
        cells = _describe_cells(data.loc[invalid, unit], data.loc[invalid, time])
        raise TreatmentDesignError(
            f"treated column {treated!r} must hold only 0 and 1; other values "
            f"{sorted(set(numbers[invalid].tolist()))[:MAX_LISTED]} in {cells}"
        )
    return pd.Series(numbers == 1, index=data.index)


def _check_unique_cells(data, unit, time) -> None:
    duplicated = data.duplicated(subset=[unit, time], keep=False).to_numpy()
    if duplicated.any():
        cells = _describe_cells(data.loc[duplicated, unit], data.loc[duplicated, time])
        raise PanelShapeError(
            f"several rows share the same ({unit}, {time}): {cells}; "
            "expected one row per unit and period"
        )


def _sorted_axes(frame: pd.DataFrame) -> pd.DataFrame:
    try:
        frame = frame.sort_index(axis=0)
    except TypeError:  # unorderable mixed labels keep their order of appearance
        pass
    try:
        return frame.sort_index(axis=1)
    except TypeError as error:
        raise PanelShapeError(f"periods cannot be ordered: {error}") from error


def _check_balanced(outcome_wide: pd.DataFrame, unit, time) -> None:
    absent = outcome_wide.isna().to_numpy()
    if absent.any():
        rows, cols = np.nonzero(absent)
        cells = _describe_cells(outcome_wide.index[rows], outcome_wide.columns[cols])
        raise PanelShapeError(
            f"unbalanced panel: {int(absent.sum())} ({unit}, {time}) cell(s) have no row: "
            f"{cells}; synthetic DiD needs every unit observed in every period"
        )


def _common_treatment_start(treatment: np.ndarray, units: pd.Index, periods: pd.Index, treated: str) -> int:
    is_treated = treatment.any(axis=1)
    if not is_treated.any():
        raise TreatmentDesignError(f"no treated unit: column {treated!r} is 0 in every row")
    if is_treated.all():
        raise TreatmentDesignError(
            f"no control unit: every unit is treated at some period according to {treated!r}; "
            "synthetic DiD needs never-treated units"
        )
    first = np.argmax(treatment, axis=1)
    # a unit that stays treated once treated has exactly `first` untreated periods
    switched_off = is_treated & ((~treatment).sum(axis=1) > first)
    if switched_off.any():
        rows = np.flatnonzero(switched_off)[:MAX_LISTED]
        listed = ", ".join(f"{units[r]!r} (treated from {periods[first[r]]!r})" for r in rows)
        raise TreatmentDesignError(
            f"treatment switches off for {int(switched_off.sum())} unit(s): {listed}; "
            "expected each treated unit to stay treated until the last period"
        )
    starts = np.unique(first[is_treated])
    if starts.size > 1:
        groups = "; ".join(
            f"from {periods[s]!r}: "
            + ", ".join(repr(u) for u in units[is_treated & (first == s)][:MAX_LISTED])
            for s in starts[:MAX_LISTED]
        )
        raise TreatmentDesignError(
            f"staggered adoption: treated units start in {starts.size} different periods ({groups}); "
            "synthetic DiD needs a block design with one common start (estimate each cohort separately)"
        )
    n_pre = int(starts[0])
    if n_pre == 0:
        raise TreatmentDesignError(
            f"no pre-period: treated units are treated from the first period {periods[0]!r}"
        )
    return n_pre


def _describe_cells(units, periods) -> str:
    pairs = [f"({u!r}, {t!r})" for u, t in zip(list(units)[:MAX_LISTED], list(periods)[:MAX_LISTED])]
    more = len(units) - len(pairs)
    return ", ".join(pairs) + (f" and {more} more" if more > 0 else "")
