"""Command line: ``python -m tzeval reports | validate | demo``."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

import pandas as pd

from . import demo
from .contract import METADATA_FILENAME, SERIES_BREAK_PERIOD
from .costs import DEFAULT_UNIT_COSTS, CostDataError, load_unit_costs
from .i18n import LANGUAGES
from .paths import DEMO_DATA_DIR, PROJECT_ROOT, REPORTS_DIR
from .periods import format_period
from .scale_gap import PROGRAMMES_FILENAME, PUBLIC_DIR, ProgrammeTableError, load_programmes
from .validation import DataValidationError, Violation

YEARLY_DEMO_DATA_DIR = PROJECT_ROOT / "data" / "raw" / "demo-yearly"
PERIOD_WORDS = {"monthly": ("month", "months"), "quarterly": ("quarter", "quarters"), "yearly": ("year", "years")}

DESCRIPTION = """\
tzeval: evaluate each territory of a place-based programme (first case: Territoires zéro
chômeur de longue durée) and write HTML reports for funders, French by default."""

EPILOG = """\
examples:
  python -m tzeval reports                          every report, from the demo data
  python -m tzeval reports --territory ID --lang en one territory, in English
  python -m tzeval reports --unit-costs my_costs.csv  with your own unit-cost table
  python -m tzeval validate --data-dir data/raw/mine
  python -m tzeval demo --out data/raw/demo         regenerate the demo data
  python -m tzeval demo --yearly                    regenerate the yearly demo data (data/raw/demo-yearly)

