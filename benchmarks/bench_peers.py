"""Speed of tzeval's estimators against peer Python packages, side by side, in one run.

Setup (a separate virtualenv, so that the peers' pins never touch the project's .venv)::

    python3 -m venv benchmarks/.venv-peers
    benchmarks/.venv-peers/bin/pip install -e . -r benchmarks/requirements-peers.txt
    benchmarks/.venv-peers/bin/pip install --no-deps synthdid==0.10.1

(``synthdid`` pins ~25 exact 2023 versions, among them pandas 1.5.3 and numpy 1.23.5,
which tzeval cannot use; it runs on the versions of requirements-peers.txt, so it is
installed without its dependencies. pandas stays below 3 because synthdid's
``groupby(...).apply`` needs the grouping column that pandas 3 no longer passes.)

Run::

    benchmarks/.venv-peers/bin/python benchmarks/bench_peers.py [--quick] [--only TASK ...]

Tasks (all on the same data for every package, in one process unless a timeout guard is
needed, in which case the peer runs in a forked child that is killed at the deadline):

- ``cs``: Callaway-Sant'Anna ATT(g, t), never-treated controls, doubly robust, 999
  multiplier-bootstrap draws, on mpdta and on a simulated 35,000 x 48 panel
  (peers: csdid, differences).
- ``synth``: Prop 99 synthetic control with the full placebo test, 38 placebos
  (peer: pysyncon, run once).
- ``sdid``: SDID on Prop 99 with 200 placebo replications (peer: synthdid, run once).
- ``wild``: wild cluster bootstrap-t, B = 99,999, of the TWFE DiD coefficient on mpdta
  clustered by county (peer: wildboottest).
- ``scaling``: tzeval att_gt time and peak memory (max RSS, fresh subprocess per size)
  against units and periods.

Times are the best of N runs of ``time.perf_counter``; ``--quick`` lowers N, shrinks the
big panel to 5,000 units and skips the slowest peer runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import tzeval

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
# The published specifications live with the tests, in one module.
sys.path.insert(0, str(ROOT / "tests"))
from reference_values import MPDTA_COLUMNS as MPDTA  # noqa: E402
from reference_values import PROP99_SPEC  # noqa: E402
ROWS: list[dict] = []  # the summary table


# --- helpers ------------------------------------------------------------------------------


def best_of(fn, repeats: int):
    """Run ``fn`` ``repeats`` times; return (best seconds, last result)."""
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _child(fn, queue):
    os.setsid()  # own process group, so that the guard also ends workers the peer started
    try:
        start = time.perf_counter()
        value = fn()
        queue.put(("ok", time.perf_counter() - start, value))
    except Exception:  # noqa: BLE001 - reported to the parent
        queue.put(("error", None, traceback.format_exc()))


def timed_in_child(fn, timeout: float):
    """Run ``fn`` once in a forked child; (seconds, result) or (None, reason) on timeout."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, queue))
    proc.start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, seconds, value = queue.get(timeout=1.0)
            break
        except Exception:  # queue.Empty: no result yet
            if not proc.is_alive():  # e.g. "fork() called from a process using GNU OpenMP"
                proc.join()
                return None, f"child process died (exit code {proc.exitcode}) before finishing"
            if time.monotonic() > deadline:
                try:
                    os.killpg(proc.pid, 9)  # the child and any worker processes it started
                except ProcessLookupError:
                    pass
                proc.kill()
                proc.join()
                return None, f"timed out after {timeout:.0f} s"
    proc.join()
    if status != "ok":
        return None, "error: " + value.strip().splitlines()[-1]
    return seconds, value


def record(task, tzeval_s, peer, peer_s, note=""):
    ratio = f"{tzeval_s / peer_s:.3f}" if (tzeval_s and peer_s) else "-"
    ROWS.append(dict(task=task, tzeval=tzeval_s, peer=peer, peer_s=peer_s, ratio=ratio, note=note))


