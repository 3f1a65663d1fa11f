"""Rendering many reports cheaply (issue 13): one warm kernel per worker, reset between notebooks.

The fast tests replace the kernel and papermill by fakes to check the runner's decisions
(retry a kernel that did not start or died, keep a kernel after a cell error, one save per
notebook, one BLAS thread, the progress bar's names). The slow ones run real kernels: no
state passes from one notebook to the next, and demo pages do not depend on the order in
which one kernel renders them.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tzeval.report import runner


@pytest.fixture(autouse=True)
def no_warm_kernel_left(monkeypatch):
    """Each test starts without a warm kernel in this process, and leaves none running."""
    monkeypatch.setattr(runner, "_warm_kernel", None)
    yield
    runner.shutdown_warm_kernel(now=True)


def _job(tmp_path: Path, name: str, notebook: Path, parameters: dict | None = None) -> runner.ReportJob:
    return runner.ReportJob(
        name=name, notebook=notebook, html_path=tmp_path / "html" / f"{name}.html",
        executed_path=tmp_path / "work" / f"{name}.ipynb", parameters=parameters or {}, title=name, lang="en",
        plotly_href="assets/plotly.js", cwd=tmp_path,
    )


# One BLAS thread


def test_one_blas_thread_only_when_the_user_set_none():
    assert runner.one_blas_thread({"PATH": "/bin"}) == {
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    # OpenBLAS reads OMP_NUM_THREADS when its own variable is unset: a user's OMP choice stands.
    assert runner.one_blas_thread({"OMP_NUM_THREADS": "2"}) == {}
    assert runner.one_blas_thread({"OPENBLAS_NUM_THREADS": "4"}) == {}


def test_spawned_workers_get_one_blas_thread_and_the_caller_keeps_its_environment(monkeypatch):
    import os

    for name in runner.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with runner._environment(runner.one_blas_thread(os.environ)), \
            ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert [pool.submit(os.getenv, name).result(timeout=120) for name in runner.BLAS_THREAD_VARIABLES] == \
            ["1", "1", "1"]
    assert not set(runner.BLAS_THREAD_VARIABLES) & set(os.environ), "the caller's environment is put back"

    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    with runner._environment(runner.one_blas_thread(os.environ)), \
            ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert [pool.submit(os.getenv, name).result(timeout=120) for name in runner.BLAS_THREAD_VARIABLES] == \
            [None, "2", None]


# The runner's decisions, with a fake kernel and a fake papermill


@pytest.fixture
def fake_kernels(monkeypatch):
    """Replace WarmKernel by a fake; ``starts_to_fail`` kernels fail to start first."""

    class FakeKernel:
        made: list[FakeKernel] = []
        starts_to_fail = 0

        def __init__(self, cwd, **kwargs):
            if FakeKernel.starts_to_fail:
                FakeKernel.starts_to_fail -= 1
                raise RuntimeError("Kernel didn't respond in 300 seconds")
            self.stopped = False
            self.resets = 0
            FakeKernel.made.append(self)

        def is_alive(self):
            return not self.stopped

        def reset(self, cwd):
            self.resets += 1

        def shutdown(self, *, now=False):
            self.stopped = True

    monkeypatch.setattr(runner, "WarmKernel", FakeKernel)
    return FakeKernel


@pytest.fixture
def fake_papermill(monkeypatch):
    """papermill.execute_notebook replaced: ``script`` holds what each call raises (None: succeed)."""
    import papermill

    calls = []
    script: list[BaseException | None] = []

    def execute(source, target, **kwargs):
        calls.append(kwargs)
        outcome = script.pop(0) if script else None
        if outcome is not None:
            raise outcome
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("ok")])
        nbformat.write(notebook, target)
        return notebook

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    return calls, script


def test_notebooks_share_one_kernel_and_papermill_saves_once(tmp_path, fake_kernels, fake_papermill):
    calls, _ = fake_papermill
    notebook = tmp_path / "any.ipynb"
    for name in ("first", "second", "third"):
        assert runner.run_job(_job(tmp_path, name, notebook)).ok
    assert len(fake_kernels.made) == 1
    assert {id(call["warm_kernel"]) for call in calls} == {id(fake_kernels.made[0])}
    assert fake_kernels.made[0].resets == 2, "reset before every notebook but the first"
    for call in calls:
        assert call["engine_name"] == runner.WARM_ENGINE
        assert call["request_save_on_cell_execute"] is False and call["autosave_cell_every"] == 0
    assert (tmp_path / "html" / "third.html").is_file()


def test_a_kernel_that_does_not_start_is_started_again(tmp_path, fake_kernels, fake_papermill):
    fake_kernels.starts_to_fail = 1
    outcome = runner.run_job(_job(tmp_path, "scale_gap", tmp_path / "any.ipynb"))
    assert outcome.ok and (tmp_path / "html" / "scale_gap.html").is_file()
    assert len(fake_kernels.made) == 1 and fake_kernels.starts_to_fail == 0


def test_a_kernel_that_never_starts_fails_the_report_after_two_tries(tmp_path, fake_kernels, fake_papermill):
    fake_kernels.starts_to_fail = runner.KERNEL_START_ATTEMPTS + 1
    outcome = runner.run_job(_job(tmp_path, "scale_gap", tmp_path / "any.ipynb"))
    assert not outcome.ok and "Kernel didn't respond" in outcome.error
    assert fake_kernels.starts_to_fail == 1 and not fake_papermill[0]


def test_a_notebook_whose_kernel_died_runs_again_in_a_new_kernel(tmp_path, fake_kernels, fake_papermill):
    from nbclient.exceptions import DeadKernelError

    calls, script = fake_papermill
    script.append(DeadKernelError("Kernel died"))
    outcome = runner.run_job(_job(tmp_path, "t1", tmp_path / "any.ipynb"))
    assert outcome.ok and len(calls) == 2
    first, second = fake_kernels.made
    assert first.stopped and not second.stopped
    assert calls[0]["warm_kernel"] is first and calls[1]["warm_kernel"] is second


def test_a_kernel_that_dies_twice_fails_the_report_only(tmp_path, fake_kernels, fake_papermill):
    from nbclient.exceptions import DeadKernelError

    calls, script = fake_papermill
    script.extend([DeadKernelError("Kernel died"), DeadKernelError("Kernel died")])
    outcome = runner.run_job(_job(tmp_path, "t1", tmp_path / "any.ipynb"))
    assert not outcome.ok and "Kernel died" in outcome.error and len(calls) == 2
    assert runner.run_job(_job(tmp_path, "t2", tmp_path / "any.ipynb")).ok, "the next report gets a new kernel"
    assert len(fake_kernels.made) == 3


def test_a_cell_error_fails_the_report_once_and_keeps_the_kernel(tmp_path, fake_kernels, fake_papermill):
    from papermill.exceptions import PapermillExecutionError

    calls, script = fake_papermill
    script.append(PapermillExecutionError(3, 4, "x = 1 / 0", "EstimationError", "no pre-period", []))
    outcome = runner.run_job(_job(tmp_path, "t1", tmp_path / "any.ipynb"))
    assert not outcome.ok and outcome.error == "EstimationError: no pre-period" and len(calls) == 1
    assert runner.run_job(_job(tmp_path, "t2", tmp_path / "any.ipynb")).ok
    assert len(fake_kernels.made) == 1 and not fake_kernels.made[0].stopped


def test_other_errors_are_not_retried_and_replace_the_kernel(tmp_path, fake_kernels, fake_papermill):
    calls, script = fake_papermill
    script.append(TimeoutError("Cell execution timed out"))
    outcome = runner.run_job(_job(tmp_path, "t1", tmp_path / "any.ipynb"))
    assert not outcome.ok and "timed out" in outcome.error and len(calls) == 1
    assert fake_kernels.made[0].stopped, "a cell still running makes the kernel unusable"
    assert not (tmp_path / "html" / "t1.html").exists()


def test_a_kernel_found_dead_between_notebooks_is_replaced(tmp_path, fake_kernels, fake_papermill):
    assert runner.run_job(_job(tmp_path, "t1", tmp_path / "any.ipynb")).ok
    fake_kernels.made[0].stopped = True  # as if killed by the system
    assert runner.run_job(_job(tmp_path, "t2", tmp_path / "any.ipynb")).ok
    assert len(fake_kernels.made) == 2 and fake_papermill[0][1]["warm_kernel"] is fake_kernels.made[1]


def test_notebook_imports_lists_top_level_imports_in_order(tmp_path):
    notebook = _notebook(tmp_path / "imports.ipynb", "import json, os.path\nfrom tzeval import plots as p, display",
                         "%matplotlib inline", "def f():\n    import secrets\nfrom . import nothing\nimport json")
    assert runner.notebook_imports([notebook]) == ["json", "os.path", "tzeval", "tzeval.plots", "tzeval.display"]


# The progress bar (issue 12)


class _InlinePool:
    def __init__(self):
        self.submitted = []

    def submit(self, fn, *args):
        if args:  # not the calls that only start the workers
            self.submitted.append(args[0].name)
        future = Future()
        future.set_result(fn(*args))
        return future


def test_no_more_jobs_in_flight_than_workers_and_the_bar_names_them(tmp_path, monkeypatch):
    def fake_run_job(job):
        return runner.ReportOutcome(job.name, job.html_path, ok=job.name != "t2", seconds=0.0, error="boom")

    monkeypatch.setattr(runner, "run_job", fake_run_job)
    jobs = [_job(tmp_path, name, tmp_path / "any.ipynb") for name in ("summary", "scale_gap", "t1", "t2", "t3")]
    pool = _InlinePool()
    seen = []
    for outcome, running in runner._run_all(pool, jobs, workers=2):
        seen.append((outcome.name, [job.name for job in running], len(pool.submitted)))
    # Each finished job frees its worker for the next one (this pool finishes jobs as they are
    # submitted, so wait() returns two at a time); never more than two jobs in flight.
    assert seen == [("summary", ["t1", "t2"], 4), ("scale_gap", ["t1", "t2"], 4),
                    ("t1", ["t3"], 5), ("t2", ["t3"], 5), ("t3", [], 5)]
    assert runner.progress_note(jobs[1:3], "summary") == "running: scale_gap, t1"
    assert runner.progress_note([], "t3") == "last: t3"
    assert runner.progress_note([_job(tmp_path, "x" * 60, tmp_path)], "t3") == f"running: {'x' * 23}…"


def test_build_reports_progress_bar_names_reports_and_writes_failures(small_dataset, tmp_path, monkeypatch, capsys):
    from tzeval.costs import DEFAULT_UNIT_COSTS
    from tzeval.scale_gap import PUBLIC_DIR

    class InlineExecutor(_InlinePool):
        def __init__(self, *args, **kwargs):
            super().__init__()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_run_job(job):
        failing = job.name not in ("summary", "scale_gap")
        return runner.ReportOutcome(job.name, job.html_path, ok=not failing, seconds=0.0,
                                    error="EstimationError: no pre-period" if failing else None)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", InlineExecutor)
    monkeypatch.setattr(runner, "run_job", fake_run_job)
    monkeypatch.setenv("COLUMNS", "300")  # tqdm trims the bar to the terminal's width
    summary = runner.build_reports(small_dataset, tmp_path / "out", progress=True, territory_ids=None,
                                   unit_costs=DEFAULT_UNIT_COSTS, public_dir=PUBLIC_DIR, jobs=2)
    out, err = capsys.readouterr()
    territories = [o.name for o in summary.failed]
    assert [line for line in out.splitlines() if line.startswith("FAILED")] == [
        f"FAILED {territory}: EstimationError: no pre-period" for territory in territories]
    assert f"running: {territories[0]}, {territories[1]}]" in err, err
    assert f"last: {territories[-1]}]" in err


# Real kernels


def _notebook(path: Path, *sources: str, parameters: str = "") -> Path:
    cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), path)
    return path


def _streams(job: runner.ReportJob) -> list[tuple[int | None, str, str]]:
    notebook = nbformat.read(job.executed_path, as_version=4)
    return [(cell.execution_count, output.get("name", ""), output.get("text", ""))
            for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


POLLUTER = """
import os, sys, warnings, helper
leaked = "from the previous notebook"
os.chdir("/")
sys.path.append("/nowhere")
warnings.simplefilter("ignore")
helper.WARNED = True
"""

PROBE_NAMESPACE = """
import os, sys
print(sorted(name for name in globals() if not name.startswith("_")))
print(os.getcwd() == CWD, "/nowhere" in sys.path, len(In))
"""

PROBE_MODULE = """
import helper
print(helper.WARNED)
helper.warn()  # default action: once per location, unless the kernel forgets what it showed
"""

HELPER = """
import warnings
WARNED = False

