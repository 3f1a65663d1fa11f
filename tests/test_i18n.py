"""The message catalogue and locale-aware formatting."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from tzeval.i18n import (
    LANGUAGES,
    MESSAGES,
    UnknownLanguageError,
    format_interval,
    format_month,
    format_number,
    format_p_statement,
    format_p_value,
    format_percent,
    text,
)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    assert set(MESSAGES[key]) == set(LANGUAGES)
    fields = {lang: {f for _, f, _, _ in string.Formatter().parse(MESSAGES[key][lang]) if f} for lang in LANGUAGES}
    assert fields["fr"] == fields["en"]


def test_french_is_the_default():
    assert text("heading_findings") == "L'essentiel"
    assert text("heading_findings", "en") == "Key findings"


def test_unknown_language_is_refused_clearly():
    with pytest.raises(UnknownLanguageError, match="choose one of: fr, en"):
        text("heading_findings", "de")


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "signed", "expected"),
    [
        (-0.4567, "fr", 2, False, "\u22120,46"),
        (12345.6, "fr", 1, False, "12\u202f345,6"),
        (-1234.5, "en", 1, False, "-1,234.5"),
        (0.3, "en", 2, True, "+0.30"),
        (-0.001, "fr", 2, True, "0,00"),
        (float("nan"), "fr", 2, False, "–"),
        (float("-inf"), "en", 2, False, "-∞"),
        (float("-inf"), "fr", 2, False, "\u2212∞"),
    ],
)
def test_format_number(value, lang, decimals, signed, expected):
    assert format_number(value, lang, decimals, signed=signed) == expected


def test_percent_p_value_and_month():
    assert format_percent(0.95, "fr") == "95\u202f%"
    assert format_percent(0.95, "en") == "95%"
    assert format_p_value(0.004, "fr") == "< 0,01"
    assert format_p_value(0.2349, "en") == "0.23"
    assert format_p_statement(0.004, "fr") == "p < 0,01"
    assert format_p_statement(0.2349, "fr") == "p = 0,23"
    assert format_month(pd.Timestamp("2017-03-01"), "fr") == "mars 2017"
    assert format_month(pd.Timestamp("2017-03-01"), "en") == "March 2017"


def test_format_interval():
    assert format_interval(-0.4923, 0.1153, "fr") == "[\u22120,49 ; 0,12]"
    assert format_interval(-0.4923, 0.1153, "en") == "[-0.49 ; 0.12]"
    assert format_interval(16552, 23628, "fr", 0) == "[16\u202f552 ; 23\u202f628]"


def test_dates_read_as_words():
    import datetime as dt

    from tzeval.i18n import format_date

    assert format_date(dt.date(2026, 12, 2), "fr") == "2 décembre 2026"
    assert format_date(dt.date(2026, 12, 2), "en") == "2 December 2026"
