"""Running the report notebooks for every territory, in parallel, without losing a report.

The notebooks run in a pool of worker processes. Each worker starts one Jupyter kernel and
keeps it for all the notebooks it is given: between two notebooks the kernel's namespace is
reset, so a notebook sees what a fresh kernel would show it, while the modules it imported
stay loaded (kernel start and imports cost more than most reports' own work). papermill
still fills in the parameters and records each cell's timing; the executed notebook is
written once, at the end. Each report's HTML is written to a temporary file and renamed over
the previous report only on success, so a failing territory keeps its last good report, and
the others still complete.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.util
import os
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from papermill.engines import Engine, NotebookExecutionManager, papermill_engines

from .. import atomic
from ..dataset import Dataset
from ..i18n import check_language
from ..paths import NOTEBOOKS_DIR, UnsafeIdentifierError, is_safe_id, territory_file
from ..processed import open_dataset
from ..territory_effects import territory_effects
from .render import PLOTLY_ASSET, notebook_to_html, write_plotly_asset

if TYPE_CHECKING:
    from nbformat import NotebookNode

TERRITORY_NOTEBOOK = "territory_report.ipynb"
SUMMARY_NOTEBOOK = "summary.ipynb"
SCALE_GAP_NOTEBOOK = "scale_gap.ipynb"
RESULTS_FILE = Path("results") / "territory_effects.csv"
COSTS_FILE = Path("results") / "cost_offsets.csv"
PROCESSED_SUBDIR = "processed"
"""The Parquet cache of the data goes to ``<out>/processed``: an evaluator's data are then copied
only next to the reports they asked for, never into the workbook's ``data/processed``."""
KERNEL_NAME = "python3"
CELL_TIMEOUT_SECONDS = 600
KERNEL_START_TIMEOUT_SECONDS = 300
"""papermill's default of 60 s is too short on a loaded two-core machine running a batch."""
KERNEL_START_ATTEMPTS = 2
KERNEL_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying")
NOTEBOOK_ATTEMPTS = 2
"""A notebook whose kernel died under it runs once more, in a new kernel."""
RESET_TIMEOUT_SECONDS = 60
WARM_ENGINE = "tzeval-warm-kernel"
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PROGRESS_LABEL_CHARS = 24
"""Two names of this length still fit beside the bar in a 100-column terminal."""

class ReportRequestError(ValueError):
    """The reports asked for cannot be built (unknown or unsafe territory ids)."""


@dataclass(frozen=True)
class ReportJob:
    """One notebook to run and where its HTML goes."""

    name: str
    notebook: Path
    html_path: Path
    executed_path: Path
    parameters: dict
    title: str
    lang: str
    plotly_href: str | None
    cwd: Path


@dataclass
class ReportOutcome:
    """What became of one report."""

    name: str
    html_path: Path
    ok: bool
    seconds: float
    error: str | None = None

    @property
    def kept_previous(self) -> bool:
        return not self.ok and self.html_path.is_file()


