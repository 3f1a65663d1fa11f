"""Cost model under uncertainty: what an EBE job costs the public purse, net of what it saves.

Typical use::

    from tzeval import costs, demo
    data = demo.generate()
    inputs = costs.cost_inputs_from_programme(data.programme, data.territories)
    result = costs.simulate_costs(inputs)          # 10,000 draws, data/raw/unit_costs.csv
    result.to_frame()                              # one row per territory-year
    result.plot_waterfall(); result.plot_tornado(); result.plot_distribution()
"""

from .catalogue import CATALOGUE, ParameterSpec
from .distributions import expected_value, quantile
from .errors import CostDataError, CostInputError, MissingRateError, UnitCostTableError
from .inputs import check_cost_inputs, cost_inputs_from_programme, deadweight_from_jobseeker_effect
from .result import CostResult, SelectionError
from .simulation import simulate_costs
from .unit_costs import DEFAULT_UNIT_COSTS, UnitCostTable, load_unit_costs, unit_costs_from_frame

__all__ = [
    "CATALOGUE", "CostDataError", "CostInputError", "CostResult", "DEFAULT_UNIT_COSTS", "MissingRateError",
    "ParameterSpec", "SelectionError", "UnitCostTable", "UnitCostTableError", "check_cost_inputs",
    "cost_inputs_from_programme", "deadweight_from_jobseeker_effect", "expected_value", "load_unit_costs",
    "quantile", "simulate_costs", "unit_costs_from_frame",
]