def fmt(seconds):
    if seconds is None:
        return "-"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def print_table():
    print("\n## Summary (seconds; ratio = tzeval / peer, below 1 means tzeval is faster)\n")
    print("| task | tzeval s | peer | peer s | ratio | note |")
    print("|---|---:|---|---:|---:|---|")
    for row in ROWS:
        print(f"| {row['task']} | {fmt(row['tzeval'])} | {row['peer']} | {fmt(row['peer_s'])} "
              f"| {row['ratio']} | {row['note']} |")


def machine_line():
    load = os.getloadavg()
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
            f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")


# --- data ---------------------------------------------------------------------------------


def simulate_panel(n_units: int, n_periods: int, seed: int = 0) -> pd.DataFrame:
    """Staggered panel: never-treated units and three cohorts at T/4, T/2 and 3T/4.

    Unit and time effects plus noise; the effect of cohort g at t >= g is 1 + 0.2 (t - g).
    """
    rng = np.random.default_rng(seed)
    periods = np.arange(1, n_periods + 1)
    cohorts = np.array([0, n_periods // 4 + 1, n_periods // 2 + 1, 3 * n_periods // 4 + 1])
    cohort = rng.choice(cohorts, size=n_units)
    y = (rng.normal(size=n_units)[:, None] + 0.1 * periods
         + rng.normal(scale=0.3, size=(n_units, n_periods)))
    exposure = periods[None, :] - cohort[:, None]
    y = y + np.where((cohort[:, None] > 0) & (exposure >= 0), 1.0 + 0.2 * exposure, 0.0)
    return pd.DataFrame({
        "id": np.repeat(np.arange(n_units), n_periods),
        "t": np.tile(periods, n_units),
        "g": np.repeat(cohort, n_periods),
        "y": y.ravel(),
    })


SIM = dict(yname="y", tname="t", idname="id", gname="g")


# --- Callaway-Sant'Anna ---------------------------------------------------------------------


def cs_tzeval(frame, cols):
    res = tzeval.att_gt(frame, **cols, est_method="dr", n_boot=999, seed=1)
    out = res.to_frame()[["group", "time", "estimate"]]
    return out.set_index(["group", "time"])["estimate"]


def cs_csdid(frame, cols):
    from csdid.att_gt import ATTgt

    fit = ATTgt(yname=cols["yname"], tname=cols["tname"], idname=cols["idname"],
                gname=cols["gname"], data=frame, control_group=["nevertreated"],
                biters=999).fit(est_method="dr", bstrap=True)
    r = fit.results
    index = pd.MultiIndex.from_arrays([np.asarray(r["group"]), np.asarray(r["year"])],
                                      names=["group", "time"])
    return pd.Series(np.asarray(r["att"], dtype=float), index=index)


def cs_differences(frame, cols):
    from differences import ATTgt

    data = frame.copy()
    data["cohort"] = data[cols["gname"]].where(data[cols["gname"]] > 0)
    data = data.set_index([cols["idname"], cols["tname"]])
    model = ATTgt(data=data, cohort_column="cohort")
    res = model.fit(formula=cols["yname"], est_method="dr", boot_iterations=999,
                    random_state=1, progress_bar=False)
    table = res.to_pandas() if hasattr(res, "to_pandas") else res
    att = table.iloc[:, 0]
    index = pd.MultiIndex.from_arrays(
        [att.index.get_level_values(0).astype(int), att.index.get_level_values(-1).astype(int)],
        names=["group", "time"])
    return pd.Series(att.to_numpy(dtype=float), index=index)


def compare(name, reference, other):
    joined = pd.concat([reference.rename("tzeval"), other.rename(name)], axis=1)
    if joined.isna().any().any():
        print(f"    {name}: cells differ ({joined.isna().sum().to_dict()} missing)")
    diff = (joined["tzeval"] - joined[name]).abs().max()
    print(f"    {name}: {len(other)} ATT(g,t) cells, max |tzeval - {name}| = {diff:.2e}")
    return diff


def task_cs(args):
    print("\n### Callaway-Sant'Anna, dr, never-treated, 999 bootstrap draws")
    mpdta = pd.read_csv(DATA / "mpdta.csv")
    reps = 3 if args.quick else 5
    t_tz, est = best_of(lambda: cs_tzeval(mpdta, MPDTA), reps)
    print(f"  mpdta (500 x 5): tzeval {t_tz:.3f} s; ATT(2004,2004..2007) = "
          f"{np.round(est.loc[2004].to_numpy(), 4).tolist()}")
    for name, fn in [("csdid", cs_csdid), ("differences", cs_differences)]:
        try:
            t_peer, peer_est = best_of(lambda fn=fn: fn(mpdta, MPDTA), reps)
        except Exception as exc:  # noqa: BLE001
            print(f"    {name} failed: {exc!r}")
            record("CS mpdta 500x5", t_tz, name, None, f"failed: {exc!r}"[:80])
            continue
        diff = compare(name, est, peer_est)
        print(f"    {name}: {t_peer:.3f} s")
        record("CS mpdta 500x5", t_tz, name, t_peer, f"max abs ATT diff {diff:.1e}")

    n_units = 5_000 if args.quick else 35_000
    big = simulate_panel(n_units, 48, seed=1)
    label = f"CS sim {n_units // 1000}k x 48"
    t_tz, est = best_of(lambda: cs_tzeval(big, SIM), 1 if args.quick else 2)
    cells = est.reset_index()
    post = cells[cells.time >= cells.group]
    truth = 1 + 0.2 * (post.time - post.group)
    print(f"  simulated {n_units} x 48 ({len(big):,} rows, {len(est)} cells): tzeval {t_tz:.2f} s "
          f"(target < 15 s); max |ATT - truth| over post cells = "
          f"{(est.loc[list(zip(post.group, post.time))].to_numpy() - truth.to_numpy()).__abs__().max():.3f}")
    for name, fn in [("csdid", cs_csdid), ("differences", cs_differences)]:
        if args.skip_slow:
            record(label, t_tz, name, None, "skipped (--quick)")
            continue
        seconds, value = timed_in_child(lambda fn=fn: fn(big, SIM), timeout=args.peer_timeout)
        if seconds is None:
            print(f"    {name}: {value}")
            record(label, t_tz, name, None, f"not run to the end: {value}")
            continue
        diff = compare(name, est, value)
        print(f"    {name}: {seconds:.1f} s (one run)")
        record(label, t_tz, name, seconds, f"one peer run; max abs ATT diff {diff:.1e}")


# --- synthetic control ----------------------------------------------------------------------


def synth_tzeval(smoking, conformal=True):
    return tzeval.synthetic_control(smoking, "state", "year", "cigsale", "California", 1989,
                                    **PROP99_SPEC, placebo=True, conformal=conformal)


def synth_pysyncon(smoking):
    import contextlib
    import io

    from pysyncon import Dataprep, Synth
    from pysyncon.utils import PlaceboTest

    controls = sorted(set(smoking["state"]) - {"California"})
    dataprep = Dataprep(
        foo=smoking,
        predictors=PROP99_SPEC["predictors"],
        predictors_op="mean",
        time_predictors_prior=range(1980, 1989),
        special_predictors=[("beer", range(1984, 1989), "mean"), ("cigsale", [1975], "mean"),
                            ("cigsale", [1980], "mean"), ("cigsale", [1988], "mean")],
        dependent="cigsale",
        unit_variable="state",
        time_variable="year",
        treatment_identifier="California",
        controls_identifier=controls,
        time_optimize_ssr=range(1970, 1989),
    )
    synth = Synth()
    synth.fit(dataprep=dataprep)
    weights = synth.weights(threshold=0.01)
    placebo = PlaceboTest()
    with contextlib.redirect_stdout(io.StringIO()):
        placebo.fit(dataprep=dataprep, scm=Synth())  # all cores (2), pysyncon's default
    p_value = placebo.pvalue(treatment_time=1989)
    gap_2000 = float(placebo.treated_gap.loc[2000])
    return dict(weights={k: round(float(v), 3) for k, v in weights.items() if v > 0.01},
                p_value=float(p_value), gap_2000=gap_2000, n_placebos=placebo.gaps.shape[1])


def task_synth(args):
    print("\n### Prop 99 synthetic control, placebo test over all 38 donors")
    smoking = pd.read_csv(DATA / "smoking.csv")
    reps = 3 if args.quick else 5
    t_full, res = best_of(lambda: synth_tzeval(smoking), reps)
    t_plac, res2 = best_of(lambda: synth_tzeval(smoking, conformal=False), reps)
    weights = res.weights[res.weights > 0.01].round(3).sort_values(ascending=False).to_dict()
    gap = float(res.gaps.set_index("period").loc[2000, "gap"])
    print(f"  tzeval: {t_full:.3f} s with conformal intervals, {t_plac:.3f} s placebos only "
          f"(target < 1 s); placebos {len(res.placebos)}, p = {res.p_value:.4f}")
    print(f"    weights {weights}; gap 2000 = {gap:.2f}; post-period mean gap {res.att:.2f}")
    if args.skip_slow:
        record("SC Prop 99 + 38 placebos", t_plac, "pysyncon", None, "skipped (--quick)")
        return
    seconds, value = timed_in_child(lambda: synth_pysyncon(smoking), timeout=args.synth_timeout)
    if seconds is None:
        print(f"    pysyncon: {value}")
        record("SC Prop 99 + 38 placebos", t_plac, "pysyncon", None, value)
        return
    print(f"    pysyncon: {seconds:.1f} s (one run, 2 worker processes); weights {value['weights']}; "
          f"gap 2000 = {value['gap_2000']:.2f}; p = {value['p_value']:.4f} "
          f"({value['n_placebos']} placebos)")
    record("SC Prop 99 + 38 placebos", t_plac, "pysyncon", seconds,
           f"one peer run, 2 processes; tzeval with conformal: {t_full:.3f} s")


# --- synthetic DiD --------------------------------------------------------------------------


def sdid_synthdid(panel, n_reps):
    from synthdid.synthdid import Synthdid
    from synthdid.vcov import placebo_se

    np.random.seed(1)
    model = Synthdid(panel, unit="state", time="year", treatment="treated",
                     outcome="cigsale").fit()
    # Synthdid.vcov(method="placebo") ignores its n_reps (hard-coded 50): call the
    # placebo routine directly to get 200 replications.
    return float(model.att), float(placebo_se(model.data_ref, n_reps=n_reps))


def task_sdid(args):
    print("\n### SDID on Prop 99, 200 placebo replications")
    panel = pd.read_csv(DATA / "smoking.csv")[["state", "year", "cigsale"]]
    panel["treated"] = ((panel["state"] == "California") & (panel["year"] >= 1989)).astype(int)
    reps = 3 if args.quick else 5
    t_tz, res = best_of(lambda: tzeval.synthetic_did(panel, "state", "year", "cigsale", "treated",
                                                      se_method="placebo", n_reps=200, seed=1), reps)
    print(f"  tzeval: {t_tz:.3f} s (target < 2 s); estimate {res.estimate:.4f}, "
          f"placebo SE {res.std_error:.3f} (R synthdid: -15.6038, paper SE 8.4)")
    n_reps = 20 if args.skip_slow else 200
    seconds, value = timed_in_child(lambda: sdid_synthdid(panel, n_reps), timeout=args.peer_timeout * 2)
    if seconds is None:
        print(f"    synthdid: {value}")
        record("SDID Prop 99, 200 placebos", t_tz, "synthdid", None, value)
        return
    note = "one peer run" if n_reps == 200 else f"peer ran {n_reps} placebos only (--quick)"
    print(f"    synthdid: {seconds:.1f} s ({n_reps} placebos, one run); estimate {value[0]:.4f}, "
          f"placebo SE {value[1]:.3f}")
    record("SDID Prop 99, 200 placebos", t_tz, "synthdid", seconds,
           f"{note}; estimates {res.estimate:.3f} vs {value[0]:.3f}")


# --- wild cluster bootstrap -----------------------------------------------------------------


def task_wild(args):
    print("\n### Wild cluster bootstrap-t, B = 99,999, TWFE DiD on mpdta clustered by county")
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from wildboottest.wildboottest import wildboottest

    mpdta = pd.read_csv(DATA / "mpdta.csv")
    mpdta["post_treated"] = ((mpdta["first.treat"] > 0)
                             & (mpdta["year"] >= mpdta["first.treat"])).astype(float)
    reps = 3 if args.quick else 5

    def run_tzeval():
        fit = tzeval.twfe_did(mpdta, **MPDTA)
        return tzeval.wild_cluster_bootstrap(fit, "post_treated", B=99_999, seed=1)

    run_tzeval()  # warm-up
    t_tz, boot = best_of(run_tzeval, reps)
    print(f"  tzeval (twfe_did + bootstrap): {t_tz:.3f} s (target < 0.5 s); coefficient "
          f"{boot.estimate:.5f}, CR1 SE {boot.std_error:.5f}, p = {boot.p_value:.4f}")

    # Peer, best case: the fixed effects partialled out beforehand (Frisch-Waugh-Lovell), a
    # one-regressor OLS. The coefficient is identical; the t statistic differs from the
    # dummy regression's only through the small-sample factor (k = 1 instead of 505).
    def demean(column):
        v = mpdta[column]
        v = v - v.groupby(mpdta["countyreal"]).transform("mean")
        return v - v.groupby(mpdta["year"]).transform("mean") + v.mean()

    y_dm, d_dm = demean("lemp"), demean("post_treated")

    def run_demeaned():
        model = sm.OLS(y_dm.to_numpy(), d_dm.to_numpy()[:, None])
        return wildboottest(model, param="x1", cluster=mpdta["countyreal"].to_numpy(),
                            B=99_999, seed=1, show=False)

    run_demeaned()  # warm-up: numba compilation
    t_dm, res_dm = best_of(run_demeaned, reps)
    ols_dm = sm.OLS(y_dm.to_numpy(), d_dm.to_numpy()[:, None]).fit()
    print(f"    wildboottest, FE partialled out first: {t_dm:.3f} s; coefficient "
          f"{ols_dm.params[0]:.5f}, p = {float(res_dm['p-value'].iloc[0]):.4f}")
    record("wild bootstrap B=99,999, 500 clusters", t_tz, "wildboottest (demeaned, k=1)", t_dm,
           f"coef {ols_dm.params[0]:.5f} vs {boot.estimate:.5f}")

    if args.skip_slow:
        record("wild bootstrap B=99,999, 500 clusters", t_tz, "wildboottest (dummies, k=505)",
               None, "skipped (--quick)")
        return

    def run_dummies():
        model = smf.ols("lemp ~ post_treated + C(countyreal) + C(year)", data=mpdta)
        res = wildboottest(model, param="post_treated", cluster=mpdta["countyreal"],
                           B=99_999, seed=1, show=False)
        return float(model.fit().params["post_treated"]), float(res["p-value"].iloc[0])

    # Not in a forked child: once numba has loaded GNU OpenMP, a fork()ed child terminates
    # ("fork() called from a process already using GNU OpenMP"). One in-process run, no guard.
    try:
        start = time.perf_counter()
        value = run_dummies()
        seconds = time.perf_counter() - start
    except Exception as exc:  # noqa: BLE001
        seconds, value = None, f"error: {exc!r}"
    if seconds is None:
        print(f"    wildboottest with dummies: {value}")
        record("wild bootstrap B=99,999, 500 clusters", t_tz, "wildboottest (dummies, k=505)",
               None, value)
        return
    print(f"    wildboottest, fixed effects as dummies: {seconds:.1f} s (one run); coefficient "
          f"{value[0]:.5f}, p = {value[1]:.4f}")
    record("wild bootstrap B=99,999, 500 clusters", t_tz, "wildboottest (dummies, k=505)",
           seconds, f"one peer run; p {boot.p_value:.4f} vs {value[1]:.4f}")


# --- scaling --------------------------------------------------------------------------------


def _vm_hwm_mb() -> float:
    """Peak resident set size of this process (VmHWM; unlike ru_maxrss it is not
    inherited from the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scaling_child(n_units, n_periods, n_boot):
    """Run in a fresh interpreter; print JSON: seconds, peak RSS before/after att_gt, and
    the tracemalloc peak of a second, traced call (allocations made by att_gt itself)."""
    import tracemalloc

    frame = simulate_panel(n_units, n_periods, seed=2)
    base = _vm_hwm_mb()
    start = time.perf_counter()
    res = tzeval.att_gt(frame, **SIM, est_method="dr", n_boot=n_boot, seed=1)
    seconds = time.perf_counter() - start
    peak = _vm_hwm_mb()
    cells = len(res.to_frame())
    del res
    tracemalloc.start()
    tzeval.att_gt(frame, **SIM, est_method="dr", n_boot=n_boot, seed=1)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(json.dumps(dict(seconds=seconds, rss_before_mb=base, rss_peak_mb=peak,
                          traced_peak_mb=traced_peak, cells=cells, rows=len(frame),
                          data_mb=frame.memory_usage(deep=True).sum() / 2**20)))


def task_scaling(args):
    print("\n### tzeval att_gt scaling (dr, 999 bootstrap draws; fresh process per size)")
    sizes = [(5_000, 48), (10_000, 48), (20_000, 48), (35_000, 48), (35_000, 12), (35_000, 24)]
    if args.quick:
        sizes = [(2_000, 48), (5_000, 48), (5_000, 12), (5_000, 24)]
    print("\n| units | periods | rows | ATT(g,t) cells | seconds | input frame MB | peak RSS MB "
          "| RSS growth in att_gt MB | tracemalloc peak of att_gt MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n_units, n_periods in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--scaling-child", str(n_units), str(n_periods), "999"],
            capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {n_units:,} | {n_periods} | {r['rows']:,} | {r['cells']} | {r['seconds']:.2f} | "
              f"{r['data_mb']:.0f} | {r['rss_peak_mb']:.0f} | {r['rss_peak_mb'] - r['rss_before_mb']:.0f} | "
              f"{r['traced_peak_mb']:.0f} |", flush=True)


# --- main -----------------------------------------------------------------------------------


TASKS = {"cs": task_cs, "synth": task_synth, "sdid": task_sdid, "wild": task_wild,
         "scaling": task_scaling}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, small panel, skip slow peers")
    parser.add_argument("--only", nargs="+", choices=sorted(TASKS), help="run only these tasks")
    parser.add_argument("--peer-timeout", type=float, default=180.0,
                        help="seconds before a slow peer run is abandoned (default 180)")
    parser.add_argument("--synth-timeout", type=float, default=900.0,
                        help="seconds allowed to pysyncon's placebo run (default 900)")
    parser.add_argument("--scaling-child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scaling_child:
        scaling_child(*args.scaling_child)
        return
    args.skip_slow = args.quick
    print(f"# tzeval vs peers\n\n{machine_line()}")
    for name in args.only or TASKS:
        TASKS[name](args)
        sys.stdout.flush()
    print_table()
    print(f"\nfinished {machine_line()}")


if __name__ == "__main__":
    main()
