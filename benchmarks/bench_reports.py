"""How long the report batch takes, where the time goes, and how it grows with territories.

Four measurements, each on the demo data and into a temporary folder (so every estimate
and the Parquet cache are recomputed):

``--sizes 1 5 20`` (the default)
    ``build_reports`` for the first k territories, for several k: wall time and time per
    report, after the estimation step alone (``territory_effects`` on all territories).
``--batch``
    ``python -m tzeval reports`` for every territory, as a user runs it: wall time, CPU
    time of every process (workers and kernels), the largest process's peak RSS, and the
    peak of the summed RSS of the whole process tree (sampled every 0.2 s).
``--one``
    The same for ``reports --territory ID`` (that report, the summary and the scale gap).
``--stages K``
    Per-stage breakdown, one worker's view: the summary, the scale gap and K territory
    notebooks go one after the other through ``run_job`` in this process, with timers
    around kernel start and stop, namespace reset (warm kernels), cell execution, the
    papermill saves of the notebook and the HTML export. A separate run of one territory
    notebook in a fresh kernel started with ``PYTHONPROFILEIMPORTTIME`` says how much of
    the execution is imports.

Usage: ``python benchmarks/bench_reports.py [--sizes 1 5 20] [--batch] [--one] [--stages 5]``.
To time another checkout of the library (the "before" of a change), put its ``lib`` first
on ``PYTHONPATH``: the script prints which ``tzeval`` it ran.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import tzeval
from tzeval import open_dataset, territory_effects
from tzeval.report import runner
from tzeval.report.runner import build_reports

IMPORT_MARK = "TZEVAL-IMPORTS-FROM-HERE"
SAMPLE_SECONDS = 0.2


# --sizes


def scaling(data, sizes: list[int]) -> int:
    started = time.perf_counter()
    territory_effects(data)
    print(f"estimation, all {len(data.treated_ids)} territories: {time.perf_counter() - started:.2f} s")
    print(f"{'territories':>11} {'wall (s)':>9} {'per report (s)':>15}   ({os.cpu_count()} cores)")
    for size in sizes:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            summary = build_reports(territory_ids=data.treated_ids[:size], out_dir=out, progress=False)
            wall = time.perf_counter() - started
        if summary.failed:
            print(f"failures: {[o.name for o in summary.failed]}", file=sys.stderr)
            return 1
        print(f"{size:>11} {wall:>9.1f} {wall / (size + 2):>15.2f}")
    return 0


# --batch / --one


def _tree_rss(process) -> int:
    import psutil

    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def batch(extra_args: list[str], label: str, runs: int = 1) -> int:
    """Run the command line as a user would and report wall, CPU and memory of the process tree.

    With ``runs`` > 1 the same command runs again into the same folder: the Parquet copy and
    the stored analyses (``<out>/processed``) are then reused.
    """
    status = 0
    with tempfile.TemporaryDirectory() as out:
        for run in range(1, runs + 1):
            status |= _run_once([sys.executable, "-m", "tzeval", "reports", "--out", out, "--quiet", *extra_args],
                                label if run == 1 else f"{label}, run {run} into the same folder")
    return status


def _run_once(command: list[str], label: str) -> int:
    import psutil

    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(process))
        time.sleep(SAMPLE_SECONDS)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_user, cpu_sys = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    print(f"{label}: {' '.join(command[3:])}")
    print(f"  exit {child.returncode}: {stdout.strip().splitlines()[-1] if stdout.strip() else stderr[-500:]}")
    print(f"  wall {wall:.1f} s, CPU {cpu_user + cpu_sys:.1f} s (user {cpu_user:.1f}, sys {cpu_sys:.1f}), "
          f"load average at start {load:.2f}")
    # ru_maxrss of the children is the largest single descendant's peak (of this script's
    # life, so over every run so far), in KiB on Linux.
    print(f"  peak RSS: largest process {after.ru_maxrss / 1024:.0f} MiB, "
          f"whole tree (sum, sampled) {peak / 2**20:.0f} MiB")
    return child.returncode


# --stages


class StageClock:
    """Seconds and call counts per stage, filled by the wrappers of :func:`stage_timers`."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        self.calls[stage] += 1

    def take(self) -> tuple[dict[str, float], dict[str, int]]:
        taken = dict(self.seconds), dict(self.calls)
        self.seconds.clear()
        self.calls.clear()
        return taken


def _timed(clock: StageClock, stage: str, function):
    @functools.wraps(function)
    def sync_wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            clock.add(stage, time.perf_counter() - started)

    @functools.wraps(function)
    async def async_wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            clock.add(stage, time.perf_counter() - started)

    import inspect

    return async_wrapper if inspect.iscoroutinefunction(function) else sync_wrapper


