"""Imports of files as clerks send them back: nothing lost and nothing misread (issue 12).

Formulas read through their saved results, errors that name their sheet, one cause per
problem, names checked against codes, and edits to columns the import does not read.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import load_command_class
from django.urls import reverse
from django.utils import translation

from common.spreadsheets import row_ranges
from common.tests.factories import resaved_by_libreoffice, workbook_bytes, zip_bomb_xlsx
from conftest import login
from stations import sheets
from stations.imports import service_records_import, stations_import
from stations.models import Division, ServiceRecord, Staff, Station

from .conftest import open_workbook

ON = datetime.date(2026, 11, 29)
FORMULA_MESSAGE = "该单元格是公式且没有计算结果：请复制后“粘贴为数值”再导入"


def exported(area):
    out = io.BytesIO()
    sheets.write_coverage_workbook(out, area=area, on=ON, staff_of=Station.objects.all())
    return open_workbook(out.getvalue())


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column_of(sheet, header):
    return [cell.value for cell in sheet[1]].index(header)


def row_of(sheet, code):
    """The cells of the row of township `code` (its code in the column 乡镇（街道）代码)."""
    index = column_of(sheet, sheets.TOWNSHIP_CODE)
    return next(row for row in sheet.iter_rows(min_row=2) if row[index].value == code)


def located(report):
    return [(error.sheet, error.row, error.column) for error in report.errors]


@pytest.mark.django_db
def test_formula_without_saved_result_is_an_error_and_blanks_nothing(registry):
    Station.objects.filter(pk=registry.stations["west"].pk).update(address="魏都区建设路7号")
    book = exported(registry.city)
    detail = book["明细"]
    west = row_of(detail, "411002001")
    # A script (openpyxl) writes the formula and no result, as it would be on screen.
    west[column_of(detail, sheets.ADDRESS)].value = '="魏都区"&"建设路7号"'
    with translation.override("zh-hans"):
        report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("明细", west[0].row, sheets.ADDRESS)]
    assert report.errors[0].message == FORMULA_MESSAGE
    assert Station.objects.get(pk=registry.stations["west"].pk).address == "魏都区建设路7号"


@pytest.mark.django_db
def test_formula_in_the_code_cell_reports_only_the_formula(registry):
    book = exported(registry.city)
    staff = book["驻站社工"]
    row = row_of(staff, "411002002")
    row[column_of(staff, sheets.TOWNSHIP_CODE)].value = "=A3"
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("驻站社工", row[0].row, sheets.TOWNSHIP_CODE)]


@pytest.mark.django_db
def test_formula_with_saved_result_imports_its_result(registry):
    book = exported(registry.city)
    detail = book["明细"]
    west = row_of(detail, "411002001")
    west[column_of(detail, sheets.ADDRESS)].value = '="魏都区"&"建设路7号"'
    # LibreOffice calculates the formula and saves its result, as Excel and WPS do.
    report = stations_import(actor=None, file=resaved_by_libreoffice(saved(book)))
    assert report.ok, report.errors
    assert Station.objects.get(pk=registry.stations["west"].pk).address == "魏都区建设路7号"


@pytest.mark.django_db
def test_errors_of_each_sheet_name_it(registry):
    book = exported(registry.city)
    detail, staff, records = book["明细"], book["驻站社工"], book["服务记录"]
    east = row_of(detail, "411002002")
    east[column_of(detail, sheets.STATUS)].value = "开张"
    sun = row_of(staff, "411002003")
    sun[column_of(staff, sheets.ROLE)].value = "主任"
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [
        ("明细", east[0].row, sheets.STATUS),
        ("驻站社工", sun[0].row, sheets.ROLE),
    ]
    with translation.override("zh-hans"):
        assert str(report.errors[0]).startswith(f"明细 第 {east[0].row} 行，状态 列：")
    west = row_of(records, "411002001")
    west[column_of(records, sheets.PEOPLE_SERVED)].value = -1
    report = service_records_import(actor=None, file=saved(book))
    assert located(report) == [("服务记录", west[0].row, sheets.PEOPLE_SERVED)]


@pytest.mark.django_db
def test_admin_preview_has_a_sheet_column(client, registry, secretariat):
    book = exported(registry.city)
    row_of(book["明细"], "411002002")[column_of(book["明细"], sheets.STATUS)].value = "开张"
    login(client, secretariat)
    upload = SimpleUploadedFile("coverage.xlsx", saved(book))
    response = client.post(reverse("admin:stations_station_import"), {"file": upload})
    page = response.content.decode()
    assert '<th scope="col">工作表</th>' in page
    assert "<td>明细</td>" in page
    assert Staff.objects.count() == 7 and ServiceRecord.objects.count() == 5


@pytest.mark.django_db
def test_staff_of_a_refused_new_station_are_mentioned_once(registry):
    book = exported(registry.city)
    detail, staff = book["明细"], book["驻站社工"]
    south = row_of(detail, "411002004")
    south[column_of(detail, sheets.STATION)].value = "南关街道社工站"
    south[column_of(detail, sheets.STATUS)].value = "开张"
    first = staff.max_row + 1
    for name in ("钱一", "钱二", "钱三"):
        staff.append(["411002004", "南关街道", "", name, "社工", "无", "", "2026-05-01", None])
    with translation.override("zh-hans"):
        report = stations_import(actor=None, file=saved(book))
        # One bad cell gives one error, not one more for each of its staff rows.
        assert located(report) == [("明细", south[0].row, sheets.STATUS)]
        assert [(note.sheet, note.row, note.message) for note in report.notes] == [
            (
                "驻站社工",
                None,
                f"第 {first}–{first + 2} 行的驻站社工随该社工站一并未导入"
                f"（明细 第 {south[0].row} 行）",
            )
        ]
    assert not Staff.objects.filter(name__startswith="钱").exists()


@pytest.mark.django_db
def test_staff_of_a_refused_existing_station_are_not_checked_again(registry):
    book = exported(registry.city)
    detail, staff = book["明细"], book["驻站社工"]
    west = row_of(detail, "411002001")
    west[column_of(detail, sheets.OPENED_ON)].value = "2026-02-30"
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("明细", west[0].row, sheets.OPENED_ON)]
    rows = [row[0].row for row in staff.iter_rows(min_row=2) if row[0].value == "411002001"]
    assert len(report.notes) == 1 and len(rows) == 3
    assert f"rows {rows[0]}–{rows[-1]} " in report.notes[0].message


def test_row_ranges_read_like_a_clerk_would():
    with translation.override("zh-hans"):
        assert row_ranges([12, 7, 8, 9, 14, 15]) == "7–9、12、14–15"
    with translation.override("en"):
        assert row_ranges([3]) == "3"


@pytest.mark.django_db
def test_township_name_must_match_its_code(registry):
    book = exported(registry.city)
    detail = book["明细"]
    south = row_of(detail, "411002004")
    south[column_of(detail, sheets.STATION)].value = "北大街道社工站"
    south[column_of(detail, sheets.STATUS)].value = "运营"
    south[column_of(detail, sheets.TOWNSHIP)].value = "北大街道"
    with translation.override("zh-hans"):
        report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("明细", south[0].row, sheets.TOWNSHIP)]
    message = report.errors[0].message
    assert "411002004" in message and "南关街道" in message and "北大街道" in message
    assert not Station.objects.filter(township__code="411002004").exists()


@pytest.mark.django_db
def test_county_code_and_name_must_match_the_township_code(registry):
    book = exported(registry.city)
    detail = book["明细"]
    west = row_of(detail, "411002001")
    west[column_of(detail, sheets.COUNTY_CODE)].value = "411003"
    east = row_of(detail, "411002002")
    east[column_of(detail, sheets.COUNTY)].value = "建安区"
    # Width and spaces are not a disagreement.
    row_of(detail, "411002003")[column_of(detail, sheets.TOWNSHIP)].value = " 西关街道 "
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [
        ("明细", west[0].row, sheets.COUNTY_CODE),
        ("明细", east[0].row, sheets.COUNTY),
    ]
    assert "魏都区" in report.errors[1].message and "建安区" in report.errors[1].message


@pytest.mark.django_db
def test_staff_and_records_check_the_township_name(registry):
    book = exported(registry.city)
    staff, records = book["驻站社工"], book["服务记录"]
    zhang = row_of(staff, "411002001")
    zhang[column_of(staff, sheets.TOWNSHIP)].value = "东大街道"
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("驻站社工", zhang[0].row, sheets.TOWNSHIP)]
    record = row_of(records, "411003001")
    record[column_of(records, sheets.TOWNSHIP)].value = "五女店镇"
    report = service_records_import(actor=None, file=saved(book))
    assert located(report) == [("服务记录", record[0].row, sheets.TOWNSHIP)]


@pytest.mark.django_db
def test_a_future_arrival_date_is_refused_like_a_future_opening(registry):
    book = exported(registry.city)
    staff = book["驻站社工"]
    staff.append(["411002001", "西大街道", "", "新来的", "社工", "无", "", "2099-01-01", None])
    report = stations_import(actor=None, file=saved(book))
    assert located(report) == [("驻站社工", staff.max_row, sheets.SINCE)]
    assert "future" in report.errors[0].message


@pytest.mark.django_db
def test_choice_errors_list_the_chinese_words_only(registry):
    book = exported(registry.city)
    staff = book["驻站社工"]
    zhang = row_of(staff, "411002001")
    zhang[column_of(staff, sheets.QUALIFICATION)].value = "中级社工"
    with translation.override("zh-hans"):
        report = stations_import(actor=None, file=saved(book))
    message = report.errors[0].message
    assert "无、助理社会工作师、社会工作师、高级社会工作师" in message
    assert "social_worker" not in message and "初级" not in message


@pytest.mark.parametrize(
    "command", ["import_stations", "import_divisions", "import_service_records"]
)
def test_import_commands_explain_themselves_in_chinese(command):
    with translation.override("zh-hans"):
        text = load_command_class("stations", command).create_parser("manage.py", command)
        text = text.format_help()
    assert "要么全部导入，要么都不导入" in text
    for english in ("show this help", "usage:", "positional arguments", "Verbosity level"):
        assert english not in text
    assert "只检查文件" in text


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_by_every_station_import(registry, settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 100
    for service in (stations_import, service_records_import):
        report = service(actor=None, file=zip_bomb_xlsx())
        assert [(error.row, error.column) for error in report.errors] == [(None, "")]
        assert "100" in report.errors[0].message


@pytest.mark.django_db
def test_service_records_are_checked_in_python_and_written_in_bulk(
    registry, django_assert_max_num_queries
):
    months = [f"2025-{month:02d}" for month in range(1, 13)]
    codes = ["411002001", "411002002", "411002003", "411003001"]
    lines = ["乡镇（街道）代码,月份,服务人次,链接资金（元）"]
    lines += [
        f"{code},{month},{index},{index}.5"
        for index, (code, month) in enumerate((code, month) for code in codes for month in months)
    ]
    data = ("\n".join(lines) + "\n").encode()
    # A handful of queries for 48 rows, as for 100,000: none per row.
    with django_assert_max_num_queries(8):
        report = service_records_import(actor=None, file=data)
    assert report.ok and report.created == 47 and report.updated == 1, report.errors
    record = ServiceRecord.objects.get(station__township__code="411002003", month="2025-01-01")
    assert (record.people_served, str(record.funds_linked)) == (24, "24.50")
    untouched = ServiceRecord.objects.get(station__township__code="411002001", month="2026-01-01")
    assert untouched.people_served == 200


@pytest.mark.django_db
def test_an_exported_workbook_has_no_unread_edits(registry):
    report = stations_import(actor=None, file=saved(exported(registry.city)), dry_run=True)
    assert report.ok and report.notes == []


@pytest.mark.django_db
def test_edits_to_columns_the_import_does_not_read_are_noted_once_per_column(registry):
    book = exported(registry.city)
    detail = book["明细"]
    quasi, south = row_of(detail, "411002570"), row_of(detail, "411002004")
    quasi[column_of(detail, sheets.COUNTS)].value = "是"
    south[column_of(detail, sheets.COUNTS)].value = "否"
    south[column_of(detail, sheets.COVERED)].value = "是"
    assert quasi[0].row == south[0].row + 1
    row_of(detail, "411002001")[column_of(detail, sheets.RESIDENT)].value = None  # cleared
    with translation.override("zh-hans"):
        report = stations_import(actor=None, file=saved(book))
    assert report.ok, report.errors
    assert [(note.sheet, note.column, note.message) for note in report.notes] == [
        (
            "明细",
            sheets.COUNTS,
            f"计入覆盖率 列由系统维护，本次修改不会导入（第 {south[0].row}–{quasi[0].row} 行）",
        ),
        ("明细", sheets.COVERED, f"已覆盖 列由系统维护，本次修改不会导入（第 {south[0].row} 行）"),
    ]
    assert not Division.objects.get(code="411002570").counts_toward_coverage


@pytest.mark.django_db
def test_unread_columns_are_compared_as_of_the_date_the_workbook_states(registry):
    book = exported(registry.city)
    # The exported 说明 sheet states the date; figures as of a day before 东大街道's
    # station opened (2023-06-15).
    as_of = next(row for row in book["说明"].iter_rows() if row[0].value == "统计截止日期")
    as_of[1].value = "2023-01-01"
    report = stations_import(actor=None, file=saved(book), dry_run=True)
    covered = [note for note in report.notes if note.column == sheets.COVERED]
    east = row_of(book["明细"], "411002002")
    assert len(covered) == 1 and f"rows {east[0].row}" in covered[0].message


@pytest.mark.django_db
def test_stations_and_staff_are_checked_in_python_and_written_in_bulk(
    registry, django_assert_max_num_queries
):
    Division.objects.bulk_create(
        Division(
            code=f"411002{number}", name=f"新乡镇{number}", level="township", parent=registry.county
        )
        for number in range(200, 240)
    )
    stations = [["乡镇（街道）代码", "社工站", "状态", "建站日期"]]
    staff = [["乡镇（街道）代码", "姓名", "岗位", "职业资格", "到岗日期"]]
    for number in range(200, 240):
        stations.append([f"411002{number}", f"新社工站{number}", "运营", "2025-01-01"])
        staff.append([f"411002{number}", f"社工{number}", "站长", "社会工作师", "2025-01-01"])
    data = workbook_bytes({"明细": stations, "驻站社工": staff})
    # As many queries for 40 stations and 40 social workers as for 40,000: none per row.
    with django_assert_max_num_queries(16):
        report = stations_import(actor=None, file=data)
    assert report.ok and report.created == 80, report.errors
    assert Staff.objects.get(name="社工239").station.township.code == "411002239"


@pytest.mark.django_db
def test_station_names_in_the_staff_and_record_sheets_are_noted_when_edited(registry):
    book = exported(registry.city)
    staff, records = book["驻站社工"], book["服务记录"]
    zhao = row_of(staff, "411002002")
    zhao[column_of(staff, sheets.STATION)].value = "东大街道社会工作服务站"
    del book["明细"]
    report = stations_import(actor=None, file=saved(book))
    assert report.ok and [(note.sheet, note.column) for note in report.notes] == [
        ("驻站社工", sheets.STATION)
    ]
    assert f"rows {zhao[0].row} " in report.notes[0].message
    record = row_of(records, "411003001")
    record[column_of(records, sheets.STATION)].value = "许由社工站"
    report = service_records_import(actor=None, file=saved(book))
    assert report.ok and [(note.sheet, note.column) for note in report.notes] == [
        ("服务记录", sheets.STATION)
    ]
    assert Station.objects.get(township__code="411002002").name == "东大街道社工站"
