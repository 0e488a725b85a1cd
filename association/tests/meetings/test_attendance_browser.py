"""The check-in desk at the door, on a 390×844 phone in Chromium, in Chinese as
the secretariat sees it: filter as you type, check
in and undo without reloading the page, the count at the top follows."""

import pytest
from playwright.sync_api import expect

from association.models import RollEntry
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_checks_people_in_at_the_door_from_a_phone(
    phone_page, live_server, profile, frozen_meeting, secretariat, individual_member
):
    page = phone_page
    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/meetings/{frozen_meeting.pk}/attendance/")
    desk = page.locator("#check-in-desk")
    expect(desk).to_have_attribute("data-state", "ready")
    count = page.locator("#checked-in-count")
    expect(count).to_have_text("已签到 0 / 应到 2")
    # A marker on the window: it survives only if the page is never reloaded.
    page.evaluate("window.deskMarker = 'same page'")

    page.locator("#roll-search").press_sequentially("陈")
    rows = page.locator("#roll-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("陈静")
    button = page.get_by_role("button", name="签到 陈静")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["x"] + box["width"] <= 390 and box["height"] >= 44

    button.click()
    expect(page.locator("#desk-status")).to_contain_text("陈静 已签到。")
    expect(count).to_have_text("已签到 1 / 应到 2")
    expect(page.get_by_role("button", name="撤销 陈静")).to_be_visible()
    expect(desk).to_have_attribute("data-state", "ready")
    entry = RollEntry.objects.get(meeting=frozen_meeting, user=individual_member)
    assert entry.present_at is not None and entry.checked_in_by == secretariat
    assert page.evaluate("window.deskMarker") == "same page"
    assert "q=" in page.url  # a reload shows the same filtered roll

    page.locator("#desk-undo").click()
    expect(page.locator("#desk-status")).to_contain_text("已撤销 陈静 的签到。")
    expect(count).to_have_text("已签到 0 / 应到 2")
    expect(page.get_by_role("button", name="签到 陈静")).to_be_visible()
    entry.refresh_from_db()
    assert entry.present_at is None
    assert page.evaluate("window.deskMarker") == "same page"

    page.locator("#roll-search").fill("")
    expect(rows).to_have_count(2)
