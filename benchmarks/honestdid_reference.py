"""Reference intervals for tzeval.honest_did from a peer port of R HonestDiD (moderndid).

Two steps, in two environments, so that the project never depends on the peer:

1. ``.venv/bin/python benchmarks/honestdid_reference.py inputs`` (project venv) writes the
   cases' coefficients, covariances and targets to ``tests/data/honestdid/<case>_inputs.csv``
   (the mpdta event study is estimated with tzeval exactly as the test fixture does).
2. ``/tmp/hd-peer/bin/python benchmarks/honestdid_reference.py peer`` (a scratch venv with
   ``pip install moderndid``) reads them and writes the peer's intervals to
   ``tests/data/honestdid/<case>_peer.csv``.

The tests read only the CSV files. See tests/data/honestdid/README.md for attribution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "honestdid"
MBAR = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0]
METHODS = ["C-LF", "Conditional"]

# Benzarti & Carloni (2019, AEJ: Economic Policy) event study shipped with R HonestDiD as
# BCdata_EventStudy (4 pre-periods, 4 post-periods), as exported from R in
# tkragholm/did_methods tests/honest_did_ref.json (commit 3c77a9a0f99b3f2d2cb8d2a53c8df395e60a74f5).
BC_BETAHAT = [0.006696351803839207, 0.02934503369033337, -0.006472972221672535,
              0.0730149894952774, 0.1959611177444458, 0.3120639026165009,
              0.2395415455102921, 0.1260425001382828]
BC_SIGMA = [
    [0.0008428358123637736, 0.0004768686776515096, 0.0002618051075842232, 0.000235422034165822,
     0.0001676371466601267, 0.0001128707663156092, 1.992816214624327e-05, -0.0001368265366181731],
    [0.0004768686776515096, 0.0006425420287996531, 0.000398742500692606, 0.00024355151981581,
     0.0002201960305683315, 0.0001804591156542301, 3.843765080091543e-05, -2.960421988973394e-05],
    [0.0002618051075842232, 0.000398742500692606, 0.000522994960192591, 0.0002117686090059578,
     0.0001840722252381966, 0.0001458527840441093, 7.005197403486818e-05, 5.952994979452342e-05],
    [0.000235422034165822, 0.00024355151981581, 0.0002117686090059578, 0.0003089595411438495,
     0.0001197866076836362, 0.0001334081316599622, 0.000101633500889875, 0.0001079051726264879],
    [0.0001676371466601267, 0.0002201960305683315, 0.0001840722252381966, 0.0001197866076836362,
     0.0003599704359658062, 0.0002478818641975522, 0.0001749579241732135, 0.0001654256921028718],
    [0.0001128707663156092, 0.0001804591156542301, 0.0001458527840441093, 0.0001334081316599622,
     0.0002478818641975522, 0.0004263949813321233, 0.0002171437809010968, 0.0002892747870646417],
    [1.992816214624327e-05, 3.843765080091543e-05, 7.005197403486818e-05, 0.000101633500889875,
     0.0001749579241732135, 0.0002171437809010968, 0.0004886697861365974, 0.0003805322048719972],
    [-0.0001368265366181731, -2.960421988973394e-05, 5.952994979452342e-05, 0.0001079051726264879,
     0.0001654256921028718, 0.0002892747870646417, 0.0003805322048719972, 0.000761739443987608],
]


def _write_inputs(case: str, betahat, sigma, num_pre: int, l_vec) -> None:
    betahat, sigma = np.asarray(betahat, float), np.asarray(sigma, float)
    frame = pd.DataFrame(sigma, columns=[f"sigma_{j}" for j in range(len(betahat))])
    frame.insert(0, "betahat", betahat)
    frame.insert(0, "period", ["pre"] * num_pre + ["post"] * (len(betahat) - num_pre))
    frame["l_vec"] = np.r_[np.full(num_pre, np.nan), l_vec]
    frame.to_csv(OUT / f"{case}_inputs.csv", index=False, float_format="%.17g")


def write_inputs() -> None:
    """Step 1 (project venv): the cases' inputs."""
    sys.path.insert(0, str(ROOT / "lib"))
    from tzeval.fewclusters import event_study
    from tzeval.sensitivity.from_result import event_study_inputs

    OUT.mkdir(parents=True, exist_ok=True)
    _write_inputs("bc_average", BC_BETAHAT, BC_SIGMA, 4, np.full(4, 0.25))
    _write_inputs("bc_first", BC_BETAHAT, BC_SIGMA, 4, [1.0, 0.0, 0.0, 0.0])
    mpdta = pd.read_csv(ROOT / "tests" / "data" / "mpdta.csv")
    es = event_study(mpdta, yname="lemp", tname="year", idname="countyreal",
                     gname="first.treat")
    betahat, sigma, num_pre, num_post = event_study_inputs(es)
    _write_inputs("mpdta_average", betahat, sigma, num_pre, np.full(num_post, 1 / num_post))
    # Hand-made: the earliest pre-period change is not the largest (see README).
    _write_inputs("hand_2pre_1post", [-0.06, -0.08, 0.30],
                  [[0.0016, 0.0006, 0.0002], [0.0006, 0.0020, 0.0005], [0.0002, 0.0005, 0.0040]],
                  2, [1.0])
    _write_inputs("hand_3pre_2post", [-0.01, 0.03, -0.05, 0.15, 0.25],
                  np.array([[1.0, 0.3, 0.2, 0.1, 0.0], [0.3, 1.2, 0.4, 0.2, 0.1],
                            [0.2, 0.4, 0.9, 0.3, 0.2], [0.1, 0.2, 0.3, 1.5, 0.6],
                            [0.0, 0.1, 0.2, 0.6, 1.8]]) * 1e-3,
                  3, [0.5, 0.5])