def warn():
    warnings.warn("shown in every notebook that calls it", UserWarning)
"""


@pytest.mark.slow
def test_no_state_passes_from_one_notebook_to_the_next(tmp_path, monkeypatch):
    (tmp_path / "helper.py").write_text(HELPER)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # helper importable from any cwd
    polluter = _notebook(tmp_path / "polluter.ipynb", POLLUTER)
    probe = _notebook(tmp_path / "probe.ipynb", PROBE_NAMESPACE, PROBE_MODULE, parameters="CWD = None")
    params = {"CWD": str(tmp_path)}

    fresh = _job(tmp_path, "fresh", probe, params)
    assert runner.run_job(fresh).ok
    kernel = runner._warm_kernel.pid
    runner.shutdown_warm_kernel()

    assert runner.run_job(_job(tmp_path, "polluter", polluter)).ok
    after_polluter = _job(tmp_path, "after_polluter", probe, params)
    again = _job(tmp_path, "again", probe, params)
    assert runner.run_job(after_polluter).ok and runner.run_job(again).ok
    assert runner._warm_kernel.pid != kernel, "a second kernel served the second sequence"

    expected = _streams(fresh)
    namespace, module_state, warning = expected
    assert namespace[2].splitlines()[1] == "True False 4", "cwd, sys.path and In of a fresh kernel"
    assert module_state[2] == "False\n"
    assert warning[1] == "stderr" and "shown in every notebook" in warning[2]
    # Module-level state of an imported module (helper.WARNED) is what a reset does not undo.
    assert _streams(after_polluter) == [namespace, (module_state[0], "stdout", "True\n"), warning]
    assert _streams(again) == _streams(after_polluter), "execution counts and once-per-location warnings"


@pytest.mark.slow
def test_a_kernel_that_dies_is_replaced_and_the_notebook_runs_again(tmp_path):
    marker = tmp_path / "died-once"
    dies_once = _notebook(tmp_path / "dies_once.ipynb", """
