"""The result of the cost simulation: tables, text summary and figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..results import format_table, tidy_frame
from . import figures
from .benchmark import COMITE_AVOIDED, COMITE_NET
from .sensitivity import break_even_table, tornado_table, waterfall_table
from .setup import DEADWEIGHT, ModelSetup, deadweight_source

TIDY_MEASURES = ("net_cost_per_fte", "avoided_cost_per_fte", "offset_ratio", "cost_per_additional_exit")
KEY_BREAK_EVEN_PARAMETERS = (DEADWEIGHT, "turnover_ratio", "supervision_operating_ratio", "rsa_share_of_hires",
                             "other_tax_revenue")


class SelectionError(ValueError):
    """A territory or year asked for that the cost result does not hold."""


RESULTS_COLUMNS = (
    "territory_id", "year", "phase", "fte_years", "gross_cost_per_fte", "avoided_cost_per_fte", "avoided_cost_per_fte_low",
    "avoided_cost_per_fte_high", "net_cost_per_fte", "net_cost_per_fte_low", "net_cost_per_fte_high",
    "offset_ratio", "prob_offsets_cover_costs", "cost_per_additional_exit", "cost_per_additional_exit_low",
    "cost_per_additional_exit_high", "startup_grant_per_fte", "deadweight", "deadweight_source", "euros_of",
)
"""Columns of ``cost_offsets.csv``: one row per territory and year, then ``national`` per year and phase."""
NATIONAL = "national"
ALL_PHASES = "all"


@dataclass(frozen=True, eq=False)
class CostResult:
    """Net public cost per FTE-year under uncertainty, per territory and year.

    Attributes
    ----------
    setup : ModelSetup
        Inputs, unit costs and settings the simulation ran on.
    frame : DataFrame
        One row per territory-year (see :meth:`to_frame`).
    net_cost_draws, offset_draws : ndarray, shape (n_draws, n)
        Simulated net public cost and avoided cost (offsets after deadweight) per FTE-year.
    exit_draws : ndarray, shape (n_draws, n)
        Simulated additional people out of long-term joblessness per FTE-year.
    n_draws, seed, shape
        Monte Carlo settings.
    """

    setup: ModelSetup
    frame: pd.DataFrame
    net_cost_draws: np.ndarray
    offset_draws: np.ndarray
    exit_draws: np.ndarray
    n_draws: int
    seed: int
    shape: str

    @property
    def level(self) -> float:
        return self.setup.level

    @property
    def price_year(self) -> int:
        """The year whose euros multi-year figures are stated in: the latest year of the inputs."""
        return int(self.frame["year"].max())

    def to_frame(self) -> pd.DataFrame:
        """One row per territory-year, in euros of that year, per FTE-year unless stated.

        Columns: keys and inputs (``territory_id, year, phase, ebe_fte,
        net_additional_fte``); Monte Carlo means of ``gross_cost_per_fte`` (the gross
        public running cost) and its sources (``state_cde, department, other_public``),
        ``ebe_gross_cost``, ``offsets_gross`` (before deadweight), ``additional_share``,
        ``people_per_fte``; ``avoided_cost_per_fte`` (offsets after deadweight,
        displacement and drop-off), ``net_cost_per_fte`` and ``offset_ratio`` (avoided /
        gross), each with ``_low``/``_high`` percentiles; ``prob_offsets_cover_costs``;
        ``cost_per_additional_exit`` (mean net cost over mean additional people, with a
        percentile interval); ``startup_grant_per_fte`` and
        ``net_cost_with_startup_grant``; ``net_cost_total`` (EUR, mean net cost x
        FTE-years); ``net_cost_central`` (all parameters at central values);
        ``breakeven_deadweight`` (NaN where no deadweight in [0, 1] makes offsets cover
        costs); ``deadweight`` (central) and ``deadweight_source``; ``euros_of``.
        """
        frame = self.frame.copy()
        frame["net_cost_central"] = self.setup.evaluate_central()["net_cost"]
        frame["breakeven_deadweight"] = break_even_table(self.setup, DEADWEIGHT)["break_even"].to_numpy()
        frame["deadweight"] = self.setup.deadweight_bounds[1]
        frame["deadweight_source"] = deadweight_source(self.setup)
        frame["euros_of"] = frame["year"].astype(int)
        return frame

    def to_tidy(self) -> pd.DataFrame:
        """Long table in the workbook's estimate convention: keys, then estimate, std_error, conf_low, conf_high.

        ``measure`` is one of ``net_cost_per_fte``, ``avoided_cost_per_fte``,
        ``offset_ratio``, ``cost_per_additional_exit``; intervals are Monte Carlo
        percentiles, not sampling confidence intervals, and ``p_value`` is empty.
        """
        frame = self.frame
        gross = self.net_cost_draws + self.offset_draws
        spread = {
            "net_cost_per_fte": self.net_cost_draws.std(axis=0, ddof=1),
            "avoided_cost_per_fte": self.offset_draws.std(axis=0, ddof=1),
            "offset_ratio": (self.offset_draws / gross).std(axis=0, ddof=1),
            "cost_per_additional_exit": np.full(len(frame), np.nan),
        }
        parts = []
        for measure in TIDY_MEASURES:
            parts.append(tidy_frame(
                {"territory_id": frame["territory_id"], "year": frame["year"],
                 "measure": np.repeat(measure, len(frame))},
                frame[measure], std_error=spread[measure],
                conf_low=frame[f"{measure}_low"], conf_high=frame[f"{measure}_high"],
            ))
        return pd.concat(parts, ignore_index=True)

    def central_case(self) -> pd.DataFrame:
        """Every cost line per FTE-year with all parameters at their central values."""
        central = self.setup.evaluate_central()
        frame = self.frame[["territory_id", "year", "phase", "ebe_fte"]].copy()
        for name, values in central.items():
            frame[name] = values
        return frame

    def calibrated_avoided_cost(self, year: int | None = None) -> float:
        """The part of the avoided cost that the calibrated line carries, central values, FTE-weighted.

        ``returns_not_itemised`` after deadweight, displacement and drop-off: what the
        reports flag as calibrated to the comité's total rather than itemised.
        """
        central = self.central_case()
        selected = np.ones(len(central), dtype=bool) if year is None else (central["year"] == year).to_numpy()
        fte = central.loc[selected, "ebe_fte"].to_numpy()
        calibrated = (central["returns_not_itemised"] * central["additional_share"]).to_numpy()[selected]
        return float(calibrated @ (fte / fte.sum()))

    def deflators(self, euros_of: int | None = None) -> np.ndarray:
        """Factor turning each territory-year's euros into euros of ``euros_of`` (default :attr:`price_year`)."""
        target = self.price_year if euros_of is None else int(euros_of)
        index = self.setup.table.price_index(sorted(set(self.frame["year"].astype(int)) | {target}))
        return np.array([index[target] / index[int(year)] for year in self.frame["year"]])

    def aggregate(self, by: str | None = None, *, phase: int | None = None,
                  euros_of: int | None = None) -> pd.DataFrame:
        """FTE-weighted figures over territory-years, optionally per ``"phase"`` or ``"year"``.

        Parameters
        ----------
        by : {None, "phase", "year"}
        phase : int, optional
            Keep only the territory-years of this phase.
        euros_of : int, optional
            Price year. Figures over several years are deflated to it (default: the
            latest year of the inputs, :attr:`price_year`); figures of a single year stay in
            that year's euros unless a price year is given.

        Returns
        -------
        DataFrame
            ``fte_years, gross_cost_per_fte, avoided_cost_per_fte`` (+ ``_low/_high``),
            ``net_cost_per_fte`` (+ ``_low/_high``), ``offset_ratio``,
            ``prob_offsets_cover_costs``, ``cost_per_additional_exit`` (+ ``_low/_high``),
            ``startup_grant_per_fte``, ``deadweight``, ``net_cost_total`` (EUR) and
            ``euros_of``.
        """
        if by not in (None, "phase", "year"):
            raise ValueError(f"by must be None, 'phase' or 'year' (got {by!r})")
        keep = np.ones(len(self.frame), dtype=bool) if phase is None else (self.frame["phase"] == phase).to_numpy()
        if not keep.any():
            raise SelectionError(f"no territory-year of phase {phase!r} in the cost result")
        frame = self.frame[keep]
        groups = [(None, keep)] if by is None else [
            (key, keep & (self.frame[by] == key).to_numpy()) for key in sorted(frame[by].unique())]
        tail = (1 - self.level) / 2
        rows = []
        for key, mask in groups:
            years = self.frame.loc[mask, "year"].unique()
            price_year = euros_of if euros_of is not None else (int(years[0]) if len(years) == 1 else self.price_year)
            factor = self.deflators(price_year)[mask]
            row = {} if by is None else {by: key}
            row.update(self._pooled(mask, factor, tail))
            row["euros_of"] = int(price_year)
            rows.append(row)
        return pd.DataFrame(rows)

    def _pooled(self, mask: np.ndarray, factor: np.ndarray, tail: float) -> dict[str, float]:
        fte = self.frame["ebe_fte"].to_numpy()[mask]
        weights = fte / fte.sum()
        net = self.net_cost_draws[:, mask] @ (weights * factor)
        offsets = self.offset_draws[:, mask] @ (weights * factor)
        exits = self.exit_draws[:, mask] @ weights
        gross = net + offsets
        with np.errstate(divide="ignore", invalid="ignore"):
            per_exit = np.where(exits > 0, net / np.where(exits > 0, exits, 1.0), np.inf)
        quantiles = [tail, 1 - tail]
        net_low, net_high = np.quantile(net, quantiles)
        offsets_low, offsets_high = np.quantile(offsets, quantiles)
        exit_low, exit_high = np.quantile(per_exit, quantiles, method="inverted_cdf")
        grant = self.frame["startup_grant_per_fte"].to_numpy()[mask]
        return dict(
            fte_years=fte.sum(), gross_cost_per_fte=gross.mean(),
            avoided_cost_per_fte=offsets.mean(), avoided_cost_per_fte_low=offsets_low,
            avoided_cost_per_fte_high=offsets_high,
            net_cost_per_fte=net.mean(), net_cost_per_fte_low=net_low, net_cost_per_fte_high=net_high,
            offset_ratio=(offsets / gross).mean(), prob_offsets_cover_costs=(offsets >= gross).mean(),
            cost_per_additional_exit=net.mean() / exits.mean(), cost_per_additional_exit_low=exit_low,
            cost_per_additional_exit_high=exit_high,
            startup_grant_per_fte=float(grant @ (weights * factor)),
            deadweight=float(self.setup.deadweight_bounds[1][mask] @ weights),
            net_cost_total=float((self.net_cost_draws[:, mask] @ (fte * factor)).mean()),
        )

    def results_table(self) -> pd.DataFrame:
        """The table written to ``cost_offsets.csv``: each territory-year, then ``national`` rows.

        Every row is in euros of its own year (``euros_of``). The national rows pool the
        territories of a year, FTE-weighted, draw by draw, so their intervals are
        percentiles of the pooled draws: one row with ``phase = "all"`` per year, and one
        per phase (the comité scientifique's figures describe phase 2 only).
        ``deadweight`` is the central value and ``deadweight_source`` says where it
        comes from.
        """
        frame = self.to_frame().rename(columns={"ebe_fte": "fte_years"})
        parts = [frame[list(RESULTS_COLUMNS)].astype({"phase": object})]
        for phase in (None, *sorted(frame["phase"].unique())):
            national = self.aggregate("year", phase=phase)
            national["territory_id"] = NATIONAL
            national["phase"] = ALL_PHASES if phase is None else phase
            rows = frame if phase is None else frame[frame["phase"] == phase]
            sources = rows.groupby("year")["deadweight_source"].agg(lambda values: "; ".join(sorted(set(values))))
            national["deadweight_source"] = national["year"].map(sources)
            parts.append(national[list(RESULTS_COLUMNS)])
        table = pd.concat(parts, ignore_index=True)
        table["year"] = table["year"].astype(int)
        table["euros_of"] = table["euros_of"].astype(int)
        return table

    def tornado(self, territory_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        """One-way sensitivity of the net cost per FTE (see :func:`tornado_table`)."""
        return tornado_table(self.setup, self._selection(territory_id, year))

    def break_even(self, parameter: str = DEADWEIGHT, bounds: tuple[float, float] | None = None) -> pd.DataFrame:
        """Value of ``parameter`` at which offsets cover costs, per territory-year."""
        return break_even_table(self.setup, parameter, bounds)

    def break_evens(self, parameters: tuple[str, ...] = KEY_BREAK_EVEN_PARAMETERS) -> pd.DataFrame:
        """Break-even values of several key parameters, stacked (see :meth:`break_even`)."""
        return pd.concat([self.break_even(name) for name in parameters], ignore_index=True)

    def waterfall(self, territory_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Steps from the EBE's gross cost to the net public cost (central values)."""
        return waterfall_table(self.setup, self._selection(territory_id, year))

    def summary(self) -> str:
        """Plain-text summary: method, settings, national and per-phase figures, the official benchmark, drivers."""
        setup = self.setup
        overall = self.aggregate().iloc[0]
        contested = "included" if setup.include_contested else "excluded (contested)"
        calibrated = float(self.central_case()["returns_not_itemised"].iloc[0])
        lines = [
            "Net public cost of EBE jobs per FTE-year: Monte Carlo simulation (WSIPP style)",
            f"  {self.n_draws:,} draws, {self.shape} distributions on low/central/high, seed {self.seed}; "
            f"intervals are {self.level:.0%} percentile intervals of the draws.",
            f"  Unit costs: {setup.table.source}. Health and social-support avoided costs: {contested}.",
            f"  Returns not itemised, calibrated to the comité scientifique's total: {calibrated:,.0f} EUR per "
            "FTE-year before deadweight (central).",
            f"  {len(self.frame)} territory-years, {self.frame['territory_id'].nunique()} territories, "
            f"{overall['fte_years']:,.0f} FTE-years.",
            "",
            f"All territory-years (FTE-weighted, euros of {int(overall['euros_of'])}): gross public cost "
            f"{overall['gross_cost_per_fte']:,.0f}, avoided cost {overall['avoided_cost_per_fte']:,.0f}, net cost "
            f"{overall['net_cost_per_fte']:,.0f} [{overall['net_cost_per_fte_low']:,.0f}; "
            f"{overall['net_cost_per_fte_high']:,.0f}] EUR per FTE-year; avoided costs cover "
            f"{overall['offset_ratio']:.0%} of the gross public cost; "
            f"P(offsets >= costs) = {overall['prob_offsets_cover_costs']:.3f}. Start-up grant on top: "
            f"{overall['startup_grant_per_fte']:,.0f} per FTE-year.",
            f"Official benchmark ({COMITE_NET.source}): net cost {COMITE_NET.low:,.0f}-{COMITE_NET.high:,.0f} and "
            f"avoided cost {COMITE_AVOIDED.low:,.0f}-{COMITE_AVOIDED.high:,.0f} EUR per FTE-year, phase 2.",
            "",
            "By phase:",
            format_table(self.aggregate("phase"), digits=2),
            "",
        ]
        tornado = self.tornado().head(5)
        lines.append("Main drivers (net cost per FTE with the parameter at low / high, others central):")
        for _, row in tornado.iterrows():
            lines.append(f"  {row['label']}: {row['net_cost_at_low']:,.0f} / {row['net_cost_at_high']:,.0f}")
        break_even = self.break_even()
        reachable = break_even["reachable"].mean()
        lines += ["", f"Break-even deadweight: offsets can cover costs for {reachable:.0%} of territory-years at "
                      "some deadweight in [0, 1] (others central)."]
        if reachable == 0:
            lines.append("  Even with no deadweight at all, offsets stay below the gross public cost.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"CostResult({len(self.frame)} territory-years, {self.n_draws} draws)"

    def plot(self) -> go.Figure:
        """The distribution of the net cost per FTE-year over all territory-years."""
        return self.plot_distribution()

    def plot_distribution(self, territory_id: str | None = None, year: int | None = None) -> go.Figure:
        """Histogram of the simulated net cost per FTE-year (FTE-weighted over the selection)."""
        selected = self._selection(territory_id, year)
        fte = self.frame["ebe_fte"].to_numpy()[selected]
        draws = self.net_cost_draws[:, selected] @ (fte / fte.sum())
        tail = (1 - self.level) / 2
        interval = tuple(np.quantile(draws, [tail, 1 - tail]))
        return figures.distribution_figure(draws, f"Net public cost per FTE-year, {self._title(territory_id, year)}",
                                           interval, self.level)

    def plot_waterfall(self, territory_id: str | None = None, year: int | None = None) -> go.Figure:
        """Waterfall from the EBE's gross cost to the net public cost, central values."""
        return figures.waterfall_figure(self.waterfall(territory_id, year),
                                        f"From gross cost to net public cost, {self._title(territory_id, year)}")

    def plot_tornado(self, territory_id: str | None = None, year: int | None = None) -> go.Figure:
        """One-way sensitivity of the net public cost per FTE-year."""
        return figures.tornado_figure(self.tornado(territory_id, year),
                                      f"Sensitivity of the net public cost, {self._title(territory_id, year)}")

    def _selection(self, territory_id: str | None, year: int | None) -> np.ndarray:
        mask = np.ones(len(self.frame), dtype=bool)
        if territory_id is not None:
            mask &= (self.frame["territory_id"] == territory_id).to_numpy()
        if year is not None:
            mask &= (self.frame["year"] == year).to_numpy()
        if not mask.any():
            raise SelectionError(f"no territory-year in the cost result matches territory_id={territory_id!r}, "
                                 f"year={year!r}")
        return mask

    @staticmethod
    def _title(territory_id: str | None, year: int | None) -> str:
        where = territory_id if territory_id is not None else "all territories"
        return f"{where}, {year}" if year is not None else f"{where}, all years"
