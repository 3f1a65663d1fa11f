"""Cost offsets of one territory, or of all, with the deadweight from the published evidence or the territory's estimate.

The default deadweight is the published counterfactual employment rate of the
territory's phase (comité scientifique 2021 and 2025), with its range. A territory's
own estimate of the fall in long-term job seekers gives a second figure, shown beside it
as a check and selectable with ``deadweight="territory"``. That second figure is biased
upward (it overstates the deadweight): the fall in the territory's long-term
*registered* count per EBE employee misses every hire who was never on that register
(many long-term jobless are not registered), and every part-timer who stays registered
in categories B or C, so it counts their jobs as if they would have existed anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .config import DEFAULT_SEED
from .costs import CostResult, cost_inputs_from_programme, simulate_costs
from .costs.inputs import deadweight_from_jobseeker_effect
from .costs.unit_costs import UnitCostTable, load_unit_costs
from .dataset import Dataset
from .periods import MONTHS_PER_PERIOD, Frequency, containing_period
from .placebo_did import PlaceboDidResult
from .territory_effects import people_per_point

N_DRAWS = 10_000
DeadweightSource = Literal["published", "territory"]
DEADWEIGHT_SOURCES: tuple[str, ...] = ("published", "territory")


def own_deadweight(data: Dataset, result: PlaceboDidResult) -> tuple[float, float] | None:
    """Deadweight and its standard error implied by ``result``, or None without headcounts."""
    return deadweight_from_estimate(data, result.unit, result.estimate, result.std_error)


def deadweight_from_estimate(data: Dataset, territory_id: str, estimate: float,
                             std_error: float) -> tuple[float, float] | None:
    """Deadweight implied by an effect on the rate (points per 100 aged 15-64) and its s.e.

    The effect is set against the mean EBE headcount over the same post-habilitation
    outcome periods (from the territory's ``first_period``), the programme and the
    outcomes possibly at different frequencies. See the module docstring for why this
    figure overstates the deadweight.

    Returns
    -------
    (deadweight, standard error) or None
        None without programme rows, without a finite estimate, or when the mean
        headcount over those periods is zero.
    """
    programme = data.programme_for(territory_id)
    if programme.empty or not np.isfinite(estimate) or not np.isfinite(std_error):
        return None
    start = data.territory(territory_id)["first_period"]
    outcomes = data.outcomes
    post = outcomes.loc[(outcomes["territory_id"] == territory_id) & (outcomes["period"] >= start), "period"]
    headcount = headcount_at_periods(programme, pd.DatetimeIndex(post), data.frequency, data.programme_frequency)
    if headcount.empty or headcount.mean() <= 0:
        return None
    people = people_per_point(data, territory_id)
    return deadweight_from_jobseeker_effect(estimate * people, std_error * people, headcount.mean())


def headcount_at_periods(programme: pd.DataFrame, periods: pd.DatetimeIndex, frequency: Frequency,
                         programme_frequency: Frequency) -> pd.Series:
    """One territory's EBE headcount at the end of each outcome period.

    Parameters
    ----------
    programme : DataFrame
        The territory's programme rows (``period``, ``ebe_headcount``), consecutive at
        ``programme_frequency``.
    periods : DatetimeIndex
        Outcome periods (first days) at ``frequency``.
    frequency, programme_frequency
        Frequencies of the outcomes and of the programme table.

    Returns
    -------
    Series
        Indexed by ``periods``: the stock of the programme period that contains the end
        of each outcome period. Before the first programme row the EBE has no one
        (zero, as the effect counts those periods too); after the last row the last
        stock is carried forward, since a table that stops does not mean the EBE closed.
    """
    stocks = programme.set_index("period")["ebe_headcount"].astype(float).sort_index()
    if stocks.empty:
        return pd.Series(0.0, index=periods)
    ends = periods + pd.DateOffset(months=MONTHS_PER_PERIOD[frequency]) - pd.Timedelta(days=1)
    holding = pd.DatetimeIndex(containing_period(pd.Series(ends), programme_frequency))
    # the last programme period starting on or before the one that holds each end
    position = np.searchsorted(stocks.index.to_numpy(), holding.to_numpy(), side="right") - 1
    values = np.where(position >= 0, stocks.to_numpy()[np.clip(position, 0, None)], 0.0)
    return pd.Series(values, index=periods, dtype=float)


def _check_source(deadweight: str) -> None:
    if deadweight not in DEADWEIGHT_SOURCES:
        raise ValueError(f"deadweight must be one of {', '.join(map(repr, DEADWEIGHT_SOURCES))} "
                         f"(got {deadweight!r})")


def territory_costs(data: Dataset, result: PlaceboDidResult, *, deadweight: DeadweightSource = "published",
                    seed: int = DEFAULT_SEED, n_draws: int = N_DRAWS,
                    unit_costs: Path | str | UnitCostTable | None = None) -> CostResult | None:
    """Monte Carlo of one territory's net public cost per FTE-year, every year it employs.

    Parameters
    ----------
    data : Dataset
        FTE-years come from its programme table at ``data.programme_frequency`` (see
        :func:`tzeval.costs.cost_inputs_from_programme`).
    result : PlaceboDidResult
        The territory's impact estimate (used only with ``deadweight="territory"``).
    deadweight : {"published", "territory"}
        ``"published"`` (default): the counterfactual employment rate of the
        territory's phase from the official evaluations. ``"territory"``: the
        deadweight implied by the territory's own estimate (biased upward; see the module
        docstring), falling back on the published one when it cannot be computed.
    seed, n_draws
        Monte Carlo settings.
    unit_costs : path or UnitCostTable, optional
        The evaluator's own unit-cost table (same columns as ``data/raw/unit_costs.csv``);
        by default the shipped one.

    Returns
    -------
    CostResult or None
        None when the territory's EBE has employed no one in the data.
    """
    _check_source(deadweight)
    table = _unit_cost_table(unit_costs)
    programme = data.programme_for(result.unit)
    if programme.empty or not (programme["ebe_fte"].astype(float) > 0).any():
        return None
    impacts = None
    own = own_deadweight(data, result) if deadweight == "territory" else None
    if own is not None:
        impacts = pd.DataFrame({"territory_id": [result.unit], "deadweight_estimate": [own[0]],
                                "deadweight_se": [own[1]]})
    inputs = cost_inputs_from_programme(programme, data.territories.loc[[result.unit]].reset_index(), impacts,
                                        frequency=data.programme_frequency)
    if inputs.empty:
        return None
    return simulate_costs(inputs, table, n_draws=n_draws, seed=seed)


def _unit_cost_table(unit_costs: Path | str | UnitCostTable | None) -> UnitCostTable | None:
    """The table a caller passed, read and checked if given as a path (errors before any simulation)."""
    if unit_costs is None or isinstance(unit_costs, UnitCostTable):
        return unit_costs
    return load_unit_costs(unit_costs)


def net_cost_draws(costs: CostResult, year: int) -> tuple[np.ndarray, tuple[float, float]]:
    """Simulated net public cost per FTE in ``year`` and its percentile interval."""
    selected = (costs.frame["year"] == year).to_numpy()
    fte = costs.frame["ebe_fte"].to_numpy()[selected]
    draws = costs.net_cost_draws[:, selected] @ (fte / fte.sum())
    tail = (1 - costs.level) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return draws, (float(low), float(high))


def national_costs(data: Dataset, effects: pd.DataFrame | None = None, *,
                   deadweight: DeadweightSource = "published", seed: int = DEFAULT_SEED,
                   n_draws: int = N_DRAWS, unit_costs: Path | str | UnitCostTable | None = None) -> CostResult | None:
    """Monte Carlo of every territory-year.

    Parameters
    ----------
    data : Dataset
        FTE-years come from its programme table at ``data.programme_frequency``.
    effects : DataFrame, optional
        The table of :func:`tzeval.territory_effects`, needed only with
        ``deadweight="territory"``; a territory without a usable estimate then falls
        back on the published deadweight of its phase.
    deadweight : {"published", "territory"}
        As in :func:`territory_costs`.
    seed, n_draws
        Monte Carlo settings.
    unit_costs : path or UnitCostTable, optional
        The evaluator's own unit-cost table; by default the shipped one.

    Returns
    -------
    CostResult or None
        None when no EBE has employed anyone in the data (an empty programme table, or
        headcounts all zero): with no FTE-year there is no cost per FTE-year to simulate,
        as for a single territory in :func:`territory_costs`.
    """
    _check_source(deadweight)
    table = _unit_cost_table(unit_costs)
    impacts = None
    if deadweight == "territory":
        if effects is None:
            raise ValueError("deadweight='territory' needs the territory effects table (effects=...)")
        rows = []
        for row in effects.itertuples():
            own = deadweight_from_estimate(data, row.territory_id, row.estimate, row.std_error)
            if own is not None:
                rows.append((row.territory_id, *own))
        impacts = pd.DataFrame(rows, columns=["territory_id", "deadweight_estimate", "deadweight_se"])
    inputs = cost_inputs_from_programme(data.programme, data.territories.reset_index(), impacts,
                                        frequency=data.programme_frequency)
    if inputs.empty:
        return None
    return simulate_costs(inputs, table, n_draws=n_draws, seed=seed)
