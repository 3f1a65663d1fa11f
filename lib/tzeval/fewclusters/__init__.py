"""Two-way fixed-effects regressions with inference that holds with few clusters.

CR1 cluster-robust standard errors with t(G-1) references, and the wild cluster
bootstrap-t (restricted or unrestricted, Rademacher or Webb weights, full enumeration
when G is small).
"""

from .errors import FewClustersWarning, RegressionInputError
from .estimators import event_study, twfe_did
from .regression_result import ClusteredRegressionResult, EventStudyResult, TwfeDidResult
from .wild_bootstrap import WildBootstrapResult, bootstrap_t_statistics, wild_cluster_bootstrap

__all__ = [
    "ClusteredRegressionResult",
    "EventStudyResult",
    "FewClustersWarning",
    "RegressionInputError",
    "TwfeDidResult",
    "WildBootstrapResult",
    "bootstrap_t_statistics",
    "event_study",
    "twfe_did",
    "wild_cluster_bootstrap",
]
