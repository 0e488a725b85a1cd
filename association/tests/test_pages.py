"""Error pages, the health check, the language switch and security headers."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_the_chinese_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("association:healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not():
    # A real unreachable server (nothing listens on port 1), in a process of its own.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1');"
        "print(r.status_code, r.content.decode().strip())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "association.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal?pool=0&connect_timeout=2",
        },
        timeout=60,
    )

    assert result.stdout.strip() == "503 database unavailable", result.stderr


def test_pages_are_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("association:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "zh-hans"
    assert "首页" in response.content.decode()


def test_language_switch_turns_pages_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    english = client.get(reverse("association:home"))
    assert english["Content-Language"] == "en"
    assert "Key figures" in english.content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "主要数据" in client.get(reverse("association:home")).content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert client.get(reverse("association:home"))["Content-Language"] == "zh-hans"


def test_responses_carry_a_strict_content_security_policy(client):
    policy = client.get(reverse("association:home"))["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_403_page_is_chinese(client, outsider):
    client.force_login(outsider)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    from association.views.pages import server_error

    response = server_error(None)

    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_400_page_says_what_was_wrong_without_a_request_context():
    from association.views.pages import bad_request

    page = bad_request(None).content.decode()

    assert "<title>请求无效</title>" in page and "<h1>请求无效</h1>" in page
    assert 'lang="zh-CN"' in page and "/static/css/portal.css" in page
    assert '<a class="button" href="/">' in page  # back to the home page


def test_500_page_has_the_same_bare_frame():
    from association.views.pages import server_error

    page = server_error(None).content.decode()

    assert "<title>服务器错误</title>" in page and "<h1>服务器错误</h1>" in page
    assert 'lang="zh-CN"' in page and "/static/css/portal.css" in page
    assert '<a class="button" href="/">' in page
