"""The weight solvers of synthetic DiD: pairwise Frank-Wolfe, iteration counts, and the demo.

R ``synthdid``'s Frank-Wolfe (``solver="synthdid"``) is checked against a transcription of
``sc.weight.fw`` and Prop 99 in ``test_synthetic_did.py``. Here: the pairwise solver
behind ``solver="converged"`` reaches the minimum its duality gap promises, from any
start; iteration counts and the cap are reported; and on the demo data the report's
second opinion stops on its rule, where ``synthdid``'s solver runs to its cap.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize
from test_synthetic_did import random_problems as random_problems_from
from tzeval import open_dataset
from tzeval.robustness import sdid_check
from tzeval.sdid.frank_wolfe import (
    SimplexRidgeProblems,
    frank_wolfe,
    pairwise_frank_wolfe,
    solve_sparsified,
)

DEMO_SEED = 20170101


def random_problems(seed: int, size: int, n: int, k: int):
    """Explicit ``A``, ``b`` and the batch built from them (correlated columns, so that
    optima sit on faces of the simplex, where plain Frank-Wolfe is slow)."""
    return random_problems_from(np.random.default_rng(seed), size, n, k)


def slsqp_minimum(a: np.ndarray, b: np.ndarray, zeta: float) -> float:
    n, k = a.shape

    def objective(x):
        return zeta**2 * x @ x + np.sum((a @ x - b) ** 2) / n

    result = optimize.minimize(
        objective,
        np.full(k, 1 / k),
        method="SLSQP",
        bounds=[(0, 1)] * k,
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    return float(result.fun)


def test_pairwise_reaches_the_minimum_within_its_tolerance():
    a, b, zeta, problems = random_problems(8, size=4, n=15, k=7)
    solution = pairwise_frank_wolfe(problems, np.full((4, 7), 1 / 7), 1e-12, max_iter=10_000)
    assert solution.converged.all() and (solution.iterations < 10_000).all()
    values = problems.objective(solution.weights)
    for row in range(4):
        assert values[row] <= slsqp_minimum(a[row], b[row], zeta[row]) + 1e-10
    np.testing.assert_allclose(solution.weights.sum(axis=1), 1.0)
    assert (solution.weights >= 0).all()


def test_pairwise_gap_bounds_the_distance_to_the_minimum():
    """A loose tolerance stops early, but never further above the minimum than it says."""
    _, _, _, problems = random_problems(3, size=20, n=12, k=30)
    start = np.full((20, 30), 1 / 30)
    minimum = problems.objective(pairwise_frank_wolfe(problems, start, 1e-13).weights)
    loose = pairwise_frank_wolfe(problems, start, 1e-3)
    excess = problems.objective(loose.weights) - minimum
    assert loose.converged.all()
    assert (excess <= 1e-3).all()
    # the tolerance binds: some problems stop short of the minimum
    assert excess.max() > 1e-6


def test_pairwise_minimiser_does_not_depend_on_the_start():
    _, _, _, problems = random_problems(5, size=6, n=10, k=12)
    rng = np.random.default_rng(0)
    uniform = pairwise_frank_wolfe(problems, np.full((6, 12), 1 / 12), 1e-14).weights
    vertex = pairwise_frank_wolfe(problems, np.eye(12)[rng.integers(0, 12, 6)], 1e-14).weights
    np.testing.assert_allclose(uniform, vertex, atol=1e-5)


def test_pairwise_is_faster_than_synthdids_frank_wolfe_to_the_same_minimum():
    _, _, _, problems = random_problems(11, size=5, n=20, k=40)
    start = np.full((5, 40), 1 / 40)
    pairwise = pairwise_frank_wolfe(problems, start, 1e-10)
    plain = frank_wolfe(problems, start, 1e-5, 10_000)
    assert pairwise.converged.all()
    assert pairwise.iterations.max() < plain.iterations.min()
    assert (problems.objective(pairwise.weights) <= problems.objective(plain.weights) + 1e-10).all()


def test_pairwise_keeps_padding_at_zero_and_matches_the_shared_gram_form():
    rng = np.random.default_rng(7)
    trajectories = rng.normal(size=(9, 14)).cumsum(axis=1)
    shared_gram = trajectories @ trajectories.T
    columns = np.array([[0, 1, 2, 3, 4, 5], [2, 4, 6, 8, 0, 0]])
    available = np.array([[True] * 6, [True] * 4 + [False] * 2])
    target = np.array([7, 1])
    common = {
        "cross": np.where(available, shared_gram[target][np.arange(2)[:, None], columns], 0.0),
        "target_sq": shared_gram[target, target],
        "n_rows": np.full(2, 14.0),
        "zeta": np.array([0.3, 0.1]),
        "available": available,
    }
    gram = np.where(available[:, :, None] & available[:, None, :], shared_gram[columns[:, :, None], columns[:, None, :]], 0.0)
    start = available / available.sum(axis=1, keepdims=True)
    dense = pairwise_frank_wolfe(SimplexRidgeProblems(gram=gram, **common), start, 1e-12)
    shared = pairwise_frank_wolfe(
        SimplexRidgeProblems(gram=None, shared_gram=shared_gram, columns=columns, **common), start, 1e-12
    )
    assert (dense.weights[1, 4:] == 0).all()
    np.testing.assert_allclose(shared.weights, dense.weights, atol=1e-12)
    assert shared.converged.all() and dense.converged.all()


@pytest.mark.parametrize("solve", ["pairwise", "synthdid"])
def test_the_cap_is_reported(solve):
    _, _, _, problems = random_problems(2, size=3, n=12, k=25)
    start = np.full((3, 25), 1 / 25)
    if solve == "pairwise":
        capped, free = pairwise_frank_wolfe(problems, start, 1e-12, max_iter=3), pairwise_frank_wolfe(problems, start, 1e-12)
    else:
        capped = solve_sparsified(problems, start, 1e-6, max_iter=3, max_iter_pre_sparsify=3)
        free = frank_wolfe(problems, start, 10.0, 10_000)  # a huge min_decrease: the rule holds at once
    assert (capped.iterations == 3).all() and not capped.converged.any()
    assert free.converged.all() and (free.iterations < 10_000).all()


# --- the report's second opinion on the demo data ------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return open_dataset()


# the first territory, the report tests' pioneer, and the one whose placebos took most
# iterations (1,270 time-weight iterations) when the solver was written
@pytest.mark.parametrize("position", [0, 3, 63])
def test_demo_second_opinion_weights_stop_on_their_rule(demo, position):
    """Every weight fit of ``sdid_check`` (the territory's and each placebo's, unit and
    time weights) must stop on its tolerance, well before the cap: at the cap the
    weights are wherever the iterations were, and the check costs ten times more."""
    check = sdid_check(demo, demo.treated_ids[position], seed=DEMO_SEED)
    table = check.solver_iterations.set_index(["weights", "fits"])
    assert check.solver == "converged"
    assert set(table.index) == {(w, f) for w in ("omega", "lambda") for f in ("observed", "replications")}
    assert table.loc[("omega", "replications"), "count"] == 100
    assert (table["not_converged"] == 0).all()
    assert (table["max_iterations"] < table["max_iter"] / 4).all()


def test_synthdids_solver_runs_to_its_cap_on_the_demo(demo):
    """Why the second opinion does not use R's solver: its rule is never met here."""
    from tzeval.dataset import OUTCOME_RATE
    from tzeval.sdid import synthetic_did
    from tzeval.territory_effects import estimation_sample

    territory_id = demo.treated_ids[0]
    wide = estimation_sample(demo, territory_id).wide
    panel = wide.rename_axis(index="period", columns="territory_id").stack().rename(OUTCOME_RATE).reset_index()
    start = demo.territory(territory_id)["first_period"]
    panel["treated"] = ((panel["territory_id"] == territory_id) & (panel["period"] >= start)).astype(int)
    arguments = ("territory_id", "period", OUTCOME_RATE, "treated")
    fits = {
        solver: synthetic_did(panel, *arguments, se_method="placebo_studentised", n_reps=2, seed=DEMO_SEED, solver=solver)
        for solver in ("synthdid", "converged")
    }
    capped = fits["synthdid"].solver_iterations.set_index(["weights", "fits"])
    assert capped.loc[("omega", "observed"), "not_converged"] == 1
    assert capped.loc[("omega", "observed"), "max_iterations"] == capped.loc[("omega", "observed"), "max_iter"]
    # the capped weights are near the minimiser: the estimates differ by a few 1e-4
    assert fits["converged"].estimate == pytest.approx(fits["synthdid"].estimate, abs=2e-3)
