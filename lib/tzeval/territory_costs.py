"""Cost offsets of one territory, using its own impact estimate for the deadweight.

The per-territory estimate says by how many people the long-term job-seeker count fell
because of the programme. Divided by the EBE's headcount over the same months, that is
the share of EBE jobs that took someone out of long-term unemployment who would
otherwise have stayed there: one minus the deadweight. Its sampling uncertainty enters
the Monte Carlo through the estimate's standard error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .costs import CostResult, cost_inputs_from_programme, simulate_costs
from .costs.inputs import deadweight_from_jobseeker_effect
from .dataset import Dataset
from .placebo_did import PlaceboDidResult
from .territory_effects import people_per_point

N_DRAWS = 10_000


def own_deadweight(data: Dataset, result: PlaceboDidResult) -> tuple[float, float] | None:
    """Deadweight and its standard error implied by ``result``, or None without headcounts."""
    return deadweight_from_estimate(data, result.unit, result.estimate, result.std_error)


def deadweight_from_estimate(data: Dataset, territory_id: str, estimate: float,
                             std_error: float) -> tuple[float, float] | None:
    """Deadweight implied by an effect on the rate (points per 100 aged 15-64) and its s.e."""
    start = data.territory(territory_id)["adoption_date"]
    programme = data.programme_for(territory_id)
    post = data.outcomes[(data.outcomes["territory_id"] == territory_id) & (data.outcomes["period"] >= start)]
    if programme.empty or not np.isfinite(estimate) or not np.isfinite(std_error):
        return None
    # Months before the EBE's first recorded month count as zero headcount, like the effect.
    headcount = programme.set_index("period")["ebe_headcount"].astype(float).reindex(post["period"]).fillna(0.0)
    if headcount.mean() <= 0:
        return None
    people = people_per_point(data, territory_id)
    return deadweight_from_jobseeker_effect(estimate * people, std_error * people, headcount.mean())


def territory_costs(data: Dataset, result: PlaceboDidResult, *, seed: int = 20170101,
                    n_draws: int = N_DRAWS) -> CostResult | None:
    """Monte Carlo of one territory's net public cost per FTE-year, every year it employs.

    Returns None when the territory's EBE has employed no one in the data.
    """
    programme = data.programme_for(result.unit)
    if programme.empty or not (programme["ebe_fte"].astype(float) > 0).any():
        return None
    impacts = None
    deadweight = own_deadweight(data, result)
    if deadweight is not None:
        impacts = pd.DataFrame({"territory_id": [result.unit], "deadweight_estimate": [deadweight[0]],
                                "deadweight_se": [deadweight[1]]})
    inputs = cost_inputs_from_programme(programme, data.territories.loc[[result.unit]].reset_index(), impacts)
    if inputs.empty:
        return None
    return simulate_costs(inputs, n_draws=n_draws, seed=seed)


def net_cost_draws(costs: CostResult, year: int) -> tuple[np.ndarray, tuple[float, float]]:
    """Simulated net public cost per FTE in ``year`` and its percentile interval."""
    selected = (costs.to_frame()["year"] == year).to_numpy()
    fte = costs.to_frame()["ebe_fte"].to_numpy()[selected]
    draws = costs.net_cost_draws[:, selected] @ (fte / fte.sum())
    tail = (1 - costs.level) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return draws, (float(low), float(high))


def national_costs(data: Dataset, effects: pd.DataFrame, *, seed: int = 20170101,
                   n_draws: int = N_DRAWS) -> CostResult:
    """Monte Carlo of every territory-year, each territory with its own deadweight.

    ``effects`` is the table of :func:`tzeval.territory_effects`; a territory without a
    usable estimate falls back on the published deadweight of its phase.
    """
    rows = []
    for row in effects.itertuples():
        deadweight = deadweight_from_estimate(data, row.territory_id, row.estimate, row.std_error)
        if deadweight is not None:
            rows.append((row.territory_id, *deadweight))
    impacts = pd.DataFrame(rows, columns=["territory_id", "deadweight_estimate", "deadweight_se"])
    inputs = cost_inputs_from_programme(data.programme, data.territories.reset_index(), impacts)
    return simulate_costs(inputs, n_draws=n_draws, seed=seed)
