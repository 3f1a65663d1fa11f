"""The result of the cost simulation: tables, text summary and figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..results import format_table, tidy_frame
from . import figures
from .sensitivity import break_even_table, tornado_table, waterfall_table
from .setup import DEADWEIGHT, ModelSetup, deadweight_source

TIDY_MEASURES = ("net_cost_per_fte", "offset_ratio", "cost_per_additional_exit")
KEY_BREAK_EVEN_PARAMETERS = (DEADWEIGHT, "turnover_ratio", "supervision_operating_ratio", "rsa_share_of_hires",
                             "other_tax_revenue")


class SelectionError(ValueError):
    """A territory or year asked for that the cost result does not hold."""


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
        Simulated net public cost and offsets per FTE-year.
    n_draws, seed, shape
        Monte Carlo settings.
    """

    setup: ModelSetup
    frame: pd.DataFrame
    net_cost_draws: np.ndarray
    offset_draws: np.ndarray
    n_draws: int
    seed: int
    shape: str

    @property
    def level(self) -> float:
        return self.setup.level

    def to_frame(self) -> pd.DataFrame:
        """One row per territory-year, EUR per FTE-year unless stated.

        Columns: keys and inputs (``territory_id, year, phase, ebe_fte,
        new_jobs_created``); Monte Carlo means of ``gross_public_cost`` and its sources
        (``state_cde, department, other_public, startup_grant``), ``ebe_gross_cost``,
        ``offsets_per_person`` (before additionality), ``additional_share``, ``offsets``;
        ``net_cost_per_fte`` (mean) with ``_low``/``_high`` percentiles;
        ``offset_ratio`` (offsets / gross public cost) with its interval;
        ``prob_offsets_cover_costs``; ``cost_per_additional_exit`` (mean net cost over
        mean additional share) with percentile interval; ``net_cost_total`` (EUR, mean
        net cost x FTE-years); ``net_cost_central`` (all parameters at central values);
        ``breakeven_deadweight`` (NaN where no deadweight in [0, 1] makes offsets
        cover costs); ``deadweight_source``.
        """
        frame = self.frame.copy()
        frame["net_cost_central"] = self.setup.evaluate_central()["net_cost"]
        frame["breakeven_deadweight"] = break_even_table(self.setup, DEADWEIGHT)["break_even"].to_numpy()
        frame["deadweight_source"] = deadweight_source(self.setup)
        return frame

    def to_tidy(self) -> pd.DataFrame:
        """Long table in the workbook's estimate convention: keys, then estimate, std_error, conf_low, conf_high.

        ``measure`` is one of ``net_cost_per_fte``, ``offset_ratio``,
        ``cost_per_additional_exit``; intervals are Monte Carlo percentiles, not
        sampling confidence intervals, and ``p_value`` is empty.
        """
        frame = self.frame
        gross = self.net_cost_draws + self.offset_draws
        spread = {
            "net_cost_per_fte": self.net_cost_draws.std(axis=0, ddof=1),
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

    def aggregate(self, by: str | None = None) -> pd.DataFrame:
        """FTE-weighted figures over all territory-years, or per ``"phase"`` or ``"year"``."""
        if by not in (None, "phase", "year"):
            raise ValueError(f"by must be None, 'phase' or 'year' (got {by!r})")
        groups = [(None, np.ones(len(self.frame), dtype=bool))] if by is None else [
            (key, (self.frame[by] == key).to_numpy()) for key in sorted(self.frame[by].unique())]
        tail = (1 - self.level) / 2
        rows = []
        for key, mask in groups:
            fte = self.frame["ebe_fte"].to_numpy()[mask]
            weights = fte / fte.sum()
            net = self.net_cost_draws[:, mask] @ weights
            offsets = self.offset_draws[:, mask] @ weights
            gross = net + offsets
            row = {} if by is None else {by: key}
            low, high = np.quantile(net, [tail, 1 - tail])
            row.update(fte_years=fte.sum(), gross_public_cost=gross.mean(), offsets=offsets.mean(),
                       net_cost_per_fte=net.mean(), net_cost_per_fte_low=low, net_cost_per_fte_high=high,
                       offset_ratio=(offsets / gross).mean(), prob_offsets_cover_costs=(offsets >= gross).mean(),
                       net_cost_total=(self.net_cost_draws[:, mask] @ fte).mean())
            rows.append(row)
        return pd.DataFrame(rows)

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
        """Plain-text summary: method, settings, national and per-phase figures, main drivers."""
        setup = self.setup
        overall = self.aggregate().iloc[0]
        contested = "included" if setup.include_contested else "excluded (contested)"
        lines = [
            "Net public cost of EBE jobs per FTE-year: Monte Carlo simulation (WSIPP style)",
            f"  {self.n_draws:,} draws, {self.shape} distributions on low/central/high, seed {self.seed}; "
            f"intervals are {self.level:.0%} percentile intervals of the draws.",
            f"  Unit costs: {setup.table.source}. Health and social-support avoided costs: {contested}.",
            f"  {len(self.frame)} territory-years, {self.frame['territory_id'].nunique()} territories, "
            f"{overall['fte_years']:,.0f} FTE-years.",
            "",
            f"All territory-years (FTE-weighted): gross public cost {overall['gross_public_cost']:,.0f}, "
            f"offsets {overall['offsets']:,.0f}, net cost {overall['net_cost_per_fte']:,.0f} "
            f"[{overall['net_cost_per_fte_low']:,.0f}; {overall['net_cost_per_fte_high']:,.0f}] EUR per FTE-year; "
            f"offsets cover {overall['offset_ratio']:.0%} of the gross public cost; "
            f"P(offsets >= costs) = {overall['prob_offsets_cover_costs']:.3f}.",
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
