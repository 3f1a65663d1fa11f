"""Binding a unit-cost table to the territory-years: month grid, rates in force, deadweight bounds.

:class:`ModelSetup` is what the simulation, the central case, the tornado and the
break-even search share: it turns "parameter at its low / central / high value" into
the arrays :func:`tzeval.costs.model.evaluate` takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..validation import Violation
from .catalogue import CONTESTED_PARAMETERS, DEADWEIGHT_BY_PHASE, RATE_PARAMETERS, SCALAR_PARAMETERS
from .errors import CostInputError
from .model import ModelContext, evaluate
from .unit_costs import UnitCostTable

BOUND_INDEX = {"low": 0, "central": 1, "high": 2}
DEADWEIGHT = "deadweight"
"""Name of the deadweight in sensitivity and break-even tables (by phase or per territory)."""


@dataclass(frozen=True, eq=False)
class ModelSetup:
    """Checked inputs and unit costs, arranged for vectorised evaluation.

    Attributes
    ----------
    inputs : DataFrame
        Output of :func:`tzeval.costs.check_cost_inputs`.
    table : UnitCostTable
    context : ModelContext
    month_weights : ndarray, shape (n_months, n)
        Weight of each month of the grid in each territory-year (columns sum to 1).
    row_weights : dict
        For each dated parameter, the weight of each of its rows in each territory-year,
        shape ``(n_rows, n)``: averaging a rate is then a small matrix product.
    months : DatetimeIndex
        The month grid the dated rates are laid on.
    row_index : dict
        For each dated parameter, the table row in force in each month of the grid.
    dated_bounds : dict
        For each dated parameter, its rows' low/central/high, shape ``(3, n_rows)``.
    scalar_bounds : dict
        For each undated parameter, ``[low, central, high]``.
    deadweight_bounds : ndarray, shape (3, n)
        Low/central/high deadweight of each territory-year.
    deadweight_draws : dict
        Territory id -> user-supplied deadweight draws.
    include_contested : bool
    level : float
    price_index : dict
        Consumer price index of each year of the inputs (for constant euros).
    """

    inputs: pd.DataFrame
    table: UnitCostTable
    context: ModelContext
    month_weights: np.ndarray
    row_weights: dict[str, np.ndarray]
    months: pd.DatetimeIndex
    row_index: dict[str, np.ndarray]
    dated_bounds: dict[str, np.ndarray]
    scalar_bounds: dict[str, np.ndarray]
    deadweight_bounds: np.ndarray
    deadweight_draws: dict[str, np.ndarray]
    include_contested: bool
    level: float
    price_index: dict[int, float]

    @property
    def n(self) -> int:
        return len(self.inputs)

    def subset(self, part: slice) -> ModelSetup:
        """The same setup restricted to a block of territory-years."""
        return replace(self, inputs=self.inputs.iloc[part], context=self.context.subset(part),
                       month_weights=self.month_weights[:, part],
                       row_weights={name: w[:, part] for name, w in self.row_weights.items()},
                       deadweight_bounds=self.deadweight_bounds[:, part])

    def evaluate(self, scalars, rows, deadweight, detail: bool = True) -> dict[str, np.ndarray]:
        """Evaluate the model; ``rows`` holds each dated parameter's row values ``(batch, n_rows)``."""
        rates = {name: rows[name] @ self.row_weights[name] for name in RATE_PARAMETERS}
        cde, smic = rows["cde_rate"], rows["smic_hourly_gross"]
        # the CDE is paid month by month at that month's rate on that month's SMIC
        cde_monthly = cde[:, self.row_index["cde_rate"]] * smic[:, self.row_index["smic_hourly_gross"]]
        rates["cde_hourly"] = cde_monthly @ self.month_weights
        return evaluate(scalars, rates, deadweight, self.context, self.include_contested, detail)

    def values_at(self, bound: str = "central") -> tuple[dict, dict, np.ndarray]:
        """Every parameter at one bound (``"low"``, ``"central"`` or ``"high"``), batch of one."""
        i = BOUND_INDEX[bound]
        scalars = {name: np.array([[b[i]]]) for name, b in self.scalar_bounds.items()}
        rows = {name: b[i][None, :] for name, b in self.dated_bounds.items()}
        return scalars, rows, self.deadweight_bounds[i][None, :]

    def evaluate_central(self) -> dict[str, np.ndarray]:
        """Every cost line at the central values, shape ``(n,)``."""
        return {name: values[0] for name, values in self.evaluate(*self.values_at("central")).items()}

    def varied_parameters(self) -> list[str]:
        """Parameters with a range (low < high) that the model uses, plus the deadweight."""
        names = [name for name in RATE_PARAMETERS if np.any(self.dated_bounds[name][2] > self.dated_bounds[name][0])]
        # the FTE-per-employee parameter only stands in for headcounts the data lack
        unused = set() if self.include_contested else set(CONTESTED_PARAMETERS)
        if np.all(np.isfinite(self.context.people_per_fte)):
            unused.add("fte_per_employee")
        names += [name for name, b in self.scalar_bounds.items() if b[2] > b[0] and name not in unused]
        if np.any(self.deadweight_bounds[2] > self.deadweight_bounds[0]):
            names.append(DEADWEIGHT)
        return names


