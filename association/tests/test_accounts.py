"""Sign-up, e-mail verification, login, rate limits and password reset through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, run_tasks
from members.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the client does, then let the worker send the e-mail the request queued."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        run_tasks()
        return response

    return post


SIGNUP = {
    "email": "xinren@example.org",
    "full_name": "林晓",
    "consent": "on",
    "password1": "Shequ-fuwu-2026",
    "password2": "Shequ-fuwu-2026",
}


def test_signup_sends_verification_mail_and_records_consent(post):
    response = post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(email="xinren@example.org")
    assert user.full_name == "林晓"
    assert user.consent_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "xinren@example.org" in mail.outbox[0].to


def test_verified_user_can_log_in_after_following_the_mail_link(client, post):
    post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]

    client.post(path)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "xinren@example.org", "password": "Shequ-fuwu-2026"},
    )

    assert EmailAddress.objects.get(email="xinren@example.org").verified
    assert response.status_code == 302
    assert client.get(reverse("association:home")).context["user"].is_authenticated


def test_unverified_user_cannot_log_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "not-an-email", "有效的 Email 地址"),
        ("consent", "", "必须同意隐私声明"),
        ("password2", "something-else-9", "密码必须相同"),
        ("full_name", "", "这个字段是必填项"),
    ],
)
def test_bad_signup_input_gets_a_chinese_error_and_creates_nothing(client, field, value, error):
    data = dict(SIGNUP, **{field: value})
    if not value:
        data.pop(field)

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_signup_with_a_taken_email_creates_nothing_and_tells_only_the_owner(post, outsider):
    # allauth does not reveal on the page whether an address is registered (enumeration);
    # the address's owner is told by mail instead.
    response = post(reverse("account_signup"), dict(SIGNUP, email=outsider.email))

    assert response.status_code == 302
    assert User.objects.filter(email=outsider.email).count() == 1
    assert mail.outbox[0].to == [outsider.email]


def test_wrong_password_gets_a_chinese_error(client, outsider):
    response = client.post(
        reverse("account_login"), {"login": outsider.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_garbage_login_input_never_errors(client):
    response = client.post(reverse("account_login"), {"login": "\x00" * 3000, "password": ""})

    assert response.status_code == 200


def test_repeated_failed_logins_are_rate_limited(client, outsider):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": outsider.email, "password": "nope-nope"})

    # Even the right password is refused until the window passes.
    response = client.post(
        reverse("account_login"), {"login": outsider.email, "password": PASSWORD}
    )

    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert response.status_code == 429 or "尝试次数过多" in body or "登录失败次数过多" in body


def test_password_reset_mails_a_link(post, outsider):
    response = post(reverse("account_reset_password"), {"email": outsider.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_change_needs_login(client):
    response = client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_logout_ends_the_session(client, outsider):
    client.force_login(outsider)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2, counting the passwords it hashes (the slow step of a sign-up)."""

    algorithm = "pbkdf2_sha256"
    hashed = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.hashed += 1
        return super().encode(password, salt, iterations)


def test_signup_with_a_known_address_answers_as_a_new_one(
    client, outsider, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_HASHERS = ["association.tests.test_accounts.CountingHasher"]
    CountingHasher.hashed = 0
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(reverse("account_signup"), SIGNUP)
    hashed_for_new = CountingHasher.hashed

    CountingHasher.hashed = 0
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(reverse("account_signup"), {**SIGNUP, "email": outsider.email})
    run_tasks()

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert CountingHasher.hashed == hashed_for_new >= 1  # the slow path either way
    assert User.objects.filter(email=outsider.email).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [SIGNUP["email"], outsider.email]
    )
