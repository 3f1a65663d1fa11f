"""Errors raised by the cost model, each naming where the bad value is and which rule it breaks."""

from __future__ import annotations

from ..validation import Violation


class CostDataError(ValueError):
    """A table read by the cost model breaks a rule; carries every violation found.

    Rows count data rows from 1 (row 1 is line 2 of a CSV file).
    """

    def __init__(self, source: str, violations: list[Violation], what: str = "table"):
        self.source = source
        self.violations = list(violations)
        count = len(self.violations)
        lines = [f"The {what} {source} is not usable ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  - {violation}" for violation in self.violations]
        super().__init__("\n".join(lines))


class UnitCostTableError(CostDataError):
    """``unit_costs.csv`` breaks a rule (bounds order, unit, source, negative value...)."""

    def __init__(self, source: str, violations: list[Violation]):
        super().__init__(source, violations, what="unit-cost table")


class CostInputError(CostDataError):
    """The per-territory-year inputs (FTE, jobs created, phase, impact estimate) break a rule."""

    def __init__(self, source: str, violations: list[Violation]):
        super().__init__(source, violations, what="cost-model input table")


class MissingRateError(ValueError):
    """A dated rate (SMIC, CDE rate, RSA) has no row in force for a year the inputs need."""

    def __init__(self, source: str, parameter: str, year: int, month: int, covered: str):
        self.source = source
        self.parameter = parameter
        self.year = year
        self.month = month
        super().__init__(
            f"{source}: parameter '{parameter}' has no rate in force in {year} (first missing month "
            f"{year}-{month:02d}); the table covers {covered}. Add a row with the rate valid in {year} "
            f"(a row dated {year}-01-01 that repeats the previous value confirms it is unchanged)."
        )
