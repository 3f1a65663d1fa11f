"""tzeval: a territorial impact evaluation workbook.

The main entry points:

- :func:`open_dataset` / :func:`load_dataset` read and validate an evaluator's data folder;
- :func:`territory_effect` estimates one territory's impact, :func:`territory_effects` all;
- :func:`placebo_did` is the underlying estimator for any panel with one treated unit;
- :func:`att_gt` estimates Callaway & Sant'Anna group-time effects under staggered adoption.
"""

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
from .pooled import pooled_effects, yearly_panel
from .processed import open_dataset
from .territory_effects import territory_effect, territory_effects
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
    "yearly_panel",
    "territory_effect",
    "territory_effects",
]
