"""HEAD answers like GET, HSTS's wider reach is opt-in, and a Permissions-Policy is sent."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from association.tests.test_settings import PRODUCTION_ENV, run_manage

PUBLIC_PAGES = (
    "/",
    "/privacy/",
    "/healthz",
    "/documents/",
    "/members/directory/",
    "/members/verify/",
    "/stations/",
    "/stations/summary/",
    "/polls/",
    "/board/",
    "/training/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_head_answers_like_get_for_uptime_checks(client, path):
    get = client.get(path)
    head = client.head(path)

    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.django_db
def test_head_is_allowed_on_pages_with_a_form(client, outsider):
    client.force_login(outsider)

    assert client.head("/members/apply/").status_code == 200


@pytest.mark.django_db
def test_every_answer_carries_a_permissions_policy(client):
    policy = client.get("/").headers["Permissions-Policy"]

    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "payment=()" in policy
    assert client.get("/no-such-page/").headers["Permissions-Policy"] == policy


def _production_setting(*names, **env):
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        f"print(*(getattr(s, n) for n in {names!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "association.settings",
            **PRODUCTION_ENV,
            **env,
        },
        timeout=60,
    )
    return result.stdout.split()


def test_hsts_subdomains_and_preload_are_off_unless_asked_for():
    names = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")

    assert _production_setting(*names) == ["31536000", "False", "False"]
    assert _production_setting(
        *names, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1"
    ) == ["31536000", "True", "True"]


def test_the_deploy_check_passes_with_hsts_preload_opted_in():
    env = {**PRODUCTION_ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
