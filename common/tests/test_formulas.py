"""One formula rule for every export and import of the portal: nothing exported starts a
formula, and every value reads back exactly as it was, whichever way it went out and in."""

import io

import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from common.spreadsheets import (
    FORMULA_PREFIXES,
    Column,
    TableFile,
    WorkbookWriter,
    cell_text,
    csv_chunks,
    neutralise,
)
from common.spreadsheets.formulas import restore
from common.spreadsheets.import_export import CSVAnyChineseEncoding, XLSXNeutralised

TRICKY = ["=1+2", "'=1+2", "''@x", "\t=", "+8613800001234", "-3", "'x", "'", "plain"]


@given(st.text(max_size=30) | st.sampled_from(TRICKY))
def test_neutralised_text_never_starts_a_formula_and_restores_exactly(text):
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_PREFIXES)
    assert restore(safe) == text
    assert cell_text(safe) == text.replace("\u3000", " ").strip()


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


@pytest.mark.parametrize("value", ["=1+2", "'=1+2", "''=1+2", "@SUM(A1)", "+86 138", "'plain"])
def test_every_export_writes_the_same_cell_and_every_import_reads_it_back(value):
    workbook = written_by_the_workbook_writer(value)
    xlsx = written_by_the_xlsx_format(value)
    csv_file = written_by_csv_chunks(value)
    csv_format = written_by_the_csv_format(value)

    xlsx_cells = [load_workbook(io.BytesIO(data)).active["A2"] for data in (workbook, xlsx)]
    assert [cell.value for cell in xlsx_cells] == [neutralise(value)] * 2
    assert all(cell.data_type == "s" for cell in xlsx_cells)
    csv_lines = [data.decode("utf-8-sig").splitlines()[1] for data in (csv_file, csv_format)]
    assert csv_lines == [neutralise(value)] * 2

    # The portal's own importers and the back office's formats read every file back.
    assert [read_by_table_file(data) for data in (workbook, xlsx, csv_file, csv_format)] == [
        value
    ] * 4
    assert XLSXNeutralised().create_dataset(xlsx)["v"] == [value]
    assert CSVAnyChineseEncoding().create_dataset(csv_file)["v"] == [value]