def build_setup(
    inputs: pd.DataFrame,
    table: UnitCostTable,
    *,
    include_contested: bool = False,
    deadweight_draws: Mapping[str, np.ndarray] | None = None,
    level: float = 0.95,
) -> ModelSetup:
    """Lay the table's rates on the months the inputs cover and fix each bound.

    Raises
    ------
    MissingRateError
        If a dated rate has no row in force in a month some territory-year needs.
    CostInputError
        If supplied deadweight draws are empty, outside [0, 1] or name unknown territories.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level!r})")
    years = inputs["year"].to_numpy()
    months = pd.date_range(f"{years.min()}-01-01", f"{years.max()}-12-01", freq="MS")
    month_year = months.year.to_numpy()[:, None]
    month_number = months.month.to_numpy()[:, None]
    active = ((month_year == years[None, :])
              & (month_number >= inputs["start_month"].to_numpy()[None, :])
              & (month_number <= inputs["end_month"].to_numpy()[None, :]))
    weights = active / active.sum(axis=0, keepdims=True)
    needed = active.any(axis=1)

    row_index, dated_bounds = {}, {}
    for name in RATE_PARAMETERS:
        index = np.zeros(len(months), dtype=int)
        index[needed] = table.rows_in_force(name, months[needed])
        row_index[name] = index
        dated_bounds[name] = table.dated_rows(name)[["low", "central", "high"]].to_numpy(dtype=float).T
    scalar_bounds = {name: table.triple(name) for name in SCALAR_PARAMETERS if name not in DEADWEIGHT_BY_PHASE.values()}

    draws = _checked_draws(deadweight_draws or {}, set(inputs["territory_id"]))
    bounds = _deadweight_bounds(inputs, table, draws, level)
    row_weights = {name: np.eye(dated_bounds[name].shape[1])[row_index[name]].T @ weights
                   for name in RATE_PARAMETERS}
    fte = inputs["ebe_fte"].to_numpy(dtype=float)
    context = ModelContext(
        net_additional_fte_per_fte=inputs["net_additional_fte"].to_numpy(dtype=float) / fte,
        people_per_fte=inputs["ebe_headcount"].to_numpy(dtype=float) / fte,
        tenure_weights=tenure_weights(inputs),
    )
    prices = table.price_index(sorted(set(int(y) for y in years)))
    return ModelSetup(inputs, table, context, weights, row_weights, months, row_index, dated_bounds, scalar_bounds,
                      bounds, draws, include_contested, level, prices)


def tenure_weights(inputs: pd.DataFrame) -> np.ndarray:
    """Share of each territory-year's hires by full years of tenure, shape ``(n_tenures, n)``.

    Hires are grouped into yearly cohorts by the net additional FTE at 31 December; the
    cohorts of a territory's earlier years in the table, and the year's own, make up its
    workforce. Exits are taken as spread over cohorts in proportion to their size.
    """
    years = inputs["year"].to_numpy(dtype=int)
    ids = inputs["territory_id"].to_numpy()
    additions = inputs["net_additional_fte"].to_numpy(dtype=float)
    year_end = inputs["year_end_fte"].to_numpy(dtype=float)
    first = pd.Series(years).groupby(ids).transform("min").to_numpy()
    n_tenures = int((years - first).max()) + 1
    weights = np.zeros((n_tenures, len(inputs)))
    for territory in np.unique(ids):
        rows = np.flatnonzero(ids == territory)
        cohorts: dict[int, float] = {}
        for row in rows[np.argsort(years[rows], kind="stable")]:
            staff = sum(cohorts.values())
            if staff > year_end[row]:
                # the year-end FTE fell: every earlier cohort shrinks in proportion, for good
                cohorts = {year: size * year_end[row] / staff for year, size in cohorts.items()}
            cohorts[years[row]] = additions[row]
            for year, size in cohorts.items():
                weights[years[row] - year, row] = size
    totals = weights.sum(axis=0)
    # a territory-year whose year-end FTE never rose: all its staff counted as new hires
    weights[0, totals == 0] = 1.0
    return weights / np.where(totals == 0, 1.0, totals)


def _checked_draws(draws: Mapping[str, np.ndarray], known: set[str]) -> dict[str, np.ndarray]:
    checked, violations = {}, []
    for territory, values in draws.items():
        values = np.asarray(values, dtype=float).ravel()
        if territory not in known:
            violations.append(Violation("deadweight_draws", None, "territory_id", territory,
                                        "draws given for a territory that is not in the inputs"))
        elif values.size == 0 or not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
            violations.append(Violation("deadweight_draws", None, territory, None,
                                        "deadweight draws must be a non-empty set of shares between 0 and 1"))
        else:
            checked[territory] = values
    if violations:
        raise CostInputError("deadweight_draws", violations)
    return checked


def _deadweight_bounds(inputs: pd.DataFrame, table: UnitCostTable, draws: dict[str, np.ndarray],
                       level: float) -> np.ndarray:
    """Low / central / high deadweight per territory-year, by the evidence that applies.

    The published evidence for the phase gives its table range; a territory's own
    estimate gives ``estimate -/+ z se`` (clipped to [0, 1]); supplied draws give their
    mean and the ``level`` percentile interval.
    """
    by_phase = {phase: table.triple(name) for phase, name in DEADWEIGHT_BY_PHASE.items()}
    phase_bounds = np.stack([by_phase[p] for p in inputs["phase"]], axis=1)
    estimate = inputs["deadweight_estimate"].to_numpy(dtype=float)
    se = inputs["deadweight_se"].to_numpy(dtype=float)
    z = norm.ppf(0.5 + level / 2)
    own = np.stack([np.clip(estimate - z * se, 0, 1), estimate, np.clip(estimate + z * se, 0, 1)])
    bounds = np.where(np.isfinite(estimate)[None, :], own, phase_bounds)
    tail = (1 - level) / 2
    for territory, values in draws.items():
        columns = (inputs["territory_id"] == territory).to_numpy()
        summary = [np.quantile(values, tail), values.mean(), np.quantile(values, 1 - tail)]
        bounds[:, columns] = np.array(summary)[:, None]
    return bounds


def deadweight_source(setup: ModelSetup) -> np.ndarray:
    """For each territory-year, where its deadweight comes from (for tables and summaries)."""
    source = np.where(setup.inputs["deadweight_estimate"].notna(), "territory estimate",
                      "published evidence, phase " + setup.inputs["phase"].astype(str))
    drawn = setup.inputs["territory_id"].isin(list(setup.deadweight_draws)).to_numpy()
    return np.where(drawn, "territory draws", source)


__all__ = ["DEADWEIGHT", "ModelSetup", "build_setup", "deadweight_source"]
