"""Reading workbooks as clerks' tools save them: formulas through their saved results,
errors that name their sheet."""

import io

import xlsxwriter
from django.utils import translation

from common.spreadsheets import ImportReport, TableFile
from common.tests.factories import resaved_by_libreoffice, workbook_bytes

FORMULA_MESSAGE = "该单元格是公式且没有计算结果：请复制后“粘贴为数值”再导入"


def read(data, sheet=None):
    with TableFile(data) as source:
        return source.read(sheet=sheet, required=["code", "address"])


def unsaved_formula_workbook():
    # openpyxl (like other scripts) writes the formula and no result.
    return workbook_bytes(
        {"明细": [["code", "address"], ["411002001", '="魏都区"&"建设路7号"'], ["411002002", "x"]]}
    )


def test_formula_without_saved_result_is_an_error_of_its_cell():
    with translation.override("zh-hans"):
        table = read(unsaved_formula_workbook())
    assert [(row, column) for row, column, _message in table.problems] == [(2, "address")]
    # It reads as empty text, and never as the formula.
    assert table.rows[0]["address"] == ""
    report = ImportReport()
    report.reading(table)
    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == [
        ("明细", 2, "address", FORMULA_MESSAGE)
    ]


def test_formula_with_saved_result_reads_as_the_result():
    # Excel and WPS save a formula's result beside it, as XlsxWriter does here.
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("明细")
    sheet.write_row(0, 0, ["code", "address"])
    sheet.write_string(1, 0, "411002001")
    sheet.write_formula(1, 1, '="魏都区"&"建设路7号"', None, "魏都区建设路7号")
    sheet.write_string(2, 0, "411002002")
    sheet.write_formula(2, 1, "=1+1", None, 2)
    book.close()
    table = read(out.getvalue())
    assert table.problems == []
    assert [row["address"] for row in table.rows] == ["魏都区建设路7号", 2]


def test_workbook_resaved_by_libreoffice_reads_the_results_it_calculated():
    table = read(resaved_by_libreoffice(unsaved_formula_workbook()))
    assert table.problems == []
    assert [row["address"] for row in table.rows] == ["魏都区建设路7号", "x"]


def test_a_row_holding_only_an_unsaved_formula_is_not_skipped_as_blank():
    data = workbook_bytes({"明细": [["code", "address"], ["=A3", '=""&""'], ["1", "x"]]})
    table = read(data)
    assert [(row, column) for row, column, _message in table.problems] == [
        (2, "code"),
        (2, "address"),
    ]
    assert [row.number for row in table.rows] == [2, 3]


def test_rows_keep_their_sheet_numbers_when_the_file_leaves_rows_out():
    data = workbook_bytes({"明细": [["code", "address"], ["1", "a"], [], [], ["2", "b"]]})
    assert [row.number for row in read(data).rows] == [2, 5]


def test_errors_name_their_sheet_in_chinese_and_english():
    report = ImportReport()
    report.sheet = "明细"
    report.error(5, "运营机构", "x")
    report.error(6, "", "y")
    report.sheet = None
    report.error(7, "地址", "z")
    with translation.override("zh-hans"):
        assert [str(error) for error in report.errors] == [
            "明细 第 5 行，运营机构 列：x",
            "明细 第 6 行：y",
            "第 7 行，地址 列：z",
        ]
    with translation.override("en"):
        assert str(report.errors[0]) == "明细, row 5, column 运营机构: x"


def test_a_cell_in_error_keeps_its_first_error_only():
    report = ImportReport()
    report.sheet = "明细"
    report.error(5, "地址", "first")
    report.error(5, "地址", "second")
    report.sheet = "驻站社工"
    report.error(5, "地址", "other sheet")
    assert [error.message for error in report.errors] == ["first", "other sheet"]