@dataclass
class BuildSummary:
    """Every report's outcome, the effects table and where it was written."""

    out_dir: Path
    outcomes: list[ReportOutcome] = field(default_factory=list)
    effects: pd.DataFrame | None = None
    seconds: float = 0.0
    cost_error: str | None = None

    @property
    def written(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def closing_line(self) -> str:
        return (f"{len(self.written)} reports written, {len(self.failed)} failed "
                f"in {self.seconds:.0f} s; open {self.out_dir / 'index.html'}")


def one_blas_thread(environ: Mapping[str, str]) -> dict[str, str]:
    """The thread variables to add so each worker and kernel uses one BLAS thread.

    Two kernels on two cores, each with a BLAS pool as wide as the machine, spin threads
    against each other; one thread each keeps every core on useful work. Nothing is added
    when the user set any of the variables: that choice is theirs (OpenBLAS falls back on
    ``OMP_NUM_THREADS``, so setting only one of them is a choice too).

    Parameters
    ----------
    environ : mapping
        The environment the workers would inherit, usually ``os.environ``.

    Returns
    -------
    dict
        Variable name to ``"1"`` for each variable to set; empty when the user set one.
    """
    if any(name in environ for name in BLAS_THREAD_VARIABLES):
        return {}
    return dict.fromkeys(BLAS_THREAD_VARIABLES, "1")


@contextlib.contextmanager
def _environment(extra: Mapping[str, str]) -> Iterator[None]:
    """Add ``extra`` to this process's environment while the block runs, then put it back.

    Spawned workers copy the environment when they start, which is inside the block; the
    caller of :func:`build_reports` (a test, a notebook) gets its environment back.
    """
    previous = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _log_worker_stderr(log_path: str) -> None:
    """Send a worker's stderr, and so its kernels', to a log file instead of the terminal.

    Kernels print start-up warnings that would break the progress bar; errors still
    reach the user through the outcome of each job.
    """
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    os.dup2(log.fileno(), 2)


# Runs once in a new kernel. The reset lives in a module of its own (in sys.modules, not in
# the user namespace) so that resetting leaves no name behind for the next notebook to find.
_KERNEL_HELPER = '''
import gc, os, sys, warnings

_sys_path = list(sys.path)
_filters = list(warnings.filters)


def reset(cwd):
    sys.modules["IPython"].get_ipython().reset(new_session=True)  # new session: cells count from 1 again
    sys.path[:] = _sys_path
    warnings.filters[:] = _filters
    # Forget which warnings were already shown, as a new process would.
    getattr(warnings, "_filters_mutated", lambda: None)()
    os.chdir(cwd)
    # What survives a reset is modules and their caches. Collect the last notebook's cycles,
    # then freeze the survivors out of the collector's sight: every later collection (IPython's
    # reset runs one, the notebooks trigger many) then walks only the new notebook's objects,
    # not the ~180,000 of pandas, scipy and plotly (0.15 s a reset before, 0.01 s after).
    gc.collect()
    gc.freeze()


def preload(modules):
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:  # "from a import b" where b is not a module; or a notebook's own error to raise
            pass
    gc.collect()
    gc.freeze()  # as after a reset
'''
_INSTALL_HELPER = (
    "__import__('sys').modules['_tzeval_warm_kernel'] = __import__('types').ModuleType('_tzeval_warm_kernel'); "
    f"exec({_KERNEL_HELPER!r}, __import__('sys').modules['_tzeval_warm_kernel'].__dict__)"
)
_RESET = "__import__('sys').modules['_tzeval_warm_kernel'].reset({cwd!r})"
_PRELOAD = "__import__('sys').modules['_tzeval_warm_kernel'].preload({modules!r})"


class KernelResetError(RuntimeError):
    """A warm kernel could not be put back as a fresh one left it (or died between notebooks).

    The runner then replaces it by a new kernel.
    """


class WarmKernel:
    """One Jupyter kernel a worker keeps for all its notebooks.

    Parameters
    ----------
    cwd : path
        The kernel's working directory (each reset goes back to the next notebook's).
    start_timeout : float
        Seconds to wait for the kernel to answer once launched.

    Raises
    ------
    RuntimeError
        When the kernel does not start (jupyter_client's "Kernel didn't respond ...").
    """

    def __init__(self, cwd: Path | str, *, start_timeout: float = KERNEL_START_TIMEOUT_SECONDS):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        self.kc = None
        self.used = False
        run_sync(self._start)(Path(cwd), start_timeout)

    async def _start(self, cwd: Path, start_timeout: float) -> None:
        await self.km.start_kernel(
            cwd=str(cwd), env=os.environ | one_blas_thread(os.environ),
            # As nbclient does: the kernel's input history stays in memory, not in ~/.ipython.
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        try:
            self.kc = self.km.client()
            self.kc.allow_stdin = False
            self.kc.start_channels()
            await self.kc.wait_for_ready(timeout=start_timeout)
            await self._execute(_INSTALL_HELPER)
        except BaseException:
            await self._shutdown(now=True)
            raise

    async def _execute(self, code: str) -> None:
        reply = await self.kc.execute_interactive(code, silent=True, store_history=False,
                                                  timeout=RESET_TIMEOUT_SECONDS, output_hook=lambda msg: None)
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelResetError(f"{content.get('ename')}: {content.get('evalue')}")

    @property
    def pid(self) -> int | None:
        """The kernel's process id (for tests and logs)."""
        return getattr(getattr(self.km, "provisioner", None), "pid", None)

    def is_alive(self) -> bool:
        """Whether the kernel process still runs (the system may have killed it between notebooks)."""
        return self._run_sync(self.km.is_alive)()

    def reset(self, cwd: Path | str) -> None:
        """Clear what the last notebook left: user namespace, cwd, sys.path, warning filters.

        Modules stay imported, which is the point; module-level state other than this
        list (a library option a notebook changed, say) is not put back.
        """
        if self.used:
            self._run_sync(self._execute)(_RESET.format(cwd=str(Path(cwd))))
            self.used = False

    def preload(self, modules: Iterable[str]) -> None:
        """Import ``modules`` in the kernel, without binding any name in its namespace."""
        self._run_sync(self._execute)(_PRELOAD.format(modules=tuple(modules)))

    async def _shutdown(self, now: bool) -> None:
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()
            if await self.km.is_alive():
                await self.km.shutdown_kernel(now=now)
        with contextlib.suppress(Exception):
            await self.km.cleanup_resources()

    def shutdown(self, *, now: bool = False) -> None:
        """Stop the kernel; ``now`` kills it without asking it to exit first."""
        self._run_sync(self._shutdown)(now)


class _WarmKernelEngine(Engine):
    """papermill engine running a notebook in a :class:`WarmKernel` it is handed.

    papermill keeps doing everything but starting and stopping the kernel: parameters,
    cell timings in the notebook's metadata, error cells and the final write.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man: NotebookExecutionManager, kernel_name: str, log_output: bool = False,
                                 stdout_file=None, stderr_file=None, start_timeout: float = 60,
                                 execution_timeout: float | None = None, warm_kernel: WarmKernel | None = None,
                                 **kwargs) -> NotebookNode:
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.log import logger

        client = PapermillNotebookClient(
            nb_man, km=warm_kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        # nbclient keeps a kernel manager it was given alive; handing it the client too keeps
        # the same channels instead of opening new ones per notebook.
        client.kc = warm_kernel.kc
        warm_kernel.used = True
        return client.execute()


papermill_engines.register(WARM_ENGINE, _WarmKernelEngine)

_warm_kernel: WarmKernel | None = None


def shutdown_warm_kernel(*, now: bool = False) -> None:
    """Stop this process's warm kernel, if it has one; the next notebook starts another."""
    global _warm_kernel
    kernel, _warm_kernel = _warm_kernel, None
    if kernel is not None:
        kernel.shutdown(now=now)


def _start_kernel(cwd: Path) -> WarmKernel:
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return WarmKernel(cwd)
        except RuntimeError as error:
            # A kernel that never started is a machine hiccup, not a report error:
            # nothing ran, so starting again is safe.
            if attempt == KERNEL_START_ATTEMPTS or not _is_kernel_start_failure(error):
                raise
    raise AssertionError("unreachable")


def _kernel_for(cwd: Path) -> WarmKernel:
    """This process's warm kernel, reset for a new notebook; a new one if it died or is stuck."""
    global _warm_kernel
    if _warm_kernel is not None:
        try:
            if not _warm_kernel.is_alive():
                raise KernelResetError("the kernel died between two notebooks")
            _warm_kernel.reset(cwd)
            return _warm_kernel
        except Exception:
            shutdown_warm_kernel(now=True)
    _warm_kernel = _start_kernel(cwd)
    return _warm_kernel


def _execute(job: ReportJob) -> NotebookNode:
    """Run ``job``'s notebook in the warm kernel; return the executed notebook."""
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(1, NOTEBOOK_ATTEMPTS + 1):
        kernel = _kernel_for(job.cwd)
        try:
            # No save after each cell: the executed notebook is written once, at the end.
            return papermill.execute_notebook(
                str(job.notebook), str(job.executed_path), parameters=job.parameters,
                engine_name=WARM_ENGINE, warm_kernel=kernel, kernel_name=KERNEL_NAME,
                request_save_on_cell_execute=False, autosave_cell_every=0,
                progress_bar=False, log_output=False, execution_timeout=CELL_TIMEOUT_SECONDS,
            )
        except PapermillExecutionError:
            raise  # a cell raised: the report fails, and the kernel is fine for the next one
        except DeadKernelError:
            shutdown_warm_kernel(now=True)
            if attempt == NOTEBOOK_ATTEMPTS:
                raise
        except BaseException:
            # A cell that timed out is still running: that kernel cannot serve the next notebook.
            shutdown_warm_kernel(now=True)
            raise
    raise AssertionError("unreachable")


def run_job(job: ReportJob) -> ReportOutcome:
    """Execute one notebook in this process's warm kernel and write its HTML atomically; never raises."""
    started = time.perf_counter()
    try:
        job.executed_path.parent.mkdir(parents=True, exist_ok=True)
        notebook = _execute(job)
        html = notebook_to_html(notebook, title=job.title, lang=job.lang, plotly_href=job.plotly_href)
        atomic.write_text(job.html_path, html)
    except Exception as error:  # one failing report must not stop the batch
        return ReportOutcome(job.name, job.html_path, ok=False, seconds=time.perf_counter() - started,
                             error=_describe_error(error))
    return ReportOutcome(job.name, job.html_path, ok=True, seconds=time.perf_counter() - started)


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The modules the code cells of ``notebooks`` may import at top level, in order of appearance.

    ``from a import b`` gives ``a`` and ``a.b``, which is a module or not (the kernel skips
    what it cannot import). Cells that are not Python (magics) are skipped; imports inside
    functions are left to the notebooks.
    """
    import ast

    import nbformat

    modules: dict[str, None] = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules[node.module] = None
                    modules.update(dict.fromkeys(f"{node.module}.{alias.name}" for alias in node.names))
    return list(modules)


def warm_up(cwd: Path | str, modules: Iterable[str]) -> None:
    """Start this process's warm kernel and import ``modules`` in it, before any notebook asks.

    Never raises: a kernel that cannot start or a module that cannot be imported shows up,
    and is retried, in the first notebook.
    """
    with contextlib.suppress(Exception):
        _kernel_for(Path(cwd)).preload(modules)


def _init_worker(log_path: str, cwd: str, modules: tuple[str, ...]) -> None:
    """Set up a pool worker: stderr to the kernels' log, a warm kernel ready, stopped when it exits."""
    _log_worker_stderr(log_path)
    # os._exit ends pool workers, so atexit would not run; multiprocessing's finalizers do.
    multiprocessing.util.Finalize(None, shutdown_warm_kernel, exitpriority=10)
    warm_up(cwd, modules)


def _is_kernel_start_failure(error: Exception) -> bool:
    return any(message in str(error) for message in KERNEL_START_FAILURES)


def _describe_error(error: Exception) -> str:
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def check_territory_ids(data: Dataset, territory_ids: list[str] | None) -> list[str]:
    """Return the treated territories to report on, refusing unsafe or unknown ids."""
    if not territory_ids:
        return data.treated_ids
    unsafe = [t for t in territory_ids if not is_safe_id(t)]
    if unsafe:
        raise ReportRequestError(
            f"not a territory id (only letters, digits, '_' and '-' are allowed): {', '.join(map(repr, unsafe))}"
        )
    treated = set(data.treated_ids)
    unknown = [t for t in territory_ids if t not in treated]
    if unknown:
        known = ", ".join(data.treated_ids[:5])
        raise ReportRequestError(
            f"no treated territory with id {', '.join(map(repr, unknown))} in {data.data_dir} "
            f"(treated territories include {known}, ...; python -m tzeval validate --data-dir {data.data_dir} "
            "lists them all)"
        )
    return list(dict.fromkeys(territory_ids))


def plan_jobs(data: Dataset, territory_ids: list[str], out_dir: Path, *, lang: str, alpha: float, seed: int,
              allow_series_break: bool, self_contained: bool, notebooks_dir: Path = NOTEBOOKS_DIR,
              processed_dir: Path | str | None = None, unit_costs: Path | str | None = None,
              public_dir: Path | str | None = None) -> list[ReportJob]:
    """The summary job, the scale-gap job and one job per territory.

    Parameters
    ----------
    processed_dir, unit_costs, public_dir : path, optional
        Passed to every notebook as the string parameters of the same names (absolute,
        since notebooks run from ``notebooks_dir``); left out when None, so the notebook
        keeps its own default.
    """
    common = {"data_dir": str(Path(data.data_dir).resolve()), "alpha": alpha, "seed": seed, "lang": lang}
    if allow_series_break:
        common["allow_series_break"] = True
    for name, value in (("processed_dir", processed_dir), ("unit_costs", unit_costs), ("public_dir", public_dir)):
        if value is not None:
            common[name] = str(Path(value).resolve())
    work_dir = out_dir / "notebooks"
    top_level_href = None if self_contained else f"assets/{PLOTLY_ASSET}"
    territory_href = None if self_contained else f"../assets/{PLOTLY_ASSET}"
    jobs = [ReportJob(
        name="summary", notebook=notebooks_dir / SUMMARY_NOTEBOOK, html_path=out_dir / "summary.html",
        executed_path=work_dir / "summary.ipynb", parameters=common, title="summary", lang=lang,
        plotly_href=top_level_href, cwd=notebooks_dir,
    )]
    jobs.append(ReportJob(
        name="scale_gap", notebook=notebooks_dir / SCALE_GAP_NOTEBOOK, html_path=out_dir / "scale_gap.html",
        executed_path=work_dir / "scale_gap.ipynb", parameters=common, title="scale gap", lang=lang,
        plotly_href=top_level_href, cwd=notebooks_dir,
    ))
    for territory_id in territory_ids:
        jobs.append(ReportJob(
            name=territory_id, notebook=notebooks_dir / TERRITORY_NOTEBOOK,
            html_path=territory_file(out_dir / "territories", territory_id, ".html"),
            executed_path=territory_file(work_dir, territory_id, ".ipynb"),
            parameters=common | {"territory_id": territory_id},
            title=str(data.territory(territory_id)["name"]), lang=lang,
            plotly_href=territory_href, cwd=notebooks_dir,
        ))
    return jobs


def write_cost_offsets(data, path: Path, *, seed: int, unit_costs: Path | str | None = None) -> str | None:
    """Write the cost results table (every territory-year, then national rows); return the error, if any.

    A unit-cost table that cannot cover the data (a missing rate or deflator) leaves the
    previous file in place and is reported, without stopping the reports. Data where no
    EBE has employed anyone give the header alone: a previous file would describe other
    data. ``unit_costs`` is the unit-cost table's path; None uses the shipped one.
    """
    from ..costs import CostDataError, MissingRateError
    from ..costs.result import RESULTS_COLUMNS
    from ..territory_costs import national_costs

    try:
        costs = national_costs(data, seed=seed, unit_costs=unit_costs)
    except (CostDataError, MissingRateError) as error:
        return str(error)
    table = pd.DataFrame(columns=list(RESULTS_COLUMNS)) if costs is None else costs.results_table()
    atomic.write_text(path, table.to_csv(index=False, lineterminator="\n"))
    return None


def check_tables(unit_costs: Path | str | None = None, public_dir: Path | str | None = None) -> None:
    """Check the unit-cost and programme tables the reports will read, before anything runs.

    Every report reads the unit-cost table, so a broken one would otherwise fail every
    notebook, one by one, after minutes of work; the same holds for the scale-gap page
    and the programme table.

    Raises
    ------
    tzeval.costs.CostDataError
        When the unit-cost table breaks a rule (each problem with its file, row and column).
    tzeval.scale_gap.ProgrammeTableError
        When the programme table breaks a rule.
    """
    from ..costs import load_unit_costs
    from ..scale_gap import load_programmes

    load_unit_costs(unit_costs)
    load_programmes(public_dir)


def _run_all(pool, planned: list[ReportJob], workers: int) -> Iterator[tuple[ReportOutcome, list[ReportJob]]]:
    """Run every job, no more at once than there are workers; yield each outcome as it comes.

    Holding back the jobs no worker is free for means the ones in flight are the ones
    running, so the progress bar can name them. Also yields the jobs still running.
    """
    waiting = deque(planned)
    running: dict[Future, ReportJob] = {}

    def submit_next() -> None:
        job = waiting.popleft()
        running[pool.submit(run_job, job)] = job

    while waiting and len(running) < workers:
        submit_next()
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        finished = [future for future in running if future in done]  # in the order they were submitted
        for future in finished:
            del running[future]
            if waiting:
                submit_next()
        for future in finished:
            yield future.result(), list(running.values())


def progress_note(running: Iterable[ReportJob], last: str) -> str:
    """The progress bar's postfix: the reports running now, else the last one finished (issue 12)."""
    def label(name: str) -> str:
        return name if len(name) <= PROGRESS_LABEL_CHARS else name[:PROGRESS_LABEL_CHARS - 1] + "…"

    names = [label(job.name) for job in running]
    return f"running: {', '.join(names)}" if names else f"last: {label(last)}"


def build_reports(
    data_dir: Path | str | None = None,
    out_dir: Path | str = "reports",
    *,
    territory_ids: list[str] | None = None,
    lang: str = "fr",
    alpha: float = 0.05,
    seed: int = 20170101,
    jobs: int | None = None,
    allow_series_break: bool = False,
    self_contained: bool = False,
    progress: bool = True,
    unit_costs: Path | str | None = None,
    public_dir: Path | str | None = None,
) -> BuildSummary:
    """Build the summary, one report per territory, the effects table and the index.

    The Parquet cache of the data is kept in ``<out_dir>/processed``.

    Parameters
    ----------
    unit_costs : path, optional
        The unit-cost table (CSV) for the cost results and every notebook; None uses the
        shipped ``data/raw/unit_costs.csv``.
    public_dir : path, optional
        The folder holding ``programmes.csv`` (or that file) for the scale-gap page; None
        uses the shipped ``data/raw/public/``.

    Raises
    ------
    DataValidationError
        When the data break the contract; nothing is written then.
    ReportRequestError
        When a requested territory id is unsafe or unknown.
    tzeval.costs.CostDataError, tzeval.scale_gap.ProgrammeTableError
        When the unit-cost or programme table breaks a rule; checked first, so nothing is
        written then.
    """
    from tqdm.auto import tqdm

    from .index import write_index

    check_language(lang)
    started = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    check_tables(unit_costs, public_dir)  # the cheapest checks first: a broken table stops us in a second
    processed_dir = out_dir / PROCESSED_SUBDIR
    data = open_dataset(data_dir, allow_series_break=allow_series_break, processed_root=processed_dir)
    selected = check_territory_ids(data, territory_ids)
    planned = plan_jobs(data, selected, out_dir, lang=lang, alpha=alpha, seed=seed,
                        allow_series_break=allow_series_break, self_contained=self_contained,
                        processed_dir=processed_dir, unit_costs=unit_costs, public_dir=public_dir)
    summary = BuildSummary(out_dir=out_dir)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(planned)))
    log_path = out_dir / "notebooks" / "kernels.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    preload = tuple(notebook_imports(dict.fromkeys(job.notebook for job in planned)))
    with tqdm(total=len(planned), desc="reports", unit="report", disable=not progress) as bar, \
            _environment(one_blas_thread(os.environ)), \
            ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                initializer=_init_worker,
                                initargs=(str(log_path), str(planned[0].cwd), preload)) as pool:
        # Workers start when given work: start them all now, so their kernels start and import
        # what the notebooks import while this process estimates every territory.
        for _ in range(workers):
            pool.submit(os.getpid)
        summary.effects = territory_effects(data, alpha=alpha, seed=seed)
        atomic.write_text(out_dir / RESULTS_FILE, summary.effects.to_csv(index=False, lineterminator="\n"))
        summary.cost_error = write_cost_offsets(data, out_dir / COSTS_FILE, seed=seed, unit_costs=unit_costs)
        if not self_contained:
            write_plotly_asset(out_dir)
        for outcome, running in _run_all(pool, planned, workers):
            summary.outcomes.append(outcome)
            if not outcome.ok:
                bar.write(f"FAILED {outcome.name}: {outcome.error}")
            bar.update(1)
            bar.set_postfix_str(progress_note(running, outcome.name))
    order = {job.name: i for i, job in enumerate(planned)}
    summary.outcomes.sort(key=lambda o: order[o.name])
    summary.seconds = time.perf_counter() - started
    write_index(data, summary, lang=lang, self_contained=self_contained)
    return summary


__all__ = ["BuildSummary", "ReportOutcome", "ReportRequestError", "UnsafeIdentifierError", "WarmKernel",
           "build_reports", "check_tables", "notebook_imports", "one_blas_thread", "run_job", "shutdown_warm_kernel",
           "warm_up"]
