"""``synthetic_control``: the user-facing estimator."""

from __future__ import annotations

import time as clock
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from ..did_names import accepts_did_names
from .conformal import ConformalSettings, conformal_intervals
from .dataprep import prepare_panel
from .errors import SyntheticControlInputError
from .fitting import SearchSettings, fit_unit
from .placebo import placebo_p_value, run_placebos
from .result import SyntheticControlResult

DEFAULT_SEED = 0


@accepts_did_names
def synthetic_control(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit: Hashable,
    treatment_time,
    predictors: Sequence[str] = (),
    predictor_periods=None,
    special_predictors: Sequence[tuple] = (),
    fit_periods=None,
    donors: Sequence[Hashable] | None = None,
    placebo: bool = True,
    alpha: float = 0.05,
    seed: int | None = None,
    *,
    drop_placebos_mspe_ratio: float | None = None,
    placebo_include_treated: bool = False,
    conformal: bool = True,
    conformal_permutation: str = "moving_block",
    conformal_n_permutations: int = 1000,
    conformal_grid_size: int = 51,
    n_random_starts: int = 1,
) -> SyntheticControlResult:
    """Synthetic control for one treated unit (Abadie, Diamond & Hainmueller 2010).

    The synthetic unit is a convex combination of donors whose predictors are as close
    as possible to the treated unit's in the metric ``V``, itself chosen to minimise the
    outcome MSPE over ``fit_periods`` (R ``Synth``'s nested optimisation).

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per unit and period, balanced, outcome never missing.
    unit, time, outcome : str
        Columns of the unit identifier, the period and the outcome. R ``did``'s
        ``idname``, ``tname`` and ``yname`` are accepted as keyword synonyms.
    treated_unit
        The treated unit's identifier.
    treatment_time
        First treated period; earlier periods are pre-treatment.
    predictors : sequence of str
        Columns averaged over ``predictor_periods`` (missing values inside the window are
        skipped, like ``na.rm = TRUE`` in ``Synth::dataprep``). Predictors are scaled by
        their standard deviation across the units taking part. With no predictor at all
        the weights fit the outcome over ``fit_periods`` directly (no V).
    predictor_periods : sequence, optional
        Window of ``predictors``; default every pre-treatment period.
    special_predictors : sequence of (column, periods, "mean")
        Further predictors, each averaged over its own periods (a single period is
        allowed), e.g. ``("cigsale", 1975, "mean")``.
    fit_periods : sequence, optional
        Pre-treatment periods whose outcome MSPE the V search minimises; default all.
    donors : sequence, optional
        Donor pool; default every unit but the treated one.
    placebo : bool
        Run placebo-in-space inference (every donor in turn, same specification).
    alpha : float
        One minus the confidence level of the conformal intervals.
    seed : int, optional
        Seed of the random V starts and of i.i.d. permutations. ``None`` uses a fixed
        seed (0), so that results are reproducible by default.
    drop_placebos_mspe_ratio : float, optional
        Leave out placebos whose pre-treatment MSPE exceeds this multiple of the treated
        unit's (Abadie et al. 2010 use 20, 5 and 2; an RMSPE multiple ``k`` is an MSPE
        multiple ``k**2``).
    placebo_include_treated : bool
        Put the treated unit in the placebos' donor pools (off by default: its
        post-treatment outcomes carry the effect).
    conformal : bool
        Compute conformal intervals (Chernozhukov, Wuthrich & Zhu 2021); see
        :mod:`tzeval.synth.conformal` for the procedure and the grid.
    conformal_permutation : {"moving_block", "iid"}
    conformal_n_permutations : int
        Number of random permutations when ``conformal_permutation="iid"``.
    conformal_grid_size : int
        Points of the first scan of each test inversion.
    n_random_starts : int
        Random starts of the V search in addition to equal weights and ``Synth``'s
        regression-based start; the same for the treated unit and each placebo.

    Returns
    -------
    SyntheticControlResult

    Raises
    ------
    SyntheticControlInputError
        Unknown columns or units, treatment time outside the data, unbalanced panel,
        missing outcome, a predictor with no value in its window for some unit, fewer
        than two donors, or an invalid option.
    """
    if not 0 < alpha < 1:
        raise SyntheticControlInputError(f"alpha must lie strictly between 0 and 1, got {alpha!r}.")
    if n_random_starts < 0:
        raise SyntheticControlInputError(f"n_random_starts must be >= 0, got {n_random_starts!r}.")
    if drop_placebos_mspe_ratio is not None and not drop_placebos_mspe_ratio > 0:
        raise SyntheticControlInputError(
            f"drop_placebos_mspe_ratio must be positive, got {drop_placebos_mspe_ratio!r}."
        )
    seed = DEFAULT_SEED if seed is None else seed
    conformal_settings = (
        ConformalSettings(conformal_permutation, conformal_n_permutations, conformal_grid_size, seed)
        if conformal
        else None
    )
    timings: dict[str, float] = {}
    started = clock.perf_counter()
    panel = prepare_panel(
        data, unit, time, outcome, treated_unit, treatment_time, predictors,
        predictor_periods, special_predictors, fit_periods, donors,
    )
    settings = SearchSettings(n_random_starts=n_random_starts, seed=seed)
    donor_rows = np.arange(1, len(panel.units))
    main = fit_unit(panel, 0, donor_rows, settings)
    timings["fit"] = clock.perf_counter() - started

    post = panel.post
    pre_rmspe, post_rmspe = main.rmspe(panel.pre), main.rmspe(post)
    ratio = post_rmspe / pre_rmspe if pre_rmspe > 0 else np.inf

    placebos = placebo_gaps = p_value = None
    if placebo:
        started = clock.perf_counter()
        runs = run_placebos(panel, settings, include_treated=placebo_include_treated)
        p_value, kept = placebo_p_value(ratio, pre_rmspe, runs.table, drop_placebos_mspe_ratio)
        placebos = runs.table.assign(kept=kept)
        placebo_gaps = runs.gaps
        timings["placebos"] = clock.perf_counter() - started

    intervals = None
    if conformal_settings is not None:
        started = clock.perf_counter()
        intervals = conformal_intervals(
            panel.outcomes[0], panel.outcomes[1:].T, panel.pre, main.gaps[post],
            alpha, conformal_settings,
        )
        timings["conformal"] = clock.perf_counter() - started

    donor_names = list(panel.units[1:])
    weights = pd.Series(main.fit.weights, index=pd.Index(donor_names, name=unit), name="weight")
    v_weights = pd.Series(
        main.fit.v_weights, index=pd.Index(panel.predictor_labels, name="predictor"), name="v_weight"
    )
    raw = panel.predictor_values
    balance = pd.DataFrame(
        {
            "predictor": list(panel.predictor_labels),
            "treated": raw[:, 0],
            "synthetic": raw[:, 1:] @ main.fit.weights,
            "donor_mean": raw[:, 1:].mean(axis=1),
            "v_weight": main.fit.v_weights,
        }
    )
    gaps = pd.DataFrame(
        {
            "period": panel.periods,
            "treated": panel.outcomes[0],
            "synthetic": main.synthetic,
            "gap": main.gaps,
        }
    )
    return SyntheticControlResult(
        treated_unit=treated_unit,
        treatment_time=treatment_time,
        outcome=outcome,
        weights=weights,
        v_weights=v_weights,
        v_identified=main.fit.v_identified,
        gaps=gaps,
        att=float(main.gaps[post].mean()),
        pre_rmspe=pre_rmspe,
        post_rmspe=post_rmspe,
        fit_rmspe=float(np.sqrt(main.fit.fit_mspe)),
        balance=balance,
        placebos=placebos,
        placebo_gaps=placebo_gaps,
        p_value=p_value,
        rmspe_ratio=ratio,
        conformal=intervals,
        alpha=alpha,
        drop_placebos_mspe_ratio=drop_placebos_mspe_ratio,
        timings=timings,
    )
