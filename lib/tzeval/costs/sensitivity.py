"""Deterministic analyses around the central case: one-way sensitivity, break-even, waterfall.

All hold every parameter at its central value except the one examined, and average
territory-years weighted by their FTE-years when several are selected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import CATALOGUE
from .model import CONTESTED_OFFSET_LINES, LINE_LABELS, OFFSET_LINES
from .setup import DEADWEIGHT, ModelSetup

BISECTION_STEPS = 60
AMOUNT_SEARCH_CEILING = 1e6
"""Largest amount (EUR) the break-even search tries: far above any plausible unit cost."""
DEADWEIGHT_LABEL = "Deadweight (share of hires who would have worked anyway)"


def tornado_table(setup: ModelSetup, selected: np.ndarray) -> pd.DataFrame:
    """Net cost per FTE with each parameter at its low and at its high value.

    Parameters
    ----------
    setup : ModelSetup
    selected : ndarray of bool
        The territory-years to average (FTE-weighted).

    Returns
    -------
    DataFrame
        ``parameter, label, low_value, central_value, high_value, net_cost_at_low,
        net_cost_at_high, net_cost_central, swing``, largest swing first. Dated rates
        move all their rows together and show the bounds of their widest row.
    """
    names = setup.varied_parameters()
    batch = 1 + 2 * len(names)
    scalars, rows, deadweight = setup.values_at("central")
    scalars = {k: np.repeat(v, batch, axis=0) for k, v in scalars.items()}
    rows = {k: np.repeat(v, batch, axis=0) for k, v in rows.items()}
    deadweight = np.repeat(deadweight, batch, axis=0)
    shown = []
    weights = _weights(setup, selected)
    for k, name in enumerate(names):
        low_row, high_row = 1 + 2 * k, 2 + 2 * k
        if name == DEADWEIGHT:
            deadweight[low_row] = setup.deadweight_bounds[0]
            deadweight[high_row] = setup.deadweight_bounds[2]
            shown.append([setup.deadweight_bounds[i][selected] @ weights for i in range(3)])
        elif name in setup.dated_bounds:
            rows[name][low_row] = setup.dated_bounds[name][0]
            rows[name][high_row] = setup.dated_bounds[name][2]
            bounds = setup.dated_bounds[name]
            shown.append(list(bounds[:, np.argmax(bounds[2] - bounds[0])]))
        else:
            scalars[name][low_row] = setup.scalar_bounds[name][0]
            scalars[name][high_row] = setup.scalar_bounds[name][2]
            shown.append(list(setup.scalar_bounds[name]))
    net = setup.evaluate(scalars, rows, deadweight)["net_cost"][:, selected] @ weights
    shown = np.array(shown).reshape(len(names), 3)
    table = pd.DataFrame({
        "parameter": names,
        "label": [DEADWEIGHT_LABEL if n == DEADWEIGHT else CATALOGUE[n].label for n in names],
        "low_value": shown[:, 0], "central_value": shown[:, 1], "high_value": shown[:, 2],
        "net_cost_at_low": net[1::2], "net_cost_at_high": net[2::2],
    })
    table["net_cost_central"] = net[0]
    table["swing"] = (table["net_cost_at_high"] - table["net_cost_at_low"]).abs()
    return table.sort_values("swing", ascending=False, ignore_index=True)


def break_even_table(setup: ModelSetup, parameter: str = DEADWEIGHT,
                     bounds: tuple[float, float] | None = None) -> pd.DataFrame:
    """Value of one parameter at which offsets exactly cover the gross public cost.

    Every other parameter stays at its central value. The search is a bisection within
    ``bounds`` (by default [0, 1] for shares and the deadweight, [0, 1,000,000] for
    amounts in euros, [0, 10 x high] for other ratios); ``break_even`` is NaN and
    ``reachable`` False where the net cost keeps the same sign over the whole interval.
    """
    if parameter != DEADWEIGHT and (parameter not in setup.scalar_bounds):
        raise ValueError(f"break-even is computed for the deadweight or an undated parameter of the table; "
                         f"got {parameter!r}")
    if bounds is None:
        if parameter == DEADWEIGHT:
            bounds = (0.0, 1.0)
        else:
            spec = CATALOGUE[parameter]
            if spec.upper_bound is not None:
                bounds = (0.0, spec.upper_bound)
            elif spec.unit.startswith("EUR"):
                bounds = (0.0, AMOUNT_SEARCH_CEILING)
            else:
                bounds = (0.0, 10.0 * max(setup.scalar_bounds[parameter][2], 1.0))
    lower, upper = (float(b) for b in bounds)
    if not lower < upper:
        raise ValueError(f"break-even bounds must satisfy lower < upper (got {bounds!r})")
    scalars, rows, deadweight = setup.values_at("central")

    def net_cost(values: np.ndarray) -> np.ndarray:
        if parameter == DEADWEIGHT:
            return setup.evaluate(scalars, rows, values[None, :])["net_cost"][0]
        varied = dict(scalars, **{parameter: values[None, :]})
        return setup.evaluate(varied, rows, deadweight)["net_cost"][0]

    low = np.full(setup.n, lower)
    high = np.full(setup.n, upper)
    net_low, net_high = net_cost(low), net_cost(high)
    reachable = np.sign(net_low) != np.sign(net_high)
    reachable |= (net_low == 0) | (net_high == 0)
    sign_at_lower = np.sign(net_low)
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2.0
        same_side = np.sign(net_cost(middle)) == sign_at_lower
        low = np.where(same_side, middle, low)
        high = np.where(same_side, high, middle)
    central = (setup.deadweight_bounds[1] if parameter == DEADWEIGHT
               else np.full(setup.n, setup.scalar_bounds[parameter][1]))
    frame = setup.inputs[["territory_id", "year"]].reset_index(drop=True).copy()
    frame["parameter"] = parameter
    frame["central_value"] = central
    frame["break_even"] = np.where(reachable, (low + high) / 2.0, np.nan)
    frame["reachable"] = reachable
    frame["net_cost_at_lower_bound"] = net_low
    frame["net_cost_at_upper_bound"] = net_high
    return frame


def waterfall_table(setup: ModelSetup, selected: np.ndarray) -> pd.DataFrame:
    """Steps from the EBE's gross cost to the net public cost, then the start-up grant on top, per FTE-year.

    Central values. Offset lines are gross (before deadweight); one step then takes
    deadweight, displacement and drop-off off their sum.

    ``measure`` is ``"relative"`` for a change and ``"total"`` for a subtotal; ``amount``
    is the signed change (or the subtotal's value).
    """
    central = setup.evaluate_central()
    weights = _weights(setup, selected)

    def value(name: str) -> float:
        return float(central[name][selected] @ weights)

    offset_lines = OFFSET_LINES + (CONTESTED_OFFSET_LINES if setup.include_contested else ())
    steps = [
        ("wages", "relative", value("wages")),
        ("employer_contributions", "relative", value("employer_contributions")),
        ("supervision_operating", "relative", value("supervision_operating")),
        ("turnover", "relative", -value("turnover")),
        ("ebe_gross_cost", "total", value("ebe_gross_cost")),
        ("non_public_funding", "relative", -value("non_public_funding")),
        ("gross_public_cost", "total", value("gross_public_cost")),
    ]
    steps += [(name, "relative", -value(name)) for name in offset_lines]
    steps.append(("additionality_adjustment", "relative", value("offsets_gross") - value("offsets")))
    steps.append(("net_cost", "total", value("net_cost")))
    # the start-up grant comes on top of the net running cost, as the comité reports it
    steps.append(("startup_grant", "relative", value("startup_grant")))
    steps.append(("net_cost_with_startup_grant", "total", value("net_cost_with_startup_grant")))
    return pd.DataFrame({
        "step": [s[0] for s in steps],
        "label": [LINE_LABELS[s[0]] for s in steps],
        "measure": [s[1] for s in steps],
        "amount": [s[2] for s in steps],
    })


def _weights(setup: ModelSetup, selected: np.ndarray) -> np.ndarray:
    fte = setup.inputs["ebe_fte"].to_numpy()[selected]
    return fte / fte.sum()
