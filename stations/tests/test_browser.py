"""A county viewer logs in with two-factor, opens the dashboard and downloads the workbook."""

import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import browser_login
from stations.coverage import county_table


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_viewer_downloads_the_workbook_and_its_figures_match(
    page, live_server, registry, county_viewer, tmp_path
):
    browser_login(page, live_server.url, county_viewer)
    page.goto(f"{live_server.url}/stations/coverage/")
    assert page.locator("h1").inner_text().endswith("魏都区")
    assert page.locator("svg[role=img] title").first.text_content()
    with page.expect_download() as download_info:
        page.locator("a[href*='/stations/coverage/export/']").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = load_workbook(saved)
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    today = datetime.date.today()
    expected = county_table(registry.county, on=today).rows[0]
    assert summary[1] == [
        "411002",
        "魏都区",
        expected.townships,
        expected.covered,
        expected.stations,
        expected.ratio,
        expected.resident,
        expected.certified,
        expected.people_served,
    ]
    assert summary[-1][1] == "合计"
    detail_codes = {row[2] for row in book["明细"].iter_rows(min_row=2, values_only=True)}
    assert detail_codes == {"411002001", "411002002", "411002003", "411002004", "411002570"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_station_form_marks_required_fields_and_fields_in_error(
    page, live_server, registry, secretariat
):
    # The form-field partial's styles are the portal's, so every app's forms show them.
    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/stations/new/")
    marker = page.locator("label[for=id_name] .required")
    expect(marker).to_have_css("color", "rgb(163, 20, 26)")
    page.fill("#id_township_code", "999")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".field-error #id_township_code")).to_have_css("border-top-width", "2px")
