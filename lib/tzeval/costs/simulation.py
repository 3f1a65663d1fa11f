"""Monte Carlo of the net public cost, in the manner of the Washington State Institute for Public Policy.

Every uncertain input is drawn many times at once:

* each undated parameter from its low / central / high (triangular by default, or
  PERT), one draw per simulation shared by all territory-years, since a unit cost is
  the same uncertain quantity everywhere;
* each dated rate with one uniform number per simulation applied to all its dates,
  so a rate is high or low throughout (this matters only for rates given a range);
* the deadweight from the published evidence of the territory's phase (one draw per
  simulation per phase), or from a territory's own estimate (normal with its standard
  error, clipped to [0, 1], one draw per simulation per territory), or by resampling
  draws the evaluator supplies (for instance a bootstrap or posterior of the impact).

The territory-years are processed in column blocks so that memory stays bounded
whatever their number.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import config
from .catalogue import CATALOGUE, DEADWEIGHT_BY_PHASE
from .distributions import Shape, quantile
from .inputs import check_cost_inputs
from .model import FUNDING_LINES
from .result import CostResult
from .setup import ModelSetup, build_setup
from .unit_costs import UnitCostTable, load_unit_costs

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = config.DEFAULT_SEED
ELEMENTS_PER_BLOCK = 2**17  # about 1 MB per array at 10,000 draws: stays in cache


def simulate_costs(
    inputs: pd.DataFrame,
    unit_costs: UnitCostTable | None = None,
    *,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    shape: Shape = "triangular",
    include_contested: bool = False,
    deadweight_draws: Mapping[str, np.ndarray] | None = None,
    level: float = 0.95,
) -> CostResult:
    """Simulate the net public cost per FTE-year of every territory-year.

    Parameters
    ----------
    inputs : DataFrame
        Territory-year inputs (see :mod:`tzeval.costs.inputs`), for instance from
        :func:`cost_inputs_from_programme`.
    unit_costs : UnitCostTable, optional
        Defaults to the shipped ``data/raw/unit_costs.csv``.
    n_draws : int
        Monte Carlo draws (at least 1,000; 10,000 by default).
    seed : int
        Seed of the random generator; the same seed gives the same result.
    shape : {"triangular", "pert"}
        Distribution of each parameter between its low and high values.
    include_contested : bool
        Count the contested avoided costs (health, social support). Off by default.
    deadweight_draws : mapping, optional
        Territory id -> draws of that territory's deadweight, resampled with replacement.
    level : float
        Coverage of the reported intervals (percentiles of the draws).

    Returns
    -------
    CostResult
    """
    if int(n_draws) != n_draws or n_draws < 1000:
        raise ValueError(f"n_draws must be a whole number of at least 1,000 (got {n_draws!r})")
    n_draws = int(n_draws)
    checked = check_cost_inputs(inputs)
    table = unit_costs if unit_costs is not None else load_unit_costs()
    setup = build_setup(checked, table, include_contested=include_contested,
                        deadweight_draws=deadweight_draws, level=level)
    rng = np.random.default_rng(seed)
    scalars, rows, deadweight = _draw_parameters(setup, rng, n_draws, shape)
    frame, net_draws, offset_draws, exit_draws = _summarise(setup, scalars, rows, deadweight, level)
    return CostResult(setup=setup, frame=frame, net_cost_draws=net_draws, offset_draws=offset_draws,
                      exit_draws=exit_draws, n_draws=n_draws, seed=seed, shape=shape)


def _draw_parameters(setup: ModelSetup, rng: np.random.Generator, n_draws: int, shape: Shape):
    # one uniform per parameter and draw, taken in catalogue order so results are reproducible
    uniforms = {name: rng.random(n_draws) for name in CATALOGUE}
    # a parameter known exactly stays a (1, 1) array, so lines it alone drives stay small
    scalars = {name: (np.array([[bounds[1]]]) if bounds[0] == bounds[2]
                      else quantile(*bounds, uniforms[name], shape)[:, None])
               for name, bounds in setup.scalar_bounds.items()}
    rows = {}
    for name, bounds in setup.dated_bounds.items():
        if np.all(bounds[0] == bounds[2]):
            # a legal rate known exactly: one row of values serves every draw
            rows[name] = bounds[1][None, :]
        else:
            rows[name] = quantile(*(b[None, :] for b in bounds), uniforms[name][:, None], shape)

    inputs = setup.inputs
    deadweight = np.empty((n_draws, setup.n))
    for phase, name in DEADWEIGHT_BY_PHASE.items():
        columns = (inputs["phase"] == phase).to_numpy()
        deadweight[:, columns] = quantile(*setup.table.triple(name), uniforms[name], shape)[:, None]
    own = inputs["deadweight_estimate"].notna().to_numpy()
    for territory in sorted(inputs.loc[own, "territory_id"].unique()):
        columns = own & (inputs["territory_id"] == territory).to_numpy()
        z = rng.standard_normal(n_draws)[:, None]
        estimate = inputs.loc[columns, "deadweight_estimate"].to_numpy()
        se = inputs.loc[columns, "deadweight_se"].to_numpy()
        deadweight[:, columns] = np.clip(estimate + se * z, 0.0, 1.0)
    for territory in sorted(setup.deadweight_draws):
        columns = (inputs["territory_id"] == territory).to_numpy()
        supplied = setup.deadweight_draws[territory]
        deadweight[:, columns] = supplied[rng.integers(0, supplied.size, n_draws)][:, None]
    return scalars, rows, deadweight


SUMMARY_COLUMNS = (
    "gross_cost_per_fte", *FUNDING_LINES, "ebe_gross_cost", "offsets_gross", "additional_share", "people_per_fte",
    "avoided_cost_per_fte", "avoided_cost_per_fte_low", "avoided_cost_per_fte_high",
    "net_cost_per_fte", "net_cost_per_fte_low", "net_cost_per_fte_high",
    "offset_ratio", "offset_ratio_low", "offset_ratio_high", "prob_offsets_cover_costs",
    "cost_per_additional_exit", "cost_per_additional_exit_low", "cost_per_additional_exit_high",
    "startup_grant_per_fte", "net_cost_with_startup_grant",
)
MEAN_LINES = {"gross_cost_per_fte": "gross_public_cost", "state_cde": "state_cde", "department": "department",
              "other_public": "other_public", "ebe_gross_cost": "ebe_gross_cost", "offsets_gross": "offsets_gross",
              "additional_share": "additional_share", "people_per_fte": "people_per_fte",
              "avoided_cost_per_fte": "offsets", "startup_grant_per_fte": "startup_grant",
              "net_cost_with_startup_grant": "net_cost_with_startup_grant"}


def _summarise(setup: ModelSetup, scalars, rows, deadweight, level: float):
    n_draws = deadweight.shape[0]
    tail = (1.0 - level) / 2.0
    quantiles = [tail, 1.0 - tail]
    net_draws = np.empty((n_draws, setup.n))
    offset_draws = np.empty((n_draws, setup.n))
    exit_draws = np.empty((n_draws, setup.n))
    columns: dict[str, np.ndarray] = {name: np.empty(setup.n) for name in SUMMARY_COLUMNS}
    block = max(1, ELEMENTS_PER_BLOCK // n_draws)
    for start in range(0, setup.n, block):
        part = slice(start, min(start + block, setup.n))
        lines = setup.subset(part).evaluate(scalars, rows, deadweight[:, part], detail=False)
        full = (n_draws, part.stop - part.start)
        gross, offsets, net, share, people = (np.broadcast_to(lines[k], full) for k in (
            "gross_public_cost", "offsets", "net_cost", "additional_share", "people_per_fte"))
        net_draws[:, part] = net
        offset_draws[:, part] = offsets
        for column, line in MEAN_LINES.items():
            columns[column][part] = np.broadcast_to(np.asarray(lines[line]).mean(axis=0), full[1:])
        columns["avoided_cost_per_fte_low"][part], columns["avoided_cost_per_fte_high"][part] = np.quantile(
            offsets, quantiles, axis=0)
        columns["net_cost_per_fte"][part] = net.mean(axis=0)
        columns["net_cost_per_fte_low"][part], columns["net_cost_per_fte_high"][part] = np.quantile(
            net, quantiles, axis=0)
        ratio = offsets / gross
        columns["offset_ratio"][part] = ratio.mean(axis=0)
        columns["offset_ratio_low"][part], columns["offset_ratio_high"][part] = np.quantile(ratio, quantiles, axis=0)
        columns["prob_offsets_cover_costs"][part] = (offsets >= gross).mean(axis=0)
        exits = share * people  # additional people out of long-term joblessness per FTE-year
        exit_draws[:, part] = exits
        with np.errstate(divide="ignore", invalid="ignore"):
            per_exit = np.where(exits > 0, net / np.where(exits > 0, exits, 1.0), np.inf)
        # a ratio of means: total net cost over total additional exits, stable when some
        # draws have almost no additional exit
        columns["cost_per_additional_exit"][part] = net.mean(axis=0) / exits.mean(axis=0)
        columns["cost_per_additional_exit_low"][part], columns["cost_per_additional_exit_high"][part] = (
            np.quantile(per_exit, quantiles, axis=0, method="inverted_cdf"))

    inputs = setup.inputs
    frame = inputs[["territory_id", "year", "phase", "ebe_fte", "net_additional_fte"]].reset_index(drop=True).copy()
    for name, values in columns.items():
        frame[name] = values
    frame["net_cost_total"] = frame["net_cost_per_fte"] * frame["ebe_fte"]
    return frame, net_draws, offset_draws, exit_draws
