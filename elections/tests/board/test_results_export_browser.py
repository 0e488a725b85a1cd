"""In Chromium, on a phone: a member asks for a long results workbook, the job's page waits
for the worker, and the download link appears once the file is ready."""

import pytest
from openpyxl import load_workbook

from conftest import browser_login, fits_the_screen, run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_prepares_a_long_results_workbook_on_a_phone(
    phone_page, live_server, certified_election, individual_member, settings, tmp_path
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1  # its six rows are a long workbook here
    phone = phone_page
    browser_login(phone, live_server.url, individual_member)
    phone.goto(f"{live_server.url}/elections/{certified_election.pk}/results/")
    assert phone.locator(f"a[href$='/{certified_election.pk}/results.xlsx']").count() == 0
    assert fits_the_screen(phone)
    phone.click("#prepare-results")

    phone.wait_for_selector("[data-job-progress]")
    assert "/exports/" in phone.url
    assert phone.locator("#download-export").count() == 0
    assert fits_the_screen(phone)
    assert run_tasks() >= 1  # the worker writes the file

    phone.wait_for_selector("#download-export")  # the page follows the job by itself
    assert fits_the_screen(phone)
    with phone.expect_download() as download_info:
        phone.click("#download-export")
    download = download_info.value
    assert download.suggested_filename == f"election-{certified_election.pk}-results.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = load_workbook(target)
    assert book.sheetnames == ["说明", "计票结果", "汇总", "当选名单"]
    assert book["当选名单"].max_row == 3  # two elected under the header
