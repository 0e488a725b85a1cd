"""The coverage workbook states what it is (说明, page headers, document properties) and
prints: landscape, one page wide, header row repeated, borders, wrapped headers; Xuchang's
汇总 on one page, rendered by LibreOffice."""

import datetime
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from common.spreadsheets.writing import display_width, header_lines
from conftest import login
from stations import demo, sheets
from stations.models import Division, Station

from .conftest import open_workbook, rows_of

ON = datetime.date(2026, 11, 29)
TITLE = "许昌市乡镇（街道）社工站覆盖情况（截至 2026-11-29）"


def written(area, **kwargs):
    out = io.BytesIO()
    sheets.write_coverage_workbook(out, area=area, on=ON, staff_of=Station.objects.all(), **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_notes_sheet_first_states_area_date_author_and_definition(
    client, registry, profile, city_viewer
):
    login(client, city_viewer)
    response = client.get(reverse("stations:coverage-export"), {"as_of": ON.isoformat()})
    book = open_workbook(b"".join(response.streaming_content))
    assert book.sheetnames == ["说明", "汇总", "明细", "驻站社工", "服务记录"]
    notes = rows_of(book["说明"])
    assert notes[0][0] == TITLE
    said = {row[0]: row[1] for row in notes[1:] if row[0]}
    assert said["统计范围"] == "许昌市（代码 4110）"
    assert said["统计截止日期"] == "2026-11-29"
    generated = datetime.datetime.strptime(said["生成时间"], "%Y-%m-%d %H:%M")
    assert abs(generated - datetime.datetime.now()) < datetime.timedelta(hours=24)
    assert said["生成人"] == str(city_viewer) == "市民政局 赵强"
    assert said["生成单位"] == "许昌市社会工作行业协会"
    assert "÷" in said["覆盖率口径"] and "400–599" in said["覆盖率口径"]
    for sheet in ["汇总", "明细", "驻站社工", "服务记录"]:
        assert said[f"{sheet}表"]
    # Document properties.
    assert book.properties.title == TITLE
    assert book.properties.creator == "许昌市社会工作行业协会"


@pytest.mark.django_db
def test_notes_sheet_of_the_command_line_and_of_every_division(registry):
    book = open_workbook(written(None))
    said = {row[0]: row[1] for row in rows_of(book["说明"])[1:] if row[0]}
    assert said["统计范围"] == "全部地区"
    assert "export_coverage" in said["生成人"]
    assert rows_of(book["说明"])[0][0] == "全部地区乡镇（街道）社工站覆盖情况（截至 2026-11-29）"


@pytest.mark.django_db
def test_summary_and_detail_page_setup_reads_back(registry):
    book = open_workbook(written(registry.city))
    for name, columns in [("汇总", sheets.SUMMARY_COLUMNS), ("明细", sheets.DETAIL_COLUMNS)]:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (fitToWidth left out means 1), as many pages down as needed.
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows.replace("$", "") == "1:1"
        assert TITLE in sheet.oddHeader.center.text
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        # Thin borders, headers wrapped in widths that fit Chinese: at most two lines.
        assert sheet["A1"].alignment.wrap_text and sheet["A1"].font.bold
        assert sheet["B2"].border.left.style == "thin"
        assert sheet["B2"].border.bottom.style == "thin"
        lines = [header_lines(column.header, column.width) for column in columns]
        assert max(lines) <= 2
        assert sheet.row_dimensions[1].height >= 15 * max(lines)
        for column in columns:
            assert column.width * 2 >= display_width(column.header) + 2
    assert book["明细"].auto_filter.ref == "A1:Q8"
    assert not book["汇总"].auto_filter.ref


def pdf_pages(data):
    """The text of each page LibreOffice prints of the workbook `data`."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: bin/ensure-packages libreoffice")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "coverage.xlsx"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        reader = PdfReader(Path(folder) / "coverage.pdf")
        return [page.extract_text() for page in reader.pages], [
            page.mediabox for page in reader.pages
        ]


@pytest.mark.django_db
def test_xuchang_summary_prints_on_one_landscape_page(profile):
    demo.seed(log=lambda *args: None)
    city = Division.objects.get(code="4110")
    texts, boxes = pdf_pages(written(city))
    by_sheet = {}
    for text, box in zip(texts, boxes, strict=True):
        for sheet in ["汇总", "明细"]:
            if f"工作表：{sheet}" in text:
                by_sheet.setdefault(sheet, []).append((text, box))
    summary = by_sheet["汇总"]
    assert len(summary) == 1
    text, box = summary[0]
    assert box.width > box.height  # landscape
    assert TITLE.replace(" ", "") in text.replace(" ", "")
    counties = Division.objects.filter(level=Division.Level.COUNTY, parent=city)
    assert all(county.name in text for county in counties) and "合计" in text
    # 明细 runs over pages, each with the title, the header row and its page number.
    detail = by_sheet["明细"]
    assert len(detail) >= 2
    for text, box in detail:
        assert box.width > box.height
        assert "运营机构" in text
        assert "第" in text and "页" in text
