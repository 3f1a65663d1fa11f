"""Command line: ``python -m tzeval reports | validate | demo``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import demo
from .contract import SERIES_BREAK_PERIOD
from .i18n import LANGUAGES
from .paths import DEMO_DATA_DIR, REPORTS_DIR
from .validation import DataValidationError

DESCRIPTION = """\
tzeval: evaluate each territory of a place-based programme (first case: Territoires zéro
chômeur de longue durée) and write HTML reports for funders, French by default."""

EPILOG = """\
examples:
  python -m tzeval reports                          every report, from the demo data
  python -m tzeval reports --territory ID --lang en one territory, in English
  python -m tzeval validate --data-dir data/raw/mine
  python -m tzeval demo --out data/raw/demo         regenerate the demo data

The data contract (files, columns, rules) is in data/raw/README.md."""


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
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    _add_data_options(reports)
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
                    "(data/raw/README.md). Every problem is listed with its file, row, column, value and rule; "
                    "the exit status is 0 when the data are valid and 2 otherwise.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    _add_data_options(validate)
    validate.add_argument("--report", type=Path, default=None,
                          help="also write every problem to this CSV file (columns file,row,column,value,rule)")
    validate.set_defaults(handler=_run_validate)

    generate = commands.add_parser(
        "demo", help="regenerate the synthetic demonstration data",
        description="Write the seeded synthetic data set (territories, outcomes, programme, truth) to a folder.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    generate.add_argument("--out", type=Path, default=DEMO_DATA_DIR, help="folder to write into")
    generate.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="random seed")
    generate.set_defaults(handler=_run_demo)
    return parser


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR,
                        help="folder holding territories.csv, outcomes.csv and programme.csv")
    parser.add_argument("--allow-series-break", action="store_true",
                        help=f"accept months from {SERIES_BREAK_PERIOD} on, despite France Travail's series break")


def _run_reports(args: argparse.Namespace) -> int:
    from .report.runner import ReportRequestError, build_reports

    try:
        summary = build_reports(
            args.data_dir, args.out, territory_ids=args.territories, lang=args.lang, alpha=args.alpha,
            seed=args.seed, jobs=args.jobs, allow_series_break=args.allow_series_break,
            self_contained=args.self_contained, progress=not args.quiet,
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

    try:
        data = load_dataset(args.data_dir, allow_series_break=args.allow_series_break)
    except DataValidationError as error:
        if args.report is not None:
            from . import atomic

            atomic.write_text(args.report, error.to_frame().to_csv(index=False, lineterminator="\n"))
        raise
    print(f"{args.data_dir}: valid. {len(data.treated_ids)} treated and {len(data.comparison_ids)} comparison "
          f"territories, {len(data.periods)} months ({data.periods[0]:%Y-%m} to {data.periods[-1]:%Y-%m}), "
          f"{len(data.programme)} programme rows.")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    out = demo.main(args.out, seed=args.seed)
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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
