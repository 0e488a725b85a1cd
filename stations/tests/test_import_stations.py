"""Importing stations, staff and service records: round trips, errors per cell, all or nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from common.tests.factories import workbook_bytes
from members.models import Member
from stations import sheets
from stations.imports import service_records_import, stations_import
from stations.models import ServiceRecord, Staff, Station

from .conftest import open_workbook

ON = datetime.date(2026, 11, 29)
STATION_HEADER = [
    "乡镇（街道）代码",
    "社工站",
    "状态",
    "运营机构",
    "建站日期",
    "场地面积（平方米）",
]
STAFF_HEADER = [
    "乡镇（街道）代码",
    "社工站",
    "姓名",
    "岗位",
    "职业资格",
    "证书编号",
    "到岗日期",
    "离岗日期",
]
RECORD_HEADER = ["乡镇（街道）代码", "社工站", "月份", "个案数", "服务人次", "链接资金（元）"]


def exported(area):
    out = io.BytesIO()
    sheets.write_coverage_workbook(out, area=area, on=ON, staff_of=Station.objects.all())
    return open_workbook(out.getvalue())


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(report):
    return [(error.row, error.column) for error in report.errors]


def snapshot():
    return (
        list(Station.objects.order_by("pk").values_list()),
        list(Staff.objects.order_by("pk").values_list()),
        list(ServiceRecord.objects.order_by("pk").values_list()),
    )


@pytest.mark.django_db
def test_exported_workbook_imports_back_unchanged(registry):
    before = snapshot()
    report = stations_import(actor=None, file=saved(exported(registry.city)))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Station.objects.count() + Staff.objects.count()
    records = service_records_import(actor=None, file=saved(exported(registry.city)))
    assert records.ok and records.unchanged == 4
    assert snapshot() == before


def exported_csv(area):
    out = io.BytesIO()
    sheets.write_coverage_csv(out, area=area, on=ON)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["=1+2", "'=1+2", "@SUM(A1)"])
@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_formula_like_text_is_exported_safely_and_imports_back_as_it_was(registry, text, export):
    Station.objects.filter(pk=registry.stations["west"].pk).update(operator_name=text, address=text)
    before = snapshot()
    data = saved(exported(registry.city)) if export == "xlsx" else exported_csv(registry.city)
    report = stations_import(actor=None, file=data)
    assert report.ok, report.errors
    assert report.updated == 0
    assert snapshot() == before


@pytest.mark.django_db
def test_workbook_edited_in_excel_imports_its_changes(registry, unit_representative):
    book = exported(registry.city)
    detail = book["明细"]
    columns = [cell.value for cell in detail[1]]
    rows = {row[2].value: row for row in detail.iter_rows(min_row=2)}
    name, status, operator, opened = (
        columns.index(header) for header in ("社工站", "状态", "运营机构", "建站日期")
    )
    # Build a station in 南关街道, rename 西大's, link 东大's operator to a unit member.
    rows["411002004"][name].value = "南关街道社会工作服务站"
    rows["411002004"][status].value = "运营"
    rows["411002004"][opened].value = datetime.datetime(2026, 5, 1)
    rows["411002001"][name].value = "西大街道社工站（新址）"
    rows["411002002"][operator].value = "许昌市阳光社会工作服务中心"
    staff = book["驻站社工"]
    staff.append(
        ["411002004", "南关街道", "", "钱多多", "站长", "社会工作师", "ZS001", "2026-05-01", None]
    )
    records = book["服务记录"]
    records.append(["411002004", "南关街道", "", "2026-06", 3, 1, 2, 88, 5, 1200.5])

    report = stations_import(actor=None, file=saved(book))
    assert report.ok, report.errors
    assert report.by_kind == {
        "stations": {"create": 1, "update": 2, "unchanged": 4},
        "resident social workers": {"create": 1, "update": 0, "unchanged": 7},
    }
    new = Station.objects.get(township__code="411002004")
    assert (new.status, new.opened_on) == ("operating", datetime.date(2026, 5, 1))
    assert new.staff.get().qualification == "social_worker"
    assert Station.objects.get(township__code="411002001").name == "西大街道社工站（新址）"
    east = Station.objects.get(township__code="411002002")
    assert east.operator == Member.objects.get(user=unit_representative)
    assert east.operator_name == ""

    report = service_records_import(actor=None, file=saved(book))
    assert report.ok and report.created == 1
    record = ServiceRecord.objects.get(station=new)
    assert (record.month, record.people_served, record.funds_linked) == (
        datetime.date(2026, 6, 1),
        88,
        Decimal("1200.50"),
    )


@pytest.mark.django_db
def test_station_errors_name_row_and_column_and_nothing_is_written(registry):
    before = snapshot()
    data = workbook_bytes(
        {
            "明细": [
                STATION_HEADER,
                ["411002004", "南关站", "运营", "", "2026-02-30", 100],
                ["411009001", "无此乡镇站", "运营", "", "2025-01-01", 100],
                ["411002004", "南关第二站", "筹建", "", "", None],
                ["411002001", "西大站", "开张", "", "2020-03-01", -5],
                ["411002002", "未建", "", "", "", None],
                ["411003101", "五女店站", "运营", "", "", None],
                ["411002003", "西关站", "运营", "", "2099-01-01", None],
            ]
        }
    )
    report = stations_import(actor=None, file=data)
    assert errors_of(report) == [
        (2, "建站日期"),
        (3, "乡镇（街道）代码"),
        (4, "乡镇（街道）代码"),
        (5, "状态"),
        (5, "场地面积（平方米）"),
        (6, "社工站"),
        (7, "建站日期"),
        (8, "建站日期"),
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_staff_errors_and_dry_run(registry):
    before = snapshot()
    data = workbook_bytes(
        {
            "驻站社工": [
                STAFF_HEADER,
                ["411002004", "", "甲", "社工", "无", "", "2024-01-01", None],
                ["411002001", "", "乙", "厨师", "无", "", "2024-01-01", None],
                ["411002001", "", "丙", "社工", "无", "", "2024-01-01", "2023-01-01"],
                ["411002001", "", "丁", "社工", "无", "", "", None],
                ["411002001", "", "戊", "社工", "无", "", "2024-01-01", None],
                ["411002001", "", "戊", "助理", "无", "", "2024-01-01", None],
            ]
        }
    )
    report = stations_import(actor=None, file=data)
    assert errors_of(report) == [
        (2, "乡镇（街道）代码"),
        (3, "岗位"),
        (4, "离岗日期"),
        (5, "到岗日期"),
        (7, "姓名"),
    ]
    good = workbook_bytes(
        {
            "驻站社工": [
                STAFF_HEADER,
                ["411002001", "", "戊", "社工", "助理社会工作师", "", "2024-01-01", None],
            ]
        }
    )
    preview = stations_import(actor=None, file=good, dry_run=True)
    assert preview.ok and preview.created == 1
    assert snapshot() == before
    assert stations_import(actor=None, file=good).created == 1
    assert Staff.objects.filter(name="戊").exists()


@pytest.mark.django_db
def test_station_csv_in_gbk_imports(registry):
    text = "乡镇（街道）代码,社工站,状态,建站日期\n411002004,南关街道社工站,筹建,\n"
    report = stations_import(actor=None, file=text.encode("gbk"))
    assert report.ok, report.errors
    assert Station.objects.get(township__code="411002004").status == "planned"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("名称,状态\n南关站,运营\n".encode(), [(1, "乡镇（街道）代码"), (1, "社工站")]),
        ("乡镇（街道）代码,社工站,状态\n411002004,南关站,运营\n".encode("utf-16"), [(None, "")]),
    ],
    ids=["wrong header", "wrong encoding"],
)
def test_malformed_station_files_write_nothing(registry, data, expected):
    before = snapshot()
    assert errors_of(stations_import(actor=None, file=data)) == expected
    assert snapshot() == before


@pytest.mark.django_db
def test_truncated_workbook_writes_nothing(registry):
    before = snapshot()
    data = saved(exported(registry.city))
    report = stations_import(actor=None, file=data[: len(data) - 300])
    assert not report.ok and report.errors[0].row is None
    assert snapshot() == before


@pytest.mark.django_db
def test_service_record_errors(registry):
    before = snapshot()
    data = workbook_bytes(
        {
            "服务记录": [
                RECORD_HEADER,
                ["411002001", "", "2026-03", -1, 10, 0],
                ["411002004", "", "2026-03", 1, 10, 0],
                ["411002001", "", "2026-13", 1, 10, 0],
                ["411002001", "", "2026-04", 1, 10, -100],
                ["411002001", "", "2026-05", 1, 10, 0],
                ["411002001", "", "2026年5月", 2, 20, 0],
                ["411002001", "", "2099-01", 1, 10, 0],
                ["411002001", "", "2026-06", 1, "很多", 0],
            ]
        }
    )
    report = service_records_import(actor=None, file=data)
    assert errors_of(report) == [
        (2, "个案数"),
        (3, "乡镇（街道）代码"),
        (4, "月份"),
        (5, "链接资金（元）"),
        (7, "月份"),
        (8, "月份"),
        (9, "服务人次"),
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_service_records_csv_updates_existing_month(registry):
    text = "乡镇（街道）代码,月份,服务人次\n411002001,2026-01,999\n"
    report = service_records_import(actor=None, file=text.encode("utf-8-sig"))
    assert (report.created, report.updated) == (0, 1)
    record = ServiceRecord.objects.get(station=registry.stations["west"], month="2026-01-01")
    assert record.people_served == 999


@pytest.mark.django_db
def test_import_commands(tmp_path, registry, capsys):
    good = tmp_path / "stations.xlsx"
    good.write_bytes(saved(exported(registry.city)))
    call_command("import_stations", str(good), "--dry-run")
    call_command("import_service_records", str(good))
    out = capsys.readouterr().out
    assert "stations" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("乡镇（街道）代码,社工站,状态\n411009001,x,运营\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_stations", str(bad))
    assert "411009001" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_service_records", str(bad))
