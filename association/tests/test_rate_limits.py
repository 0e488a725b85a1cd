"""Login rate limits count per client, also behind the reverse proxy the README deploys."""

import pytest
from django.urls import reverse

from association.tests.test_security_headers import _production_setting
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "account_login"


def fail_logins(client, count, **headers):
    """`count` failed logins, each against another unknown account (so that only the limit
    per address counts them)."""
    for number in range(count):
        client.post(
            reverse(LOGIN),
            {"login": f"nobody{number}@example.org", "password": "wrong-wrong"},
            **headers,
        )


def logs_in(client, user, **headers):
    client.post(reverse(LOGIN), {"login": user.email, "password": PASSWORD}, **headers)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in


def test_behind_the_proxy_one_client_failing_does_not_lock_out_another(client, settings, outsider):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what BEHIND_PROXY=1 sets
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
    colleague = {"HTTP_X_FORWARDED_FOR": "198.51.100.8", "REMOTE_ADDR": "127.0.0.1"}

    fail_logins(client, settings.LOGIN_FAILURES_PER_ADDRESS, **attacker)

    assert not logs_in(client, outsider, **attacker)
    assert logs_in(client, outsider, **colleague)


def test_the_proxy_takes_the_address_it_appended_not_one_the_client_sent(
    client, settings, outsider
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    fail_logins(client, settings.LOGIN_FAILURES_PER_ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.7")

    # The client made up a first address; nginx appended the real one.
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.99, 198.51.100.7"}
    assert not logs_in(client, outsider, **spoofed)


def test_without_a_proxy_the_forwarded_header_is_ignored(client, settings, outsider):
    assert not hasattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT")
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        fail_logins(client, 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")

    assert not logs_in(client, outsider, HTTP_X_FORWARDED_FOR="198.51.100.200")


def test_an_account_locks_after_the_failures_per_account(client, settings, outsider):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        client.post(reverse(LOGIN), {"login": outsider.email, "password": "wrong-wrong"})

    assert settings.LOGIN_FAILURES_PER_ACCOUNT == 5
    assert not logs_in(client, outsider, HTTP_X_FORWARDED_FOR="198.51.100.8")


def test_behind_proxy_trusts_one_proxy_and_the_limits_are_settings():
    assert _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", BEHIND_PROXY="1") == ["1"]
    assert _production_setting(
        "ACCOUNT_RATE_LIMITS", LOGIN_FAILURES_PER_ACCOUNT="3", LOGIN_FAILURES_PER_ADDRESS="20"
    )[:2] == ["{'login_failed':", "'20/m/ip,3/5m/key',"]
