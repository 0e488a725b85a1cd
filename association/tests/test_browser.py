"""In Chromium: the home page in Chinese, the language switch, and logging in."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switch_language_and_log_in(phone_page, live_server, profile, individual_member):
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "许昌市社会工作行业协会"
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    page.select_option("#language-select", "en")
    page.click(".language-switch button")
    page.wait_for_selector("text=Key figures")
    assert page.locator("html").get_attribute("lang") == "en"

    page.select_option("#language-select", "zh-hans")
    page.click(".language-switch button")
    page.wait_for_selector("text=主要数据")

    browser_login(page, live_server.url, individual_member)
    page.goto(live_server.url + "/")
    page.click("summary")  # the phone-sized menu, folded by static/js/nav.js
    expect(page.get_by_role("link", name="退出登录")).to_be_visible()


def test_staff_login_asks_for_the_code_then_opens_the_back_office(
    page, live_server, profile, secretariat
):
    browser_login(page, live_server.url, secretariat)

    page.goto(live_server.url + "/admin/")
    assert page.locator("#site-name").inner_text() == "协会后台"


def test_staff_without_two_factor_are_sent_to_set_it_up(
    page, live_server, profile, secretariat_without_2fa
):
    browser_login(page, live_server.url, secretariat_without_2fa)

    page.goto(live_server.url + "/admin/")
    # allauth confirms the password first, then shows the authenticator set-up.
    assert "/accounts/reauthenticate/" in page.url
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.locator("input[name=code]").is_visible()
    assert page.locator("img").first.get_attribute("src").startswith("data:image/svg")