import os, pathlib
if not pathlib.Path(MARKER).exists():
    pathlib.Path(MARKER).write_text("x")
    os._exit(1)
print("survived")
""", parameters="MARKER = ''")
    always_dies = _notebook(tmp_path / "always_dies.ipynb", """
import os
with open(COUNT, "a") as count:
    count.write("x")
os._exit(1)
""", parameters="COUNT = ''")
    raises = _notebook(tmp_path / "raises.ipynb", "raise ValueError('this report cannot be built')")
    fine = _notebook(tmp_path / "fine.ipynb", "print('fine')")

    assert runner.run_job(_job(tmp_path, "fine0", fine)).ok
    first = runner._warm_kernel.pid
    outcome = runner.run_job(_job(tmp_path, "dies_once", dies_once, {"MARKER": str(marker)}))
    assert outcome.ok, outcome.error
    assert marker.is_file() and runner._warm_kernel.pid != first
    assert _streams(_job(tmp_path, "dies_once", dies_once))[-1][2] == "survived\n"

    count = tmp_path / "count"
    outcome = runner.run_job(_job(tmp_path, "always_dies", always_dies, {"COUNT": str(count)}))
    assert not outcome.ok and "Kernel died" in outcome.error
    assert count.read_text() == "x" * runner.NOTEBOOK_ATTEMPTS

    assert runner.run_job(_job(tmp_path, "fine1", fine)).ok
    kept = runner._warm_kernel.pid
    outcome = runner.run_job(_job(tmp_path, "raises", raises))
    assert not outcome.ok and outcome.error == "ValueError: this report cannot be built"
    assert runner.run_job(_job(tmp_path, "fine2", fine)).ok
    assert runner._warm_kernel.pid == kept, "a cell error does not cost a kernel"


@pytest.mark.slow
def test_kernels_get_one_blas_thread_and_one_save(tmp_path, monkeypatch):
    import papermill.execute

    for name in runner.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    saves = []
    write = papermill.execute.write_ipynb
    monkeypatch.setattr(papermill.execute, "write_ipynb", lambda nb, path: saves.append(path) or write(nb, path))
    notebook = _notebook(tmp_path / "env.ipynb", "import os", "x = 1", "y = 2",
                         "print([os.environ.get(n) for n in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')])")
    job = _job(tmp_path, "env", notebook)
    assert runner.run_job(job).ok
    assert _streams(job)[-1][2] == "['1', '1']\n"
    assert saves == [str(job.executed_path)], "the executed notebook is written once"


@pytest.mark.slow
def test_a_worker_warms_its_kernel_up_without_touching_the_namespace(tmp_path, monkeypatch):
    (tmp_path / "warmed.py").write_text("LOADED = True\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    runner.warm_up(tmp_path, ["warmed", "warmed.not_a_module", "no_such_module"])  # never raises
    kernel = runner._warm_kernel.pid
    probe = _notebook(tmp_path / "probe.ipynb", "import sys\nprint('warmed' in sys.modules, 'warmed' in globals())")
    job = _job(tmp_path, "probe", probe)
    assert runner.run_job(job).ok
    assert runner._warm_kernel.pid == kernel and _streams(job)[-1][2] == "True False\n"
    runner.shutdown_warm_kernel()
    runner.warm_up(tmp_path / "no-such-folder", ["json"])  # a kernel that cannot start: left to the first job
    assert runner._warm_kernel is None


_STAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"  # ISO dates and times
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # plotly's random div ids
    r'|"duration": [0-9.e-]+'  # papermill's run durations
    r"|cell-id=[0-9a-f]{8}\b"  # the id papermill draws for the cell holding the parameters
)


def _page(path: Path) -> str:
    return _STAMP.sub("<stamp>", path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_demo_pages_do_not_depend_on_the_order_one_kernel_renders_them(tmp_path):
    from tzeval import open_dataset
    from tzeval.paths import DEMO_DATA_DIR

    processed = tmp_path / "processed"
    data = open_dataset(DEMO_DATA_DIR, processed_root=processed)  # the cache exists before either run
    pair = [data.treated_ids[0], data.treated_ids[40]]
    pages = {}
    for order in (pair, pair[::-1]):
        out = tmp_path / "-".join(order)
        jobs = runner.plan_jobs(data, order, out, lang="fr", alpha=0.05, seed=20170101, allow_series_break=False,
                                self_contained=False, processed_dir=processed)[2:]
        kernel = None
        for job in jobs:
            outcome = runner.run_job(job)
            assert outcome.ok, outcome.error
            kernel = kernel or runner._warm_kernel.pid
            assert runner._warm_kernel.pid == kernel, "both pages from the same kernel"
            pages[job.name, order[0] == job.name] = (_page(job.html_path), job.executed_path)
        runner.shutdown_warm_kernel()
    for territory in pair:
        fresh, fresh_notebook = pages[territory, True]
        warm, warm_notebook = pages[territory, False]
        assert fresh.count("Plotly.newPlot(") >= 8
        assert warm == fresh, f"{territory}'s page changes when another territory ran before it"
        cells = [[(c.execution_count, c.outputs) for c in nbformat.read(p, as_version=4).cells
                  if c.cell_type == "code"] for p in (fresh_notebook, warm_notebook)]
        assert _STAMP.sub("", repr(cells[1])) == _STAMP.sub("", repr(cells[0]))
    shutil.rmtree(processed)
