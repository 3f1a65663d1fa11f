"""tzeval: a territorial impact evaluation workbook.

The main entry points:

- :func:`open_dataset` / :func:`load_dataset` read and validate an evaluator's data folder;
- :func:`territory_effect` estimates one territory's impact, :func:`territory_effects` all;
- :func:`placebo_did` is the underlying estimator for any panel with one treated unit;
- :func:`att_gt` estimates Callaway & Sant'Anna group-time effects under staggered adoption;
- :func:`synthetic_control` is Abadie-Diamond-Hainmueller synthetic control with placebo
  and conformal inference;
- :func:`synthetic_did` is synthetic difference-in-differences (Arkhangelsky et al. 2021);
- :func:`event_study`, :func:`wild_cluster_bootstrap` and :func:`honest_did` cover
  regression event studies with few clusters and parallel-trends sensitivity;
- :mod:`tzeval.costs` is the cost model under uncertainty (:func:`simulate_costs`).
"""

from . import costs, coverage, robustness, scale_gap, territory_checks, territory_costs
from .costs import (
    CostInputError,
    CostResult,
    MissingRateError,
    UnitCostTableError,
    cost_inputs_from_programme,
    load_unit_costs,
    simulate_costs,
)
from .dataset import Dataset, UnknownTerritoryError, load_dataset
from .fewclusters import (
    ClusteredRegressionResult,
    EventStudyResult,
    FewClustersWarning,
    RegressionInputError,
    TwfeDidResult,
    WildBootstrapResult,
    bootstrap_t_statistics,
    event_study,
    twfe_did,
    wild_cluster_bootstrap,
)
from .placebo_did import EstimationError, PlaceboDidResult, placebo_did
from .pooled import pooled_effects, pooled_sensitivity, yearly_panel
from .processed import open_dataset
from .synth import SyntheticControlInputError, SyntheticControlResult, synthetic_control
from .territory_effects import territory_effect, territory_effects
from .sdid import (
    PanelShapeError,
    SyntheticDiDError,
    SyntheticDiDResult,
    TreatmentDesignError,
    VarianceMethodError,
    synthetic_did,
)
from .sensitivity import HonestDidResult, SensitivityInputError, honest_did, honest_did_from
from .staggered import (
    AggregatedATT,
    GroupTimeATT,
    OverallEffect,
    OverlapError,
    PreTrendTest,
    SingularDesignError,
    StaggeredInputError,
    att_gt,
)
from .validation import DataValidationError, Violation

from ._version import __version__  # noqa: E402

__all__ = [
    "SyntheticControlInputError",
    "SyntheticControlResult",
    "synthetic_control",
    "CostInputError",
    "CostResult",
    "MissingRateError",
    "PanelShapeError",
    "SyntheticDiDError",
    "SyntheticDiDResult",
    "TreatmentDesignError",
    "UnitCostTableError",
    "VarianceMethodError",
    "cost_inputs_from_programme",
    "costs",
    "coverage",
    "scale_gap",
    "robustness",
    "territory_checks",
    "territory_costs",
    "load_unit_costs",
    "simulate_costs",
    "synthetic_did",
    "ClusteredRegressionResult",
    "EventStudyResult",
    "FewClustersWarning",
    "HonestDidResult",
    "RegressionInputError",
    "SensitivityInputError",
    "TwfeDidResult",
    "WildBootstrapResult",
    "bootstrap_t_statistics",
    "event_study",
    "honest_did",
    "honest_did_from",
    "twfe_did",
    "wild_cluster_bootstrap",
    "AggregatedATT",
    "GroupTimeATT",
    "OverallEffect",
    "OverlapError",
    "PreTrendTest",
    "SingularDesignError",
    "StaggeredInputError",
    "att_gt",
    "DataValidationError",
    "Dataset",
    "EstimationError",
    "PlaceboDidResult",
    "UnknownTerritoryError",
    "Violation",
    "load_dataset",
    "open_dataset",
    "placebo_did",
    "pooled_effects",
    "pooled_sensitivity",
    "yearly_panel",
    "territory_effect",
    "territory_effects",
]
