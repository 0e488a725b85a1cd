"""The quick start as `make run` does it: SQLite, migrate, seed_demo, the home page."""

import os
import subprocess
import sys

from django.conf import settings


def test_quick_start_on_sqlite(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path}/quickstart.sqlite3",
        "DJANGO_SETTINGS_MODULE": "association.settings",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            env=env,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("seed_demo")
    page = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.test import Client;"
            "r = Client().get('/', HTTP_HOST='127.0.0.1');"
            "print(r.status_code); print(r.content.decode())",
        ],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=120,
    )

    assert page.stdout.startswith("200"), page.stderr
    assert "许昌市社会工作行业协会" in page.stdout
    assert "主要数据" in page.stdout

    # The outbox works on SQLite too: a password reset queues its e-mail, and the worker
    # (console e-mail in development) prints it.
    reset = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.test import Client;"
            "r = Client().post('/accounts/password/reset/', {'email': 'huiyuan@example.org'},"
            " HTTP_HOST='127.0.0.1'); print(r.status_code)",
        ],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=120,
    )
    assert reset.stdout.startswith("302"), reset.stderr
    worker = manage("db_worker", "--batch", "--no-startup-delay")
    assert "To: huiyuan@example.org" in worker
    assert "/accounts/password/reset/key/" in worker
