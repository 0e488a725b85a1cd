"""Role checks, the role groups command, and two-factor login for staff."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD, login, totp_code
from members import roles
from members.models import User
from members.services import two_factor_link_issue

pytestmark = pytest.mark.django_db


def test_setup_roles_is_idempotent(db):
    call_command("setup_roles", verbosity=0)
    counts = {g.name: g.permissions.count() for g in Group.objects.all()}
    call_command("setup_roles", verbosity=0)

    assert {g.name: g.permissions.count() for g in Group.objects.all()} == counts
    assert set(counts) == {*roles.ROLES, roles.TRAINING_HOURS_GROUP}
    assert counts[roles.SECRETARIAT] > 0
    assert counts[roles.MEMBER] == counts[roles.APPLICANT] == 0
    civil_affairs = Group.objects.get(name=roles.CIVIL_AFFAIRS)
    assert all(p.codename.startswith("view_") for p in civil_affairs.permissions.all())


def test_createsuperuser_still_works(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-2026")
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org")

    assert User.objects.get(email="root@example.org").is_superuser


def test_role_checks(
    secretariat, city_viewer, county_viewer, individual_member, applicant, outsider
):
    assert roles.is_secretariat(secretariat)
    assert not roles.is_secretariat(city_viewer)
    assert roles.is_civil_affairs(city_viewer) and roles.is_civil_affairs(county_viewer)
    assert roles.is_member(individual_member) and not roles.is_member(applicant)
    assert roles.is_applicant(applicant)
    assert not any(
        check(outsider) for check in (roles.is_secretariat, roles.is_civil_affairs, roles.is_member)
    )
    assert roles.scope_of(secretariat) is None
    assert roles.scope_of(county_viewer) == county_viewer.civil_affairs_scope
    with pytest.raises(PermissionDenied):
        roles.scope_of(outsider)


def test_participants_are_members_and_the_secretariat(
    secretariat, city_viewer, individual_member, unit_representative, applicant, outsider
):
    assert roles.is_participant(secretariat) and roles.is_participant(individual_member)
    assert roles.is_participant(unit_representative)
    assert not any(roles.is_participant(user) for user in (city_viewer, applicant, outsider))


def test_civil_affairs_group_without_scope_is_no_viewer(role_groups):
    user = User.objects.create_user(username="noscope", email="noscope@example.org")
    user.groups.add(role_groups[roles.CIVIL_AFFAIRS])

    assert not roles.is_civil_affairs(user)


def _ok(request):
    return HttpResponse("ok")


def _call(view, user):
    request = RequestFactory().get("/staff-page/")
    request.user = user
    request.session = {}
    request._messages = _Messages()
    return view(request)


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)


def test_secretariat_decorator_admits_secretariat_with_two_factor(secretariat):
    assert _call(roles.secretariat_required(_ok), secretariat).content == b"ok"


def test_secretariat_decorator_sends_anonymous_to_login():
    from django.contrib.auth.models import AnonymousUser

    response = _call(roles.secretariat_required(_ok), AnonymousUser())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_secretariat_decorator_refuses_other_roles(city_viewer, individual_member, outsider):
    for user in (city_viewer, individual_member, outsider):
        with pytest.raises(PermissionDenied):
            _call(roles.secretariat_required(_ok), user)


def test_staff_without_two_factor_are_sent_to_set_it_up(secretariat_without_2fa):
    response = _call(roles.secretariat_required(_ok), secretariat_without_2fa)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_civil_affairs_decorator(county_viewer, secretariat, individual_member):
    view = roles.civil_affairs_required(_ok)
    assert _call(view, county_viewer).content == b"ok"
    assert _call(view, secretariat).content == b"ok"
    with pytest.raises(PermissionDenied):
        _call(view, individual_member)


def test_member_decorator(individual_member, applicant):
    view = roles.member_required(_ok)
    assert _call(view, individual_member).content == b"ok"
    with pytest.raises(PermissionDenied):
        _call(view, applicant)


def test_admin_login_page_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_admin_visit_ends_at_the_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_secretariat_without_two_factor_cannot_open_the_admin(client, secretariat_without_2fa):
    login(client, secretariat_without_2fa)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_secretariat_sets_up_two_factor_from_its_link_then_reaches_the_admin(
    client, secretariat, secretariat_without_2fa
):
    client.post(
        reverse("account_login"), {"login": secretariat_without_2fa.email, "password": PASSWORD}
    )
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")
    # The password alone does not enrol a staff account: it needs its e-mailed link.
    assert client.get(reverse("mfa_activate_totp")).status_code == 403
    link = two_factor_link_issue(user=secretariat_without_2fa, actor=secretariat)
    client.post(link)
    # Right after the login allauth does not ask for the password again (members/adapters.py).
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    response = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=secretariat_without_2fa, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_secretariat_with_two_factor_reaches_the_admin(client, secretariat):
    login(client, secretariat)

    assert client.get(reverse("admin:index")).status_code == 200


def test_member_is_kept_out_of_the_admin(client, individual_member):
    login(client, individual_member)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_login_of_a_staff_user_with_two_factor_asks_for_the_code(client, secretariat):
    response = client.post(
        reverse("account_login"), {"login": secretariat.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secretariat)})
    assert client.session["_auth_user_id"] == str(secretariat.pk)
