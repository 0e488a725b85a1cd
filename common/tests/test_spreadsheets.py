"""The shared tabular helpers (common.spreadsheets) on the files real users send."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.spreadsheets import (
    CellError,
    Column,
    HeaderError,
    SpreadsheetError,
    TableFile,
    WorkbookWriter,
    cell_text,
    csv_chunks,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    values_of,
)
from common.spreadsheets.import_export import CSVAnyChineseEncoding
from common.tests.factories import workbook_bytes

TEXT = "code,name\n411002001,西大街道\n411002002,东大街道\n"


def read(data, **options):
    with TableFile(data) as source:
        return source.read(required=["code", "name"], **options)


# What Excel, WPS and other tools save a csv as: every reader must read all of them.
ENCODED = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8 with BOM": "\ufeff".encode() + TEXT.encode("utf-8"),
    "gbk": TEXT.encode("gbk"),
    "gb18030": TEXT.encode("gb18030"),
    "crlf": TEXT.replace("\n", "\r\n").encode("utf-8"),
}
# What no reader takes, with what its message names.
UNREADABLE = {
    "utf-16": (TEXT.encode("utf-16"), "UTF-16"),
    "latin-1": ("code,name\n1,Zürich café\n".encode("latin-1"), "GBK/GB18030"),
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
def test_csv_is_read_in_every_encoding_users_send(data):
    table = read(data)
    assert table.columns == ["code", "name"]
    assert [(row.number, row["code"], row["name"]) for row in table.rows] == [
        (2, "411002001", "西大街道"),
        (3, "411002002", "东大街道"),
    ]


def test_xlsx_is_read_with_numbers_as_text():
    data = workbook_bytes({"Sheet1": [["Code", "Name"], [411002001, "西大街道"], [None, None]]})
    table = read(data)
    assert [cell_text(row["code"]) for row in table.rows] == ["411002001"]


def test_header_matches_whatever_the_case_and_width():
    table = read("ＣＯＤＥ ,Name\n1,a\n".encode())
    assert table.rows[0]["code"] == "1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        *UNREADABLE.values(),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    ],
    ids=[*UNREADABLE, "empty", "old xls"],
)
def test_unreadable_files_get_a_clear_error(data, message):
    with pytest.raises(SpreadsheetError) as error:
        read(data)
    assert message in error.value.message


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
def test_the_back_office_csv_format_reads_the_same_encodings(data):
    dataset = CSVAnyChineseEncoding().create_dataset(data)
    assert dataset.headers == ["code", "name"]
    assert dataset["name"] == ["西大街道", "东大街道"]


@pytest.mark.parametrize(("data", "message"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_the_back_office_csv_format_refuses_what_the_importers_refuse(data, message):
    with pytest.raises(SpreadsheetError) as error:
        CSVAnyChineseEncoding().create_dataset(data)
    assert message in error.value.message


def test_truncated_xlsx_gets_a_clear_error():
    data = workbook_bytes({"Sheet1": [["code", "name"], ["1", "a"]]})
    with pytest.raises(SpreadsheetError) as error:
        read(data[: len(data) // 2])
    assert "incomplete or damaged" in error.value.message


def test_missing_and_doubled_columns_are_listed():
    with pytest.raises(HeaderError) as error:
        read(b"code,code,title\n1,2,3\n")
    columns = [column for column, _message in error.value.errors]
    assert columns == ["code", "name"]


def test_named_sheet_is_required_when_a_workbook_has_several():
    data = workbook_bytes({"A": [["code", "name"]], "B": [["code", "name"]]})
    with TableFile(data) as source, pytest.raises(SpreadsheetError) as error:
        source.read(sheet="明细", required=["code"])
    assert "明细" in error.value.message


def test_cell_parsers_accept_what_excel_and_people_write():
    assert parse_int("1,234") == 1234
    assert parse_int(12.0) == 12
    assert parse_int("１２") == 12
    assert parse_int("") is None
    assert parse_decimal("￥12,345.678") == Decimal("12345.68")
    assert parse_date("2024/3/5") == datetime.date(2024, 3, 5)
    assert parse_date("2024年3月5日") == datetime.date(2024, 3, 5)
    assert parse_date(45366) == datetime.date(2024, 3, 15)
    assert parse_date(datetime.datetime(2024, 3, 5, 0, 0)) == datetime.date(2024, 3, 5)
    assert parse_month("2024-03") == datetime.date(2024, 3, 1)
    assert parse_month("2024年3月") == datetime.date(2024, 3, 1)
    assert parse_month(datetime.datetime(2024, 3, 9)) == datetime.date(2024, 3, 1)
    assert parse_bool("是") is True
    assert parse_bool("no") is False


@pytest.mark.parametrize(
    ("parser", "value", "message"),
    [
        (parse_int, "-3", "negative"),
        (parse_int, "1.5", "whole number"),
        (parse_int, "abc", "whole number"),
        (parse_decimal, "-0.01", "negative"),
        (parse_date, "2024-02-30", "month 2 has no day 30"),
        (parse_date, "next week", "not a date"),
        (parse_month, "2024-13", "a year has 12 months"),
        (parse_bool, "maybe", "neither yes nor no"),
    ],
)
def test_cell_parsers_reject_bad_values(parser, value, message):
    with pytest.raises(CellError) as error:
        parser(value)
    assert message in error.value.message


def test_workbook_writer_neutralises_formulas_and_formats_columns():
    book = WorkbookWriter()
    sheet = book.add_sheet("汇总", [Column("名称", 20), Column("覆盖率", 10, "0.0%")])
    sheet.append(['=HYPERLINK("http://x")', 0.5])
    sheet.append(["@SUM(A1)", None])
    out = io.BytesIO()
    book.save(out)
    worksheet = load_workbook(io.BytesIO(out.getvalue()))["汇总"]
    assert worksheet.freeze_panes == "A2"
    assert worksheet.column_dimensions["A"].width == pytest.approx(20, abs=1)
    assert worksheet["A1"].font.bold
    # Formula-like text is a quote-prefixed text cell, shown as typed.
    assert worksheet["A2"].value == '=HYPERLINK("http://x")'
    assert worksheet["A2"].data_type == "s" and worksheet["A2"].quotePrefix
    assert worksheet["A3"].value == "@SUM(A1)" and worksheet["A3"].quotePrefix
    assert worksheet["B2"].number_format == "0.0%"


def test_a_record_is_written_under_its_headers_by_each_column_getter():
    columns = [
        Column("名称", 20, value=lambda record: record["name"]),
        Column("日期", 12, "yyyy-mm-dd", lambda record: record["on"]),
    ]
    record = {"on": datetime.date(2024, 3, 15), "name": "=西大街道"}
    assert values_of(columns, record) == ["=西大街道", datetime.date(2024, 3, 15)]
    book = WorkbookWriter()
    book.add_sheet("明细", columns).append_record(record)
    out = io.BytesIO()
    book.save(out)
    worksheet = load_workbook(io.BytesIO(out.getvalue()))["明细"]
    assert [cell.value for cell in worksheet[1]] == ["名称", "日期"]
    assert worksheet["A2"].value == "=西大街道" and worksheet["A2"].quotePrefix
    assert worksheet["B2"].value == datetime.datetime(2024, 3, 15)
    assert worksheet["B2"].number_format == "yyyy-mm-dd"


def test_csv_chunks_start_with_a_bom_and_neutralise():
    data = b"".join(csv_chunks([Column("名称")], [["-1+1"], [3]]))
    assert data.startswith("\ufeff名称\r\n".encode())
    assert data.decode("utf-8-sig").splitlines() == ["名称", "'-1+1", "3"]