The data contract (files, columns, rules) is in data/raw/README.md."""


class _DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show each option's default, except None: the help of such an option says what None means."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None:
            return action.help
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tzeval", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    reports = commands.add_parser(
        "reports", help="run the notebooks and write the HTML reports",
        description="Validate the data, estimate every treated territory's effect, run the report notebooks "
                    "in parallel and write <out>/index.html, <out>/summary.html, <out>/territories/<id>.html "
                    "and <out>/results/territory_effects.csv and <out>/results/cost_offsets.csv. A territory whose report fails keeps its previous "
                    "report; the others still complete, and the command then exits with status 1.",
        formatter_class=_DefaultsHelpFormatter,
    )
    _add_data_options(reports)
    _add_table_options(reports, "read by the cost results and every report", "read by the scale-gap page")
    reports.add_argument("--out", type=Path, default=REPORTS_DIR, help="folder to write the reports into")
    reports.add_argument("--territory", dest="territories", action="append", metavar="ID",
                         help="report on this territory only (repeat for several); default: every treated one")
    reports.add_argument("--lang", choices=LANGUAGES, default="fr", help="language of the reports")
    reports.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level of the intervals")
    reports.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="seed for any random step")
    reports.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: number of cores)")
    reports.add_argument("--self-contained", action="store_true",
                         help="embed plotly.js in every HTML file (larger files that can be sent alone)")
    reports.add_argument("--quiet", action="store_true", help="no progress bar")
    reports.set_defaults(handler=_run_reports)

    validate = commands.add_parser(
        "validate", help="check a data folder against the contract, without running anything",
        description="Check territories.csv, outcomes.csv and programme.csv against the data contract "
                    "(data/raw/README.md), and the unit-cost and programme tables the reports read. Every "
                    "problem is listed with its file, row, column, value and rule; the exit status is 0 when "
                    "everything is valid and 2 otherwise. Valid data are summarised in their own frequency, "
                    "with the suppressed cells, the interpolated populations and the treated territories' ids.",
        formatter_class=_DefaultsHelpFormatter,
    )
    _add_data_options(validate)
    _add_table_options(validate, "to check", "to check")
    validate.add_argument("--report", type=Path, default=None,
                          help="also write every problem to this CSV file (columns file,row,column,value,rule)")
    validate.set_defaults(handler=_run_validate)

    generate = commands.add_parser(
        "demo", help="regenerate the synthetic demonstration data",
        description="Write the seeded synthetic data set (territories, outcomes, programme, truth) to a folder: "
                    "monthly outcomes by default, or the yearly example with --yearly.",
        formatter_class=_DefaultsHelpFormatter,
    )
    generate.add_argument("--yearly", action="store_true",
                          help="write the yearly example (tzeval.demo_yearly) instead of the monthly demo data")
    generate.add_argument("--out", type=Path, default=None,
                          help=f"folder to write into (default: {DEMO_DATA_DIR}, or {YEARLY_DEMO_DATA_DIR} "
                               "with --yearly)")
    generate.add_argument("--seed", type=int, default=None,
                          help=f"random seed (default: {demo.DEFAULT_SEED}, or the yearly generator's own with "
                               "--yearly, so that the shipped folders are written again unchanged)")
    generate.set_defaults(handler=_run_demo)
    return parser


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR,
                        help="folder holding territories.csv, outcomes.csv and programme.csv")
    parser.add_argument("--allow-series-break", action="store_true",
                        help=f"accept months from {SERIES_BREAK_PERIOD} on, despite France Travail's series break")


def _add_table_options(parser: argparse.ArgumentParser, unit_costs_use: str, programmes_use: str) -> None:
    parser.add_argument("--unit-costs", type=Path, default=DEFAULT_UNIT_COSTS, metavar="FILE",
                        help=f"unit-cost table (CSV, columns in data/raw/unit_costs.README.md) {unit_costs_use}")
    parser.add_argument("--public-dir", type=Path, default=PUBLIC_DIR, metavar="DIR",
                        help=f"folder holding {PROGRAMMES_FILENAME}, the published programme figures "
                             f"(data/raw/public/README.md), {programmes_use}")


def _run_reports(args: argparse.Namespace) -> int:
    from .report.runner import ReportRequestError, build_reports

    try:
        summary = build_reports(
            args.data_dir, args.out, territory_ids=args.territories, lang=args.lang, alpha=args.alpha,
            seed=args.seed, jobs=args.jobs, allow_series_break=args.allow_series_break,
            self_contained=args.self_contained, progress=not args.quiet,
            unit_costs=args.unit_costs, public_dir=args.public_dir,
        )
    except ReportRequestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for outcome in summary.failed:
        kept = " (previous report kept)" if outcome.kept_previous else ""
        print(f"failed: {outcome.name}{kept}: {outcome.error}", file=sys.stderr)
    if summary.cost_error:
        print(f"failed: results/cost_offsets.csv (previous file kept): {summary.cost_error}", file=sys.stderr)
    print(summary.closing_line())
    return 1 if summary.failed or summary.cost_error else 0


def _run_validate(args: argparse.Namespace) -> int:
    from .dataset import load_dataset

    # Every check runs even when an earlier one fails, so one run lists every problem.
    errors: list[DataValidationError | CostDataError | ProgrammeTableError] = []
    data = unit_costs = programmes = None
    try:
        data = load_dataset(args.data_dir, allow_series_break=args.allow_series_break)
    except DataValidationError as error:
        errors.append(error)
    try:
        unit_costs = load_unit_costs(args.unit_costs)
    except CostDataError as error:
        errors.append(error)
    try:
        programmes = load_programmes(args.public_dir)
    except ProgrammeTableError as error:
        errors.append(error)

    if errors:
        for error in errors:
            print(error.message() if isinstance(error, DataValidationError) else str(error), file=sys.stderr)
        if args.report is not None:
            from . import atomic

            violations = [v for error in errors for v in error.violations]
            atomic.write_text(args.report, _violations_frame(violations).to_csv(index=False, lineterminator="\n"))
        return 2
    print(_dataset_summary(data, args.data_dir))
    print(f"{args.unit_costs}: valid unit-cost table ({len(unit_costs.frame)} rows).")
    print(f"{args.public_dir}: valid programme table ({len(programmes.programmes)} programmes, "
          f"{len(programmes.frame)} figures).")
    return 0


def _violations_frame(violations: list[Violation]) -> pd.DataFrame:
    return pd.DataFrame([(v.file, v.row, v.column, v.value, v.rule) for v in violations],
                        columns=["file", "row", "column", "value", "rule"])


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _dataset_summary(data, data_dir: Path) -> str:
    """What ``validate`` says about valid data, in the data's own frequency."""
    periods = data.periods
    frequency = data.frequency
    span = _count(len(periods), *PERIOD_WORDS[frequency])
    span += f" ({format_period(periods[0], frequency)} to {format_period(periods[-1], frequency)})"
    lines = [f"{data_dir}: valid. {len(data.treated_ids)} treated and {len(data.comparison_ids)} comparison "
             f"territories, {span}, {len(data.programme)} programme rows."]

    # dataset.json was checked by load_dataset; read again only to tell declared values from defaults.
    metadata_path = Path(data_dir) / METADATA_FILENAME
    declared = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.is_file() else {}
    how = "declared in dataset.json" if "frequency" in declared else "the default: dataset.json declares none"
    frequencies = f"outcomes {frequency} ({how}), programme {data.programme_frequency}"
    rounding = (f"counts rounded to {data.rounding}" if data.rounding is not None
                else "no rounding declared")
    lines.append(f"  frequency: {frequencies}; {rounding}.")
    interpolated = int(data.outcomes["population_interpolated"].sum())
    lines.append(f"  {_count(len(data.suppressed), 'suppressed cell', 'suppressed cells')}, "
                 f"{_count(interpolated, 'interpolated population', 'interpolated populations')}.")
    # Slug ids hold '-': never break a line inside one.
    lines.append(textwrap.fill(", ".join(data.treated_ids), width=100, initial_indent="  treated: ",
                               subsequent_indent="    ", break_on_hyphens=False, break_long_words=False))
    return "\n".join(lines)


def _run_demo(args: argparse.Namespace) -> int:
    # The seed is passed only when given, so each generator keeps its own default.
    seed = {} if args.seed is None else {"seed": args.seed}
    if args.yearly:
        from . import demo_yearly  # imported here: the other commands never need it

        out = args.out if args.out is not None else YEARLY_DEMO_DATA_DIR
        written = demo_yearly.main(out, **seed)
        print(f"yearly demo data written to {written if written is not None else out}")
        return 0
    out = demo.main(args.out if args.out is not None else DEMO_DATA_DIR, **seed)
    print(f"demo data written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DataValidationError as error:
        print(error.message(), file=sys.stderr)
        return 2
    except (CostDataError, ProgrammeTableError) as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
