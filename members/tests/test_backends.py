"""The signed-in account is read with its roles and two-factor state in one query, and a
change to either holds from the next request on."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from members import roles

pytestmark = pytest.mark.django_db


def _role_queries(queries):
    """Queries of their own for the account's groups or authenticators."""
    own = ('SELECT "auth_group"', 'SELECT 1 AS "a" FROM "mfa_authenticator"')
    return [q["sql"] for q in queries if q["sql"].startswith(own)]


def test_a_staff_page_reads_roles_and_two_factor_with_the_account(client, secretariat):
    login(client, secretariat)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("members:roster"))
    assert response.status_code == 200
    assert _role_queries(context.captured_queries) == []
    account = [
        q["sql"] for q in context.captured_queries if 'FROM "members_user" WHERE' in q["sql"]
    ]
    assert len(account) == 1 and '"mfa_authenticator"' in account[0], account


def test_a_member_whose_role_is_withdrawn_is_refused_on_the_next_request(client, individual_member):
    login(client, individual_member)
    assert client.get(reverse("members:me")).status_code == 200

    individual_member.groups.remove(Group.objects.get(name=roles.MEMBER))

    assert client.get(reverse("members:me")).status_code == 403


def test_secretariat_without_its_authenticator_loses_staff_pages_on_the_next_request(
    client, secretariat
):
    login(client, secretariat)
    assert client.get(reverse("members:roster")).status_code == 200

    Authenticator.objects.filter(user=secretariat).delete()

    response = client.get(reverse("members:roster"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
