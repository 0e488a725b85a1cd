"""The coverage workbook: its sheets, its figures against the dashboard, and its command."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import login
from stations import sheets
from stations.coverage import county_table
from stations.models import Division, Staff

from .conftest import open_workbook, rows_of

URL = reverse("stations:coverage-export")
ON = datetime.date(2026, 11, 29)


def workbook_of(response):
    return open_workbook(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_workbook_has_summary_detail_staff_and_records_sheets(client, registry, city_viewer):
    registry.stations["east"].name = '=HYPERLINK("http://evil")'
    registry.stations["east"].save()
    login(client, city_viewer)
    response = client.get(URL, {"as_of": ON.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = workbook_of(response)
    assert book.sheetnames == ["说明", "汇总", "明细", "驻站社工", "服务记录"]

    summary = book["汇总"]
    assert summary.freeze_panes == "A2"
    assert summary.column_dimensions["B"].width >= 20
    header, weidu, jianan, total = rows_of(summary)
    assert header == [column.header for column in sheets.SUMMARY_COLUMNS]
    assert weidu == ["411002", "魏都区", 4, 2, 3, 0.5, 4, 3, 550]
    assert jianan == ["411003", "建安区", 2, 1, 1, 0.5, 1, 1, 70]
    assert total == [None, "合计", 6, 3, 4, 0.5, 5, 4, 620]
    assert summary["F2"].number_format == "0.0%"

    detail = rows_of(book["明细"])
    assert detail[0] == [column.header for column in sheets.DETAIL_COLUMNS]
    by_code = {row[2]: row for row in detail[1:]}
    assert len(by_code) == 7
    assert by_code["411002004"][6] == "未建"
    assert by_code["411002570"][4:6] == ["否", "否"]
    assert by_code["411002003"][6:8] == ["西关街道社工站", "暂停"]
    # A name that would run as a formula is written as text.
    assert by_code["411002002"][6] == '=HYPERLINK("http://evil")'
    assert book["明细"]["G3"].data_type == "s" and book["明细"]["G3"].quotePrefix

    staff = rows_of(book["驻站社工"])
    assert len(staff) == 1 + Staff.objects.count()
    records = rows_of(book["服务记录"])
    assert [row[3] for row in records[1:]] == ["2026-01", "2026-02", "2026-01", "2026-03"]


@pytest.mark.django_db
def test_workbook_agrees_with_dashboard_and_detail_rows(client, registry, profile, secretariat):
    login(client, secretariat)
    for on in ["2021-12-31", "2023-06-15", "2026-11-29"]:
        dashboard = client.get(reverse("stations:coverage"), {"as_of": on}).context["table"]
        book = workbook_of(client.get(URL, {"as_of": on}))
        summary = rows_of(book["汇总"])[1:]
        shown = [
            [r.code, r.name, r.townships, r.covered, r.stations, r.resident, r.certified]
            for r in dashboard.rows
        ]
        assert [row[:5] + row[6:8] for row in summary[:-1]] == shown
        detail = rows_of(book["明细"])[1:]
        covered = sum(1 for row in detail if row[5] == "是")
        assert covered == summary[-1][3] == dashboard.total.covered
        # Detail columns add up to the summary's totals.
        assert sum(row[14] for row in detail) == summary[-1][6]
        assert sum(row[15] for row in detail) == summary[-1][7]
        assert sum(row[16] for row in detail) == summary[-1][8]


@pytest.mark.django_db
def test_county_viewer_export_holds_only_their_county(client, registry, county_viewer):
    login(client, county_viewer)
    book = workbook_of(client.get(URL, {"as_of": ON.isoformat()}))
    assert [row[0] for row in rows_of(book["汇总"])[1:]] == ["411002", None]
    assert {row[0] for row in rows_of(book["明细"])[1:]} == {"411002"}
    assert all(row[0].startswith("411002") for row in rows_of(book["驻站社工"])[1:])


@pytest.mark.django_db
def test_csv_export_is_the_detail_sheet_with_bom(client, registry, city_viewer):
    login(client, city_viewer)
    response = client.get(URL, {"as_of": ON.isoformat(), "format": "csv", "county": "411003"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == [column.header for column in sheets.DETAIL_COLUMNS]
    assert len(lines) == 3 and "五女店镇" in lines[2]


@pytest.mark.django_db
def test_anonymous_export_is_sent_to_login(client, registry):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
def test_export_with_a_bad_date_goes_back_to_the_dashboard(client, registry, city_viewer):
    login(client, city_viewer)
    response = client.get(URL, {"as_of": "2099-01-01"})
    assert response.status_code == 302 and response.url == reverse("stations:coverage")


@pytest.mark.django_db
def test_export_command_writes_xlsx_and_csv(tmp_path, registry, profile):
    out = tmp_path / "coverage.xlsx"
    call_command("export_coverage", "--output", str(out), "--as-of", "2023-06-15")
    book = open_workbook(io.BytesIO(out.read_bytes()))
    total = rows_of(book["汇总"])[-1]
    expected = county_table(registry.city, on=datetime.date(2023, 6, 15)).total
    assert total[2:5] == [expected.townships, expected.covered, expected.stations]
    csv = tmp_path / "weidu.csv"
    call_command("export_coverage", "--output", str(csv), "--county", "411002")
    lines = csv.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + Division.objects.townships().filter(code__startswith="411002").count()
    call_command("export_coverage", "--output", str(tmp_path / "all.xlsx"), "--all")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [
        ["--output", "x.txt"],
        ["--output", "x.xlsx", "--as-of", "yesterday"],
        ["--output", "x.xlsx", "--as-of", "2999-01-01"],
        ["--output", "x.xlsx", "--county", "411002001"],
        ["--output", "x.xlsx", "--county", "999999"],
    ],
    ids=["suffix", "date", "future", "township", "unknown"],
)
def test_export_command_refuses_bad_arguments(tmp_path, registry, arguments, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError):
        call_command("export_coverage", *arguments)


@pytest.mark.django_db
def test_workbook_reports_its_progress_as_it_writes(registry, monkeypatch):
    monkeypatch.setattr(sheets, "PROGRESS_EVERY", 4)
    calls = []
    out = io.BytesIO()
    sheets.write_coverage_workbook(
        out,
        area=registry.city,
        on=ON,
        staff_of=Staff.objects.none().values("station"),
        progress=lambda written, total: calls.append((written, total, out.tell())),
    )
    # 2 counties + total, 7 townships, no staff the reader may see, 4 records of 2026.
    total = 3 + 7 + 0 + 4
    assert [(written, of) for written, of, _ in calls] == [(4, total), (8, total), (12, total)] + [
        (total, total)
    ]
    # The last call comes once the file is complete.
    assert calls[-1][2] == len(out.getvalue()) > 0
    book = open_workbook(out.getvalue())
    assert sum(len(rows_of(book[name])) - 1 for name in book.sheetnames[1:]) == total


@pytest.mark.django_db
def test_export_command_refuses_a_future_date_and_writes_nothing(tmp_path, registry, profile):
    out = tmp_path / "x.xlsx"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="future"):
        call_command("export_coverage", "--output", str(out), "--as-of", tomorrow.isoformat())
    assert not out.exists()


@pytest.mark.django_db
def test_export_command_without_a_city_in_the_profile_uses_the_only_city(tmp_path, registry):
    out = tmp_path / "x.xlsx"
    stdout = io.StringIO()
    call_command("export_coverage", "--output", str(out), stdout=stdout)
    assert "许昌市" in stdout.getvalue()
    notes = {row[0]: row[1] for row in rows_of(open_workbook(out.read_bytes())["说明"])}
    assert notes["统计范围"] == "许昌市（代码 4110）"


@pytest.mark.django_db
def test_export_command_with_several_cities_lists_them_and_all(tmp_path, registry):
    Division.objects.create(
        code="4101", name="郑州市", level=Division.Level.CITY, parent=registry.city.parent
    )
    with pytest.raises(CommandError) as error:
        call_command("export_coverage", "--output", str(tmp_path / "x.xlsx"))
    message = str(error.value)
    assert "郑州市 4101" in message and "许昌市 4110" in message
    assert "--all" in message and "--county" in message


@pytest.mark.django_db
def test_export_command_with_no_city_at_all_says_to_import_divisions(tmp_path, db):
    with pytest.raises(CommandError, match="import_divisions"):
        call_command("export_coverage", "--output", str(tmp_path / "x.xlsx"))
