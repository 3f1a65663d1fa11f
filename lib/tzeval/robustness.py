"""A second opinion on one territory's effect: synthetic difference-in-differences.

The report's estimator assumes the territory would have followed the average comparison
territory, shifted to its own level. Synthetic DiD (Arkhangelsky et al. 2021) instead
weights comparison territories and pre-adoption months to match the territory's own
path, so it stays sound when trends differ. When the two agree, the finding does not
hinge on the parallel-trends assumption; when they do not, the report says so.
"""

from __future__ import annotations

import numpy as np

from .dataset import OUTCOME_RATE, Dataset
from .sdid import SyntheticDiDResult, synthetic_did

DEFAULT_REPLICATIONS = 100


def sdid_check(data: Dataset, territory_id: str, *, alpha: float = 0.05, n_reps: int = DEFAULT_REPLICATIONS,
               seed: int | None = None) -> SyntheticDiDResult:
    """Synthetic DiD of one territory against the never-treated territories.

    With a single treated territory the standard error comes from placebo replications
    (``n_reps`` of them) and the interval is a pointwise normal interval.
    """
    territory = data.territory(territory_id)
    panel = data.outcomes[data.outcomes["territory_id"].isin([territory_id, *data.comparison_ids])]
    panel = panel[["territory_id", "period", OUTCOME_RATE]].copy()
    panel["treated"] = ((panel["territory_id"] == territory_id)
                        & (panel["period"] >= territory["adoption_date"])).astype(int)
    return synthetic_did(panel, "territory_id", "period", OUTCOME_RATE, "treated", method="sdid",
                         se_method="placebo", n_reps=n_reps, alpha=alpha, seed=seed)


def methods_agree(estimate: float, conf_low: float, conf_high: float, check: SyntheticDiDResult) -> bool:
    """True when each estimate lies inside the other method's interval."""
    row = check.to_frame().iloc[0]
    return bool(conf_low <= row["estimate"] <= conf_high and row["conf_low"] <= estimate <= row["conf_high"]
                and np.isfinite(row["std_error"]))
