"""The back office greets the user by name and its screen-reader headers are in Chinese."""

from django.conf import settings
from django.urls import reverse

from conftest import login


def test_admin_header_shows_the_user_s_name_and_chinese_headers(client, secretariat):
    secretariat.is_superuser = True  # sees every app in the list
    secretariat.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, secretariat)

    page = client.get(reverse("admin:index")).content.decode()

    assert "<strong>秘书处 王敏</strong>" in page
    assert f"<strong>{secretariat.username}</strong>" not in page
    for header in ("模型名称", "添加链接", "修改或查看列表的链接"):
        assert f'<th scope="col">{header}</th>' in page
    assert "Model name" not in page and "Add link" not in page


def test_user_without_a_full_name_is_greeted_by_e_mail(secretariat):
    secretariat.full_name = ""
    assert secretariat.get_short_name() == secretariat.email
    assert secretariat.get_full_name() == secretariat.email
