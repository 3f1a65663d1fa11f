"""Reading downloaded tables: encodings, separators, French numbers and workbooks."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from tzeval.reading import (
    SUPPRESSION_MARKERS,
    TableReadProblem,
    find_table,
    is_suppressed,
    normalise_number_text,
    read_table,
)


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def data_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if not column.startswith("_")]


# --- suppression markers -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", " s ", "S", "ND", "n.d.", "N.S.", "secret", "<5", "< 10", "<  3"])
def test_suppression_markers_are_recognised(text):
    assert is_suppressed(pd.Series([text])).tolist() == [True]


@pytest.mark.parametrize("text", ["0", "5", "sa", "nds", "<", "<5.5", "< 5 ans", "> 5", "secrets"])
def test_values_are_not_suppression_markers(text):
    assert is_suppressed(pd.Series([text])).tolist() == [False]


def test_missing_cells_count_as_blank_and_markers_are_lower_case():
    assert is_suppressed(pd.Series([None, "12"])).tolist() == [True, False]
    assert all(marker == marker.strip().lower() for marker in SUPPRESSION_MARKERS)


# --- numbers written the French way --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 230", "1230"),
        ("1\u00a0230", "1230"),
        ("1\u202f230", "1230"),
        ("1\u2009230", "1230"),
        ("12 345 678,5", "12345678.5"),
        ("12,5", "12.5"),
        ("1 230,75", "1230.75"),
        ("1.230,5", "1230.5"),
        ("1.230.456,78", "1230456.78"),
        ("1,230.5", "1230.5"),
        ("1,230", "1.230"),  # a lone comma is a decimal comma in French files
        ("-1 230,5", "-1230.5"),
        ("\u22123", "-3"),
        ("\u22121\u202f230,5", "-1230.5"),
        ("+4", "4"),
        ("1,5e3", "1.5e3"),
        # already canonical: unchanged
        ("1230", "1230"),
        ("12.5", "12.5"),
        ("-3", "-3"),
        ("1.5e3", "1.5e3"),
        ("0", "0"),
        ("", ""),
        # not a number in any of the recognised forms: unchanged for the caller to reject
        ("abc", "abc"),
        ("12 34", "12 34"),
        ("1 2345", "1 2345"),
        ("1,2,3", "1,2,3"),
        ("1.230,5,6", "1.230,5,6"),
        ("1.23,5", "1.23,5"),
        ("1,23.5", "1,23.5"),
        ("1.230.456", "1.230.456"),
        ("12,5 €", "12,5 €"),
        ("- 3", "- 3"),
    ],
)
def test_normalise_number_text(text, expected):
    assert normalise_number_text(pd.Series([text])).tolist() == [expected]


def test_normalise_number_text_keeps_index_and_missing_values():
    text = pd.Series(["1 230,5", None, "x"], index=[10, 20, 30])
    result = normalise_number_text(text)
    assert result.index.tolist() == [10, 20, 30]
    assert result[10] == "1230.5" and result[30] == "x" and pd.isna(result[20])
    assert text[10] == "1 230,5"  # the input is not modified


def test_normalised_numbers_parse_with_pandas():
    text = pd.Series(["1\u202f230,75", "\u22122,5", "1.000,25"] * 1000)
    numbers = pd.to_numeric(normalise_number_text(text))
    assert numbers[:3].tolist() == [1230.75, -2.5, 1000.25]


# --- finding a table -----------------------------------------------------------------


def test_find_table_prefers_csv_then_xlsx(tmp_path):
    assert find_table(tmp_path, "outcomes.csv") is None
    (tmp_path / "outcomes.xlsx").write_bytes(b"")
    assert find_table(tmp_path, "outcomes.csv") == tmp_path / "outcomes.xlsx"
    (tmp_path / "outcomes.csv").write_text("a\n")
    assert find_table(tmp_path, "outcomes.csv") == tmp_path / "outcomes.csv"


# --- CSV files -----------------------------------------------------------------------


def test_semicolon_file_with_french_numbers(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "territory ; month;jobseekers;rate\n"
        "colombey-les-belles;2017-01; 1 230 ;12,5\n"
        "thiers;2017-01;1\u00a0230;1\u202f230,75\n"
        "mauleon;2017-01;\"1;2\";\n",
        encoding="utf-8",
    )
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert list(frame.columns) == ["_row", "territory", "month", "jobseekers", "rate"]
    assert frame["_row"].tolist() == [1, 2, 3]
    assert frame["jobseekers"].tolist() == ["1 230", "1\u00a0230", "1;2"]  # read, not converted
    assert frame["rate"].tolist() == ["12,5", "1\u202f230,75", ""]
    assert normalise_number_text(frame["jobseekers"]).tolist() == ["1230", "1230", "1;2"]
    assert normalise_number_text(frame["rate"]).tolist() == ["12.5", "1230.75", ""]
    assert all(isinstance(value, str) for value in frame.drop(columns="_row").to_numpy().ravel())


def test_latin1_file(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes("commune;population\nÉvreux;47 000\nSaint-Étienne;170 000\n".encode("latin-1"))
    frame, problems = read_table(path, "places.csv")
    assert problems == []
    assert frame["commune"].tolist() == ["Évreux", "Saint-Étienne"]


def test_windows_1252_characters(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_bytes("item;cost\nœuvre – repas;12 €\n".encode("cp1252"))
    frame, _ = read_table(path, "costs.csv")
    assert frame.loc[0, "item"] == "œuvre – repas" and frame.loc[0, "cost"] == "12 €"


def test_utf8_bom_does_not_pollute_the_header(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_bytes("\ufeffterritory,value\nÉvreux,1\n".encode())
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert list(frame.columns) == ["_row", "territory", "value"]
    assert frame["territory"].tolist() == ["Évreux"]


def test_utf16_export_with_tabs(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_bytes("a\tb\n1\tÉ\n".encode("utf-16"))
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert frame[["a", "b"]].to_numpy().tolist() == [["1", "É"]]


def test_tab_separated_file_with_commas_in_values(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("name\tvalue\tnote\nthiers\t12,5\ta, b\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert frame[["name", "value", "note"]].to_numpy().tolist() == [["thiers", "12,5", "a, b"]]


def test_comma_separated_file_with_quoted_commas(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text('name,value\n"Paris, 13e","1,5"\n')
    frame, _ = read_table(path, "outcomes.csv")
    assert frame[["name", "value"]].to_numpy().tolist() == [["Paris, 13e", "1,5"]]


def test_values_that_look_like_numbers_or_missing_stay_text(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("code;value;other\n01234;NA;1.50\n007;;nan\n")
    frame, _ = read_table(path, "outcomes.csv")
    assert frame[["code", "value", "other"]].to_numpy().tolist() == [["01234", "NA", "1.50"], ["007", "", "nan"]]


def test_blank_rows_keep_row_numbers_and_trailing_blank_rows_are_dropped(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("a;b\n1;2\n\n3\n;\n  \n\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert frame.to_numpy().tolist() == [[1, "1", "2"], [2, "", ""], [3, "3", ""]]


def test_windows_line_endings_and_blank_lines_above_the_header(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_bytes(b"\r\n  \r\na;b\r\n1;2\r\n\r\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert frame.to_numpy().tolist() == [[1, "1", "2"]]


@pytest.mark.parametrize("content", ["", "\n\n", "a;b\n", "a;b\n;\n"])
def test_empty_and_header_only_files_give_zero_rows(tmp_path, content):
    path = tmp_path / "outcomes.csv"
    path.write_text(content)
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == []
    assert len(frame) == 0 and "_row" in frame.columns


def test_trailing_separator_adds_no_column(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("a;b;\n1;2;\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert problems == [] and list(frame.columns) == ["_row", "a", "b"]


def test_values_under_a_blank_name_are_a_problem(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("a;;c\n1;lost;3\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert frame is None
    assert [problem.rule for problem in problems] == ["column 2 has values but no name in the header"]


def test_repeated_column_name_is_a_problem(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("a;b;a\n1;2;3\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert frame is None
    assert [(problem.row, problem.column) for problem in problems] == [(None, "a")]
    assert "more than once" in problems[0].rule


def test_ragged_rows_are_a_problem(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("a;b\n1;2\n3;4;5\n")
    frame, problems = read_table(path, "outcomes.csv")
    assert frame is None
    assert len(problems) == 1 and isinstance(problems[0], TableReadProblem)
    assert problems[0].rule.startswith("not a readable table separated by ';'")
    assert "line 3" in problems[0].rule


def test_binary_file_under_a_csv_name(tmp_path):
    path = tmp_path / "outcomes.csv"
    write_workbook(path, {"s": [["a"], [1]]})
    frame, problems = read_table(path, "outcomes.csv")
    assert frame is None
    assert problems[0].rule.startswith("the file is neither UTF-8 nor Latin-1 text")


def test_missing_file(tmp_path):
    frame, problems = read_table(tmp_path / "absent.csv", "absent.csv")
    assert frame is None and "cannot be opened" in problems[0].rule


# --- Excel workbooks -----------------------------------------------------------------


def test_workbook_sheets_are_stacked_with_sheet_and_row(tmp_path):
    path = write_workbook(
        tmp_path / "outcomes.xlsx",
        {
            "2023": [["territory", "count", "rate"], ["thiers", 123.0, 0.1], ["mauleon", 7, 12.5]],
            "notes": [],
            "2024": [[" rate ", "territory", "count"], [1 / 3, " thiers ", 1230], [None, "pipriac", None]],
        },
    )
    frame, problems = read_table(path, "outcomes.xlsx")
    assert problems == []
    assert list(frame.columns) == ["_row", "_sheet", "territory", "count", "rate"]
    assert frame["_sheet"].tolist() == ["2023", "2023", "2024", "2024"]
    assert frame["_row"].tolist() == [1, 2, 1, 2]
    assert frame["territory"].tolist() == ["thiers", "mauleon", "thiers", "pipriac"]
    assert frame["count"].tolist() == ["123", "7", "1230", ""]
    assert frame["rate"].tolist() == ["0.1", "12.5", repr(1 / 3), ""]
    assert float(frame.loc[2, "rate"]) == 1 / 3  # no digit lost


def test_workbook_cells_become_text(tmp_path):
    path = write_workbook(
        tmp_path / "outcomes.xlsx",
        {
            "data": [
                ["month", "stamp", "flag", "code", "big"],
                [dt.datetime(2017, 1, 1), dt.datetime(2017, 1, 1, 8, 30), True, "01234", 1e20],
                [dt.date(2017, 2, 1), None, False, "  x  ", 2.5e-7],
            ]
        },
    )
    frame, problems = read_table(path, "outcomes.xlsx")
    assert problems == []
    assert frame.drop(columns=["_row", "_sheet"]).to_numpy().tolist() == [
        ["2017-01-01", "2017-01-01 08:30:00", "TRUE", "01234", "100000000000000000000"],
        ["2017-02-01", "", "FALSE", "x", "2.5e-07"],
    ]


def test_workbook_trailing_empty_rows_are_dropped(tmp_path):
    path = tmp_path / "outcomes.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(["a", "b"])
    sheet.append([1, 2])
    sheet.append([None, None])
    sheet.append([3, None])
    sheet["B10"] = ""  # formatting far below the table makes openpyxl report more rows
    sheet.cell(row=12, column=1).number_format = "0.00"
    workbook.save(path)
    frame, problems = read_table(path, "outcomes.xlsx")
    assert problems == []
    assert frame[["_row", "a", "b"]].to_numpy().tolist() == [[1, "1", "2"], [2, "", ""], [3, "3", ""]]


def test_workbook_with_a_wrong_recorded_size_is_read_whole(tmp_path):
    # Some exporters record a sheet size smaller than the data; read-only openpyxl trusts it.
    source = write_workbook(tmp_path / "source.xlsx", {"data": [["a", "b"], [1, 2], [3, 4]]})
    path = tmp_path / "outcomes.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', content)
            zout.writestr(item, content)
    frame, problems = read_table(path, "outcomes.xlsx")
    assert problems == []
    assert frame[["a", "b"]].to_numpy().tolist() == [["1", "2"], ["3", "4"]]


def test_workbook_sheets_with_different_columns(tmp_path):
    path = write_workbook(
        tmp_path / "outcomes.xlsx",
        {"2024": [["a", "b"], [1, 2]], "2023": [["c", "d"], [3, 4]]},
    )
    frame, problems = read_table(path, "outcomes.xlsx")
    assert frame is None
    assert [problem.rule for problem in problems] == [
        "sheet '2023' has columns c, d but sheet '2024' has a, b; every sheet must have the same columns"
    ]


def test_workbook_header_only_and_empty(tmp_path):
    frame, problems = read_table(write_workbook(tmp_path / "a.xlsx", {"s": [["a", "b"]]}), "a.xlsx")
    assert problems == [] and len(frame) == 0 and data_columns(frame) == ["a", "b"]
    frame, problems = read_table(write_workbook(tmp_path / "b.xlsx", {"s": []}), "b.xlsx")
    assert problems == [] and len(frame) == 0 and list(frame.columns) == ["_row", "_sheet"]


def test_workbook_with_header_below_the_first_row(tmp_path):
    path = write_workbook(tmp_path / "outcomes.xlsx", {"data": [[None], ["a", "b"], [1, 2]]})
    frame, problems = read_table(path, "outcomes.xlsx")
    assert frame is None
    assert "no sheet has column names on its first row" in problems[0].rule


def test_workbook_problem_names_the_sheet(tmp_path):
    path = write_workbook(tmp_path / "outcomes.xlsx", {"2024": [["a", "a"], [1, 2]]})
    frame, problems = read_table(path, "outcomes.xlsx")
    assert frame is None
    assert problems[0].column == "a" and problems[0].rule.startswith("sheet '2024': ")


def test_unreadable_workbook(tmp_path):
    path = tmp_path / "outcomes.xlsx"
    path.write_text("territory;value\n")
    frame, problems = read_table(path, "outcomes.xlsx")
    assert frame is None
    assert problems[0].rule.startswith("not a readable Excel workbook (.xlsx)")
    assert str(tmp_path) not in problems[0].rule
