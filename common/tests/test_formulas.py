"""One formula rule for every export and import of the portal: nothing exported starts a
formula, xlsx shows the text as typed (a quote-prefixed text cell, no apostrophe), csv gets
one apostrophe, and every value reads back exactly as it was, whichever way it went out and
in."""

import csv
import io
import zipfile

import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from common.spreadsheets import (
    Column,
    TableFile,
    WorkbookWriter,
    cell_text,
    csv_chunks,
    neutralise,
)
from common.spreadsheets.formulas import formula_like, quote_prefixed, restore
from common.spreadsheets.import_export import CSVAnyChineseEncoding, XLSXNeutralised

# Each starts a formula in Excel, WPS or LibreOffice, or would once an apostrophe comes off.
FORMULA_LIKE = [
    "=1+2",
    "==1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    '=HYPERLINK("http://evil.example","点我")',
    "+86 374 1234567",
    " =1+2",
    "\t=1+2",
    "\r=1+2",
    "\n=1+2",
    "\r\n@SUM(A1)",
    "\u3000=1+2",
    "＝1+2",
    "＋86 138",
    "－1",
    "＠SUM(A1)",
    "'=1+2",
    "''=1+2",
    "' =1",
]
HARMLESS = ["plain", "'x", "'", "1+1", "a=b", "许昌市", "(=1)"]


@given(st.text(max_size=30) | st.sampled_from(FORMULA_LIKE + HARMLESS))
def test_neutralised_text_never_starts_a_formula_and_restores_exactly(text):
    safe = neutralise(text)
    assert not formula_like(safe)
    assert restore(safe) == text
    assert cell_text(safe) == text.replace("\u3000", " ").strip()


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_the_rule_covers_whitespace_line_breaks_full_width_and_doubled_signs(text):
    assert quote_prefixed(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", [*HARMLESS, " ", ""])
def test_harmless_text_is_left_alone(text):
    assert not quote_prefixed(text)
    assert neutralise(text) == text


def written_by_the_workbook_writer(value):
    book = WorkbookWriter()
    book.add_sheet("S", [Column("v")]).append([value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written_by_csv_chunks(value):
    return b"".join(csv_chunks([Column("v")], [[value]]))


def dataset_of(value):
    return tablib.Dataset([value], headers=["v"])


def written_by_the_xlsx_format(value):
    return XLSXNeutralised().export_data(dataset_of(value))


def written_by_the_csv_format(value):
    return CSVAnyChineseEncoding().export_data(dataset_of(value))


def read_by_table_file(data):
    with TableFile(data) as source:
        return cell_text(source.read(required=["v"]).rows[0]["v"])


def csv_cell(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1][0]


@pytest.mark.parametrize("value", FORMULA_LIKE + HARMLESS)
def test_every_export_writes_the_same_cell_and_every_import_reads_it_back(value):
    workbook = written_by_the_workbook_writer(value)
    xlsx = written_by_the_xlsx_format(value)
    csv_file = written_by_csv_chunks(value)
    csv_format = written_by_the_csv_format(value)

    # xlsx: the text exactly as typed, a text cell, quote-prefixed when formula-like.
    xlsx_cells = [load_workbook(io.BytesIO(data)).active["A2"] for data in (workbook, xlsx)]
    # (A line break in an xlsx cell is LF, as Excel writes it.)
    in_xlsx = value.replace("\r\n", "\n").replace("\r", "\n")
    assert [cell.value for cell in xlsx_cells] == [in_xlsx] * 2
    assert all(cell.data_type == "s" for cell in xlsx_cells)
    assert [cell.quotePrefix for cell in xlsx_cells] == [quote_prefixed(value)] * 2
    # csv: one apostrophe in front, once.
    assert [csv_cell(data) for data in (csv_file, csv_format)] == [neutralise(value)] * 2

    # The portal's own importers and the back office's formats read every file back.
    read = [read_by_table_file(data) for data in (workbook, xlsx, csv_file, csv_format)]
    assert read == [value.replace("\u3000", " ").strip()] * 4
    assert XLSXNeutralised().create_dataset(xlsx)["v"] == [in_xlsx]
    assert CSVAnyChineseEncoding().create_dataset(csv_file)["v"] == [value]


def test_no_exported_xlsx_holds_a_formula_or_an_apostrophe():
    book = WorkbookWriter()
    sheet = book.add_sheet("S", [Column("v")])
    for value in FORMULA_LIKE:
        sheet.append([value])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and 't="inlineStr"' in xml
    cells = [row[0] for row in load_workbook(out).active.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    assert sum(cell.value.startswith("'") for cell in cells) == 3  # the three typed with one


def test_an_apostrophe_written_into_an_xlsx_by_an_earlier_export_comes_off():
    # Earlier versions of the portal wrote '=1+2 into the cell itself, without the format.
    book = Workbook()
    book.active.append(["v"])
    book.active.append(["'=1+2"])
    out = io.BytesIO()
    book.save(out)
    assert read_by_table_file(out.getvalue()) == "=1+2"
    assert XLSXNeutralised().create_dataset(out.getvalue())["v"] == ["=1+2"]