@contextlib.contextmanager
def stage_timers(clock: StageClock):
    """Wrap the functions every notebook run goes through, old runner or new, with timers.

    Kernel start is the launch plus the wait until the kernel answers; the papermill saves
    are every ``write_ipynb`` (papermill's engines and its final write); cells are
    nbclient's ``execute_cell``, which includes the round trips to the kernel.
    """
    import nbclient
    import papermill.engines
    import papermill.execute
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    patches = [
        (AsyncKernelManager, "start_kernel", "kernel start"),
        (AsyncKernelClient, "wait_for_ready", "kernel start"),
        (AsyncKernelManager, "shutdown_kernel", "kernel stop"),
        (nbclient.NotebookClient, "execute_cell", "cells"),
        (papermill.engines, "write_ipynb", "papermill saves"),
        (papermill.execute, "write_ipynb", "papermill saves"),
        (runner, "notebook_to_html", "export"),
    ]
    warm_kernel = getattr(runner, "WarmKernel", None)
    if warm_kernel is not None:
        patches.append((warm_kernel, "reset", "namespace reset"))
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, stage in patches:
            setattr(owner, name, _timed(clock, stage, getattr(owner, name)))
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def import_seconds(job) -> tuple[float, float]:
    """Seconds of imports in a fresh kernel: during its start, and during one notebook run.

    The kernel runs with ``PYTHONPROFILEIMPORTTIME`` and fd capture off, so Python writes
    every import's cumulative time to the kernel's stderr; a marker written by an extra
    first cell splits start-up imports from the notebook's own (including lazy ones, such
    as ``scipy.stats`` imported by a function on first call).
    """
    import nbformat
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = parameterize_notebook(load_notebook_node(str(job.notebook)), job.parameters)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(
        f"import sys; sys.__stderr__.write('{IMPORT_MARK}\\n'); sys.__stderr__.flush()"))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        client = NotebookClient(notebook, kernel_name="python3", timeout=runner.CELL_TIMEOUT_SECONDS,
                                extra_arguments=["--IPKernelApp.capture_fd_output=False"],
                                resources={"metadata": {"path": str(job.cwd)}})
        client.execute(env=os.environ | {"PYTHONPROFILEIMPORTTIME": "1"}, stderr=log)
        log.seek(0)
        lines = log.read().splitlines()
    mark = next(i for i, line in enumerate(lines) if IMPORT_MARK in line)
    return _top_level_import_seconds(lines[:mark]), _top_level_import_seconds(lines[mark:])


def _top_level_import_seconds(lines: list[str]) -> float:
    # "import time: self [us] | cumulative | name": nested imports are indented further, so
    # summing the cumulative times of the least indented names counts each import once.
    total = 0
    for line in lines:
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            total += int(cumulative)
    return total / 1e6


STAGES = ["kernel start", "namespace reset", "cells", "papermill saves", "export", "kernel stop", "other"]


def stages(data, territories: int) -> int:
    with tempfile.TemporaryDirectory() as out:
        out = Path(out)
        # The cache and tables the notebooks read, as build_reports prepares them.
        processed = out / runner.PROCESSED_SUBDIR
        data = open_dataset(data.data_dir, processed_root=processed)
        runner.write_plotly_asset(out)
        jobs = runner.plan_jobs(data, data.treated_ids[:territories], out, lang="fr", alpha=0.05, seed=20170101,
                                allow_series_break=False, self_contained=False, processed_dir=processed)
        clock = StageClock()
        rows = []
        with stage_timers(clock):
            for job in jobs:
                outcome = runner.run_job(job)
                if not outcome.ok:
                    print(f"{job.name} failed: {outcome.error}", file=sys.stderr)
                    return 1
                seconds, calls = clock.take()
                seconds["other"] = outcome.seconds - sum(seconds.values())
                rows.append((job.name, outcome.seconds, seconds, calls))
        shutdown = getattr(runner, "shutdown_warm_kernel", None)
        if shutdown is not None:
            shutdown()
        kernel_imports, notebook_imports = import_seconds(jobs[-1])

    print(f"{'notebook':<28} {'total':>6} " + " ".join(f"{s:>15}" for s in STAGES) + "  saves")
    for name, total, seconds, calls in rows:
        print(f"{name[:28]:<28} {total:>6.2f} " + " ".join(f"{seconds.get(s, 0):>15.2f}" for s in STAGES)
              + f"  {calls.get('papermill saves', 0):>5}")
    territory_rows = rows[2:]
    if territory_rows:
        print(f"{'territory median':<28} {statistics.median(r[1] for r in territory_rows):>6.2f} "
              + " ".join(f"{statistics.median(r[2].get(s, 0) for r in territory_rows):>15.2f}" for s in STAGES)
              + f"  {statistics.median(r[3].get('papermill saves', 0) for r in territory_rows):>5.0f}")
    print(f"imports in a fresh kernel: {kernel_imports:.2f} s while it starts (inside 'kernel start'), "
          f"{notebook_imports:.2f} s during one territory notebook (inside 'cells' when the kernel is fresh)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--batch", action="store_true", help="every demo report, through the command line")
    parser.add_argument("--one", action="store_true", help="reports --territory <first demo territory>")
    parser.add_argument("--rerun", action="store_true",
                        help="with --batch/--one: run again into the same folder (stored analyses reused)")
    parser.add_argument("--stages", type=int, metavar="K", default=None,
                        help="per-stage breakdown over the summary, the scale gap and K territories")
    args = parser.parse_args(argv)
    if args.sizes is None and not (args.batch or args.one or args.stages is not None):
        args.sizes = [1, 5, 20]
    head = subprocess.run(["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True,
                          cwd=Path(__file__).parent).stdout.strip()
    threads = {name: os.environ[name] for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
               if name in os.environ}
    print(f"tzeval from {Path(tzeval.__file__).parent}; checkout HEAD {head[:80]}; {os.cpu_count()} cores; "
          f"BLAS thread variables set by the caller: {threads or 'none'}")
    data = open_dataset()
    status = 0
    if args.stages is not None:
        status |= stages(data, args.stages)
    if args.one:
        status |= batch(["--territory", data.treated_ids[0]], "one territory", 2 if args.rerun else 1)
    if args.batch:
        status |= batch([], "whole batch", 2 if args.rerun else 1)
    if args.sizes:
        status |= scaling(data, args.sizes)
    return status


if __name__ == "__main__":
    sys.exit(main())
