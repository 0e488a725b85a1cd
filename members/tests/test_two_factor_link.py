"""A staff account enrols its first authenticator only from an e-mailed, single-use,
expiring link the secretariat (or a superuser, or an operator's command) sends it."""

import datetime
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, login, run_tasks
from members import roles
from members.models import TwoFactorEnrolment
from members.services import two_factor_link_issue

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")


def reauthenticate(client):
    """allauth asks for the password once more before two-factor settings change."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def activate(client):
    """Go through allauth's set-up page with the secret it shows; returns the POST answer."""
    page = client.get(ACTIVATE)
    if page.status_code != 200:
        return page
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    return client.post(ACTIVATE, {"code": code})


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def link_path(message):
    return re.search(r"https?://[^/\s]+(/members/two-factor/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def sent_link(secretariat, secretariat_without_2fa, mailoutbox, django_capture_on_commit_callbacks):
    """The secretariat sends its colleague a link; the path from the e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        two_factor_link_issue(
            user=secretariat_without_2fa, actor=secretariat, base_url="https://portal.example.org"
        )
    run_tasks()
    (message,) = mailoutbox
    assert message.to == [secretariat_without_2fa.email]
    return link_path(message)


@pytest.mark.parametrize(
    "persona", ["secretariat_without_2fa", "superuser_without_2fa", "city_viewer_without_2fa"]
)
def test_a_password_alone_cannot_enrol_a_staff_account(client, request, persona):
    user = request.getfixturevalue(persona)
    login(client, user)
    reauthenticate(client)

    page = client.get(ACTIVATE)
    assert page.status_code == 403
    assert "otpauth://" not in page.content.decode()
    assert "mfa.totp.secret" not in client.session
    assert client.post(ACTIVATE, {"code": "123456"}).status_code == 403
    assert not has_totp(user)


def test_an_ordinary_account_sets_up_two_factor_by_itself(client, individual_member):
    login(client, individual_member)
    reauthenticate(client)

    assert activate(client).status_code == 302
    assert has_totp(individual_member)


def test_staff_enrol_from_the_link_once(client, sent_link, secretariat_without_2fa):
    login(client, secretariat_without_2fa)
    page = client.get(sent_link)
    assert page.status_code == 200
    # Opening the link (as a mail scanner does) uses nothing up.
    assert TwoFactorEnrolment.objects.get().used_at is None

    assert client.post(sent_link)["Location"] == ACTIVATE
    reauthenticate(client)
    assert activate(client).status_code == 302

    assert has_totp(secretariat_without_2fa)
    assert TwoFactorEnrolment.objects.get().used_at is not None
    # The account now holds its role, and the link is spent.
    assert client.get(reverse("members:application-queue")).status_code == 200
    again = client.post(sent_link)
    assert again.status_code == 400
    assert "已使用" in again.content.decode()


def test_a_used_link_does_not_let_another_session_enrol(client, sent_link, secretariat_without_2fa):
    from django.test import Client

    login(client, secretariat_without_2fa)
    client.post(sent_link)
    thief = login(Client(), secretariat_without_2fa)
    reauthenticate(thief)

    assert activate(thief).status_code == 403
    assert thief.post(sent_link).status_code == 400
    assert not has_totp(secretariat_without_2fa)


def test_the_link_is_for_its_own_account_only(client, sent_link, city_viewer_without_2fa):
    login(client, city_viewer_without_2fa)

    response = client.post(sent_link)

    assert response.status_code == 400
    assert TwoFactorEnrolment.objects.get().used_at is None
    assert activate(client).status_code == 403


def test_an_expired_link_is_refused(client, sent_link, secretariat_without_2fa):
    TwoFactorEnrolment.objects.update(expires_at=timezone.now())
    login(client, secretariat_without_2fa)

    response = client.post(sent_link)

    assert response.status_code == 400
    assert "已过期" in response.content.decode()


def test_the_set_up_must_follow_the_link_soon(client, sent_link, secretariat_without_2fa, settings):
    login(client, secretariat_without_2fa)
    client.post(sent_link)
    minutes = settings.TWO_FACTOR_LINK_SESSION_MINUTES
    TwoFactorEnrolment.objects.update(
        used_at=timezone.now() - datetime.timedelta(minutes=minutes, seconds=1)
    )
    reauthenticate(client)

    assert activate(client).status_code == 403


def test_a_wrong_token_is_refused(client, sent_link, secretariat_without_2fa):
    login(client, secretariat_without_2fa)

    response = client.post(reverse("members:two-factor-link", args=["nonsense"]))

    assert response.status_code == 400
    assert TwoFactorEnrolment.objects.get().used_at is None


def test_anonymous_visitors_of_the_link_sign_in_first(client, sent_link):
    response = client.get(sent_link)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_new_link_voids_the_older_one(secretariat, secretariat_without_2fa):
    two_factor_link_issue(user=secretariat_without_2fa, actor=secretariat)
    two_factor_link_issue(user=secretariat_without_2fa, actor=secretariat)

    assert TwoFactorEnrolment.objects.unused().count() == 1


def test_who_may_send_links_to_whom(
    secretariat,
    secretariat_without_2fa,
    superuser,
    superuser_without_2fa,
    city_viewer,
    individual_member,
):
    refusals = [
        (secretariat_without_2fa, secretariat_without_2fa),  # no staff role without 2FA
        (individual_member, secretariat_without_2fa),
        (secretariat, superuser_without_2fa),  # superuser accounts: superusers only
        (secretariat, individual_member),  # no staff account: enrols by itself
        (secretariat, city_viewer),  # already enrolled
    ]
    for actor, user in refusals:
        with pytest.raises(ValidationError):
            two_factor_link_issue(user=user, actor=actor)
    two_factor_link_issue(user=superuser_without_2fa, actor=superuser)
    two_factor_link_issue(user=secretariat_without_2fa, actor=secretariat)

    assert TwoFactorEnrolment.objects.count() == 2
    assert not roles.has_two_factor(superuser_without_2fa)


def test_the_secretariat_sends_links_from_the_back_office(
    client,
    secretariat,
    secretariat_without_2fa,
    individual_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    login(client, secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:members_user_changelist"),
            {
                "action": "send_two_factor_link",
                "_selected_action": [secretariat_without_2fa.pk, individual_member.pk],
            },
            follow=True,
        )
    run_tasks()

    assert response.status_code == 200
    assert [message.to for message in mailoutbox] == [[secretariat_without_2fa.email]]
    assert TwoFactorEnrolment.objects.get().issued_by == secretariat
    shown = [str(message) for message in response.context["messages"]]
    assert any(individual_member.email in text or str(individual_member) in text for text in shown)


def test_an_operator_sends_the_first_superuser_a_link(
    superuser_without_2fa, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "two_factor_link", superuser_without_2fa.email, base_url="https://portal.example.org"
        )
    run_tasks()

    printed = capsys.readouterr().out
    assert "https://portal.example.org/members/two-factor/" in printed
    assert link_path(mailoutbox[0]) in printed
    assert TwoFactorEnrolment.objects.get().issued_by is None
    with pytest.raises(CommandError):
        call_command("two_factor_link", "nobody@example.org")
