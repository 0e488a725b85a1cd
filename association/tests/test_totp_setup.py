"""Setting up two-factor login on the phone that holds the authenticator: an otpauth:// link,
the key in groups of four with a copy button beside the QR code, and no second password
prompt right after the login (but one again once allauth's window has passed)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login, login, new_phone_page
from members.services import two_factor_link_issue

ACTIVATE = reverse("mfa_activate_totp")


def _log_in_with_the_password(client, user):
    """Log in through allauth's form, then open the enrolment link the secretariat sent."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.post(two_factor_link_issue(user=user))


def test_fresh_login_covers_the_reauthentication_for_the_set_up(client, secretariat_without_2fa):
    _log_in_with_the_password(client, secretariat_without_2fa)

    assert client.get(ACTIVATE).status_code == 200


def test_password_is_asked_again_once_the_window_has_passed(
    client, secretariat_without_2fa, settings
):
    _log_in_with_the_password(client, secretariat_without_2fa)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0

    response = client.get(ACTIVATE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_session_without_a_password_login_is_asked_for_it(client, secretariat_without_2fa):
    login(client, secretariat_without_2fa)  # no login recorded by allauth in this session
    client.post(two_factor_link_issue(user=secretariat_without_2fa))

    response = client.get(ACTIVATE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_set_up_page_shows_the_link_and_the_key_in_groups_of_four(client, secretariat_without_2fa):
    _log_in_with_the_password(client, secretariat_without_2fa)

    page = client.get(ACTIVATE).content.decode()

    secret = client.session["mfa.totp.secret"]
    assert re.search(r'href="otpauth://totp/[^"]*secret=' + secret, page)
    assert "在本机验证器中打开" in page
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f'data-secret="{secret}">{grouped}</p>' in page
    assert 'id="totp-copy"' in page and "totp.js" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_set_up_on_a_phone_opens_the_app_or_copies_the_key(
    browser, live_server, profile, secretariat_without_2fa
):
    context, page = new_phone_page(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        browser_login(page, live_server.url, secretariat_without_2fa)
        page.goto(two_factor_link_issue(user=secretariat_without_2fa, base_url=live_server.url))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/accounts/2fa/totp/activate/")

        link = page.get_by_role("link", name="在本机验证器中打开")
        expect(link).to_be_in_viewport()
        assert link.get_attribute("href").startswith("otpauth://totp/")
        key = page.locator("#totp-secret")
        expect(key).to_be_visible()
        box = key.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # all of it on screen
        groups = key.inner_text().split()
        assert all(len(group) == 4 for group in groups[:-1]) and len(groups) >= 4
        assert key.evaluate("k => getComputedStyle(k).userSelect") in ("all", "text", "auto")

        page.get_by_role("button", name="复制密钥").click()
        expect(page.locator("#totp-copy")).to_have_attribute("data-copied", "true")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "".join(groups)
    finally:
        context.close()
