"""In Chromium, on a phone: the secretariat exports a long roster from the back office, the
job's page follows the worker's progress, and the download link appears once it is ready."""

import datetime

import openpyxl
import pytest

from association.jobs import ExportJob
from conftest import browser_login, fits_the_screen, run_tasks
from members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_roster_is_prepared_and_downloaded_from_a_phone(
    phone_page, live_server, secretariat, county, settings, tmp_path
):
    for number in range(1, 4):
        Member.objects.create(
            kind=Member.Kind.INDIVIDUAL,
            number=f"XCSW-2023-{number:04d}",
            name=f"会员{number}",
            county=county,
            member_since=datetime.date(2023, 7, 15),
        )
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2  # three members are a long roster here

    phone = phone_page
    browser_login(phone, live_server.url, secretariat)
    phone.goto(live_server.url + "/admin/members/member/export/")
    phone.select_option("#id_format", "0")  # xlsx
    phone.locator("form input[type=submit]").click()

    # The job's page, while no worker has run: the job waits, no download yet.
    phone.wait_for_selector("[data-job-progress]")
    assert "/exports/" in phone.url
    progress = phone.locator("[data-job-progress] [role=status]")
    assert "已写入 0 行" in progress.inner_text()
    assert phone.locator("#download-export").count() == 0
    assert "名册较长，正在后台生成。" in phone.content()
    assert fits_the_screen(phone)

    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.QUEUED
    # The rows written so far, as the worker records them on the job's row midway: the
    # page follows them without a reload.
    ExportJob.objects.filter(pk=job.pk).update(rows_written=1, rows_total=3)
    phone.wait_for_function(
        "() => document.querySelector('[data-job-field=rows_written]').textContent === '1'"
        " && document.querySelector('[data-job-field=rows_total]').textContent === '3'"
        " && document.querySelector('[data-job-progress] progress').value === 33"
    )
    assert run_tasks() >= 1  # the worker writes the file

    # The page sees the job finished and shows the link, without a reload by hand.
    phone.wait_for_selector("#download-export")
    assert "文件已生成" in phone.locator("main").inner_text()
    assert fits_the_screen(phone)
    with phone.expect_download() as download_info:
        phone.click("#download-export")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["说明", "会员"]
    names = [row[1] for row in book["会员"].iter_rows(min_row=2, values_only=True)]
    assert names == ["会员1", "会员2", "会员3"]