def read_inputs(case: str):
    """Coefficients, covariance, number of pre-periods and target weights of a case."""
    frame = pd.read_csv(OUT / f"{case}_inputs.csv")
    sigma = frame[[c for c in frame.columns if c.startswith("sigma_")]].to_numpy()
    num_pre = int((frame["period"] == "pre").sum())
    return frame["betahat"].to_numpy(), sigma, num_pre, frame["l_vec"].dropna().to_numpy()


def _patch_one_post_period_interface() -> None:
    """Let moderndid 0.2.0 run Delta^RM with one post-period.

    Its Delta^RM code reads ``accept_grid[:, 0]`` (grid) and ``[:, 1]`` (accepted) from
    ``compute_arp_ci``, which returns the grid and a one-dimensional ``accept_grid``
    separately (IndexError). The shim only stacks the two; the tests are the peer's.
    """
    from moderndid.didhonest.delta.rm import rm

    original = rm.compute_arp_ci

    def stacked(*args, **kwargs):
        result = original(*args, **kwargs)
        grid = np.column_stack([result.theta_grid, result.accept_grid.astype(float)])
        return result._replace(accept_grid=grid)

    rm.compute_arp_ci = stacked


def run_peer(*cases: str) -> None:
    """Step 2 (scratch venv with moderndid): the peer's intervals (all cases by default)."""
    import moderndid
    from moderndid.didhonest import construct_original_cs, create_sensitivity_results_rm
    from moderndid.didhonest.delta.rm.rm import compute_identified_set_rm

    _patch_one_post_period_interface()
    cases = cases or sorted(p.name.removesuffix("_inputs.csv") for p in OUT.glob("*_inputs.csv"))
    for case in cases:
        betahat, sigma, num_pre, l_vec = read_inputs(case)
        num_post = len(l_vec)
        rows = []
        for method in METHODS:
            # The exact call whose output is stored (grid bounds left to the package).
            result = create_sensitivity_results_rm(
                betahat=betahat, sigma=sigma, num_pre_periods=num_pre,
                num_post_periods=num_post, method=method, m_bar_vec=MBAR, l_vec=l_vec,
                alpha=0.05, grid_points=1000,
            ).to_pandas()
            for _, row in result.iterrows():
                ident = compute_identified_set_rm(row["Mbar"], betahat, l_vec, num_pre, num_post)
                sd_theta = float(np.sqrt(l_vec @ sigma[num_pre:, num_pre:] @ l_vec))
                grid_lb, grid_ub = ident.id_lb - 20 * sd_theta, ident.id_ub + 20 * sd_theta
                rows.append(dict(method=method, Mbar=row["Mbar"], lb=row["lb"], ub=row["ub"],
                                 id_lb=ident.id_lb, id_ub=ident.id_ub, grid_lb=grid_lb,
                                 grid_ub=grid_ub, grid_step=(grid_ub - grid_lb) / 999))
        original = construct_original_cs(betahat, sigma, num_pre, num_post, l_vec=l_vec)
        rows.append(dict(method="Original", Mbar=np.nan, lb=original.lb, ub=original.ub))
        pd.DataFrame(rows).to_csv(OUT / f"{case}_peer.csv", index=False, float_format="%.17g")
        print(case, "done")
    (OUT / "peer_version.json").write_text(json.dumps(
        {"package": "moderndid", "version": moderndid.__version__,
         "python": sys.version.split()[0]}, indent=1) + "\n")


if __name__ == "__main__":
    {"inputs": write_inputs, "peer": run_peer}[sys.argv[1]](*sys.argv[2:])
