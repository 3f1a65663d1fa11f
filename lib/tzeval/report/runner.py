"""Running the report notebooks for every territory, in parallel, without losing a report.

Each notebook runs through papermill in its own worker process. Its HTML is written to a
temporary file and renamed over the previous report only on success, so a failing
territory keeps its last good report, and the others still complete.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import atomic
from ..dataset import Dataset
from ..i18n import check_language
from ..paths import NOTEBOOKS_DIR, UnsafeIdentifierError, is_safe_id, territory_file
from ..processed import open_dataset
from ..territory_effects import territory_effects
from .render import PLOTLY_ASSET, notebook_to_html, write_plotly_asset

TERRITORY_NOTEBOOK = "territory_report.ipynb"
SUMMARY_NOTEBOOK = "summary.ipynb"
SCALE_GAP_NOTEBOOK = "scale_gap.ipynb"
RESULTS_FILE = Path("results") / "territory_effects.csv"
COSTS_FILE = Path("results") / "cost_offsets.csv"
PROCESSED_SUBDIR = "processed"
"""The Parquet cache of the data goes to ``<out>/processed``: an evaluator's data are then copied
only next to the reports they asked for, never into the workbook's ``data/processed``."""
CELL_TIMEOUT_SECONDS = 600
KERNEL_START_TIMEOUT_SECONDS = 300
"""papermill's default of 60 s is too short on a loaded two-core machine running a batch."""
KERNEL_START_ATTEMPTS = 2
KERNEL_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying")


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


def _log_worker_stderr(log_path: str) -> None:
    """Send a worker's stderr, and so its kernels', to a log file instead of the terminal.

    Kernels print start-up warnings that would break the progress bar; errors still
    reach the user through the outcome of each job.
    """
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    os.dup2(log.fileno(), 2)


def run_job(job: ReportJob) -> ReportOutcome:
    """Execute one notebook and write its HTML atomically; never raises."""
    import nbformat
    import papermill

    started = time.perf_counter()
    try:
        job.executed_path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                papermill.execute_notebook(
                    str(job.notebook), str(job.executed_path), parameters=job.parameters,
                    cwd=str(job.cwd), progress_bar=False, log_output=False,
                    execution_timeout=CELL_TIMEOUT_SECONDS, start_timeout=KERNEL_START_TIMEOUT_SECONDS,
                    kernel_name="python3",
                )
                break
            except RuntimeError as error:
                # A kernel that never started is a machine hiccup, not a report error:
                # nothing ran, so starting again is safe.
                if attempt == KERNEL_START_ATTEMPTS or not _is_kernel_start_failure(error):
                    raise
        notebook = nbformat.read(job.executed_path, as_version=4)
        html = notebook_to_html(notebook, title=job.title, lang=job.lang, plotly_href=job.plotly_href)
        atomic.write_text(job.html_path, html)
    except Exception as error:  # one failing report must not stop the batch
        return ReportOutcome(job.name, job.html_path, ok=False, seconds=time.perf_counter() - started,
                             error=_describe_error(error))
    return ReportOutcome(job.name, job.html_path, ok=True, seconds=time.perf_counter() - started)


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
    effects = territory_effects(data, alpha=alpha, seed=seed)
    atomic.write_text(out_dir / RESULTS_FILE, effects.to_csv(index=False, lineterminator="\n"))
    cost_error = write_cost_offsets(data, out_dir / COSTS_FILE, seed=seed, unit_costs=unit_costs)
    if not self_contained:
        write_plotly_asset(out_dir)
    planned = plan_jobs(data, selected, out_dir, lang=lang, alpha=alpha, seed=seed,
                        allow_series_break=allow_series_break, self_contained=self_contained,
                        processed_dir=processed_dir, unit_costs=unit_costs, public_dir=public_dir)
    summary = BuildSummary(out_dir=out_dir, effects=effects, cost_error=cost_error)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(planned)))
    log_path = out_dir / "notebooks" / "kernels.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_log_worker_stderr, initargs=(str(log_path),)) as pool:
        futures = [pool.submit(run_job, job) for job in planned]
        bar = tqdm(total=len(futures), desc="reports", unit="report", disable=not progress)
        for future in as_completed(futures):
            outcome = future.result()
            summary.outcomes.append(outcome)
            bar.update(1)
            if not outcome.ok:
                bar.write(f"FAILED {outcome.name}: {outcome.error}")
        bar.close()
    order = {job.name: i for i, job in enumerate(planned)}
    summary.outcomes.sort(key=lambda o: order[o.name])
    summary.seconds = time.perf_counter() - started
    write_index(data, summary, lang=lang, self_contained=self_contained)
    return summary


__all__ = ["BuildSummary", "ReportOutcome", "ReportRequestError", "UnsafeIdentifierError", "build_reports",
           "check_tables"]
