"""Periods at the frequency a data set declares: monthly, quarterly or yearly.

Published series come at different frequencies: France Travail's monthly counts by
commune, DARES's quarterly series, INSEE's yearly QPV stocks at 31 December. Every
period is held as the timestamp of its first day (``2017`` is 2017-01-01, ``2017-Q2`` is
2017-04-01), so that periods sort and compare the same way at every frequency, and each
value is read as the stock at the period's end, as published.

The one rule that ties a habilitation date to the data: **the first treated period is
the period that contains the habilitation month**, because its end-of-period stock is
the first one observed after habilitation. With monthly data that is the habilitation
month itself; with quarterly data the quarter holding it; with yearly stocks at
31 December, the first year-end after habilitation (a territory habilitated in
February 2017 is first treated in the 2017 stock).
"""

from __future__ import annotations

from typing import Literal, get_args

import pandas as pd

Frequency = Literal["monthly", "quarterly", "yearly"]
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
DEFAULT_FREQUENCY: Frequency = "monthly"

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "yearly": 12}
PERIOD_PATTERNS = {
    "monthly": r"^\d{4}-(0[1-9]|1[0-2])$",
    "quarterly": r"^\d{4}-Q[1-4]$",
    "yearly": r"^\d{4}$",
}
PERIOD_EXAMPLES = {"monthly": "YYYY-MM, e.g. 2017-01", "quarterly": "YYYY-Qn, e.g. 2017-Q1",
                   "yearly": "YYYY, e.g. 2017"}
_PANDAS_FREQ = {"monthly": "MS", "quarterly": "QS", "yearly": "YS"}
_PANDAS_PERIOD = {"monthly": "M", "quarterly": "Q", "yearly": "Y"}


class FrequencyError(ValueError):
    """A frequency that is not one of :data:`FREQUENCIES`."""


def check_frequency(frequency: str) -> Frequency:
    """Return ``frequency`` if it is one of :data:`FREQUENCIES`, else raise :class:`FrequencyError`."""
    if frequency not in FREQUENCIES:
        raise FrequencyError(f"frequency must be one of {', '.join(map(repr, FREQUENCIES))}, got {frequency!r}")
    return frequency  # type: ignore[return-value]


def matches_frequency(text: pd.Series, frequency: Frequency) -> pd.Series:
    """True where ``text`` is a period written at ``frequency`` (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``)."""
    return text.str.fullmatch(PERIOD_PATTERNS[check_frequency(frequency)]).fillna(False).astype(bool)


def guess_frequency(text: str) -> Frequency | None:
    """The frequency a single period is written at, or None if it is none of them."""
    for frequency, pattern in PERIOD_PATTERNS.items():
        if pd.Series([text]).str.fullmatch(pattern).iloc[0]:
            return frequency  # type: ignore[return-value]
    return None


def parse_periods(text: pd.Series, frequency: Frequency) -> pd.Series:
    """Period texts at ``frequency`` as first-day timestamps; NaT where the text does not match."""
    valid = matches_frequency(text, frequency)
    cleaned = text.where(valid)
    if frequency == "monthly":
        return pd.to_datetime(cleaned, format="%Y-%m", errors="coerce")
    if frequency == "yearly":
        return pd.to_datetime(cleaned, format="%Y", errors="coerce")
    year = pd.to_numeric(cleaned.str[:4], errors="coerce")
    quarter = pd.to_numeric(cleaned.str[-1], errors="coerce")
    month = (quarter - 1) * 3 + 1
    return pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": 1}), errors="coerce"
    ).where(valid)


def format_period(period: pd.Timestamp, frequency: Frequency) -> str:
    """A period timestamp written as in the data files: ``2017-01``, ``2017-Q1`` or ``2017``."""
    if frequency == "monthly":
        return f"{period:%Y-%m}"
    if frequency == "quarterly":
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}"


def period_range(start: pd.Timestamp, end: pd.Timestamp, frequency: Frequency) -> pd.DatetimeIndex:
    """Every period from ``start`` to ``end`` inclusive, as first-day timestamps."""
    return pd.date_range(start, end, freq=_PANDAS_FREQ[check_frequency(frequency)])


def containing_period(dates: pd.Series | pd.Timestamp, frequency: Frequency):
    """The first day of the period that contains each date (NaT stays NaT).

    Applied to a habilitation month, it gives the first treated period (see the module
    docstring for why).
    """
    code = _PANDAS_PERIOD[check_frequency(frequency)]
    if isinstance(dates, pd.Series):
        return dates.dt.to_period(code).dt.start_time.where(dates.notna())
    if pd.isna(dates):
        return pd.NaT
    return pd.Timestamp(dates).to_period(code).start_time
