"""In Chromium: the home page in Chinese, the language switch, and logging in."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from members.services import two_factor_link_issue

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


def test_staff_without_two_factor_set_it_up_only_from_their_link(
    page, live_server, profile, secretariat, secretariat_without_2fa
):
    browser_login(page, live_server.url, secretariat_without_2fa)

    page.goto(live_server.url + "/admin/")
    # The password alone sets up nothing: the page asks for the secretariat's link.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(page.locator("h1")).to_have_text("设置双重验证登录需要开通链接")
    assert page.locator("input[name=code]").count() == 0

    link = two_factor_link_issue(
        user=secretariat_without_2fa, actor=secretariat, base_url=live_server.url
    )
    page.goto(link)
    page.click("main form button[type=submit]")
    # Just logged in with the password: the set-up follows without asking for it again.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(page.locator("input[name=code]")).to_be_visible()
    assert page.locator("img").first.get_attribute("src").startswith("data:image/svg")
