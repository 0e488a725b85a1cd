"""Settings from the environment, and the production check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from association.settings import database_from_url

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-test-key-" + "x" * 40,
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "BALLOT_KEY": "a-long-random-ballot-key-" + "y" * 32,
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "BALLOT_KEY is not set"),
        ("short", "at least 32 characters"),
        ("development-only-ballot-key-never-use-in-production", "development default"),
    ],
)
def test_the_deploy_check_refuses_a_missing_short_or_development_ballot_key(value, problem):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "BALLOT_KEY"}
    if value is not None:
        env["BALLOT_KEY"] = value

    result = run_manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "elections.E001" in result.stderr + result.stdout
    assert problem in result.stderr + result.stdout


def test_production_settings_need_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_need_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_serve_compressed_manifest_static_files():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.STORAGES['staticfiles']['BACKEND'], s.SESSION_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.EMAIL_BACKEND)"
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
        },
        timeout=60,
    )

    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
        "31536000",
        "django.core.mail.backends.smtp.EmailBackend",
    ], result.stderr


def test_sqlite_url_is_relative_to_the_project():
    assert database_from_url("sqlite:///db.sqlite3")["NAME"] == str(
        Path(settings.BASE_DIR) / "db.sqlite3"
    )
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


def test_postgres_url_uses_psycopg_with_a_pool():
    db = database_from_url("postgres://u%40x:p%2Fw@h.example:6543/name")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "u@x",
        "p/w",
        "h.example",
        "6543",
        "name",
    )
    assert db["OPTIONS"]["pool"]["max_size"] >= 1
    assert "pool" not in database_from_url("postgres://h/name?pool=0")["OPTIONS"]


def test_server_side_binding_is_refused():
    """Casting a ballot sends two statements in one message: client-side binding only."""
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="server_side_binding"):
        database_from_url("postgres://h/name?server_side_binding=true")
    assert (
        "server_side_binding"
        not in database_from_url("postgres://h/name?server_side_binding=false")["OPTIONS"]
    )


def test_unknown_database_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://h/name")


def test_no_template_carries_an_inline_script():
    # The Content-Security-Policy blocks inline scripts; a template with one would break.
    offenders = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(str(path))
        if " on" in text and any(f" on{e}=" in text for e in ("click", "load", "change", "submit")):
            offenders.append(f"{path} (event handler attribute)")

    assert offenders == []
