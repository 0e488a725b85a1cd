"""Each role sees the membership links it may use, and the public sections are listed."""

import pytest
from django.urls import reverse

from conftest import login


def nav(client):
    return client.get(reverse("association:home")).content.decode()


def test_public_sees_directory_and_certificate_check(client, db):
    page = nav(client)
    assert reverse("members:directory") in page
    assert reverse("members:verify-lookup") in page
    assert reverse("members:me") not in page
    assert reverse("members:roster") not in page


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("outsider", ["members:apply"], ["members:me", "members:roster"]),
        ("applicant", ["members:apply"], ["members:me", "members:application-queue"]),
        ("individual_member", ["members:me"], ["members:apply", "members:roster"]),
        ("secretariat", ["members:application-queue", "members:roster"], ["members:me"]),
        ("county_viewer", [], ["members:apply", "members:me", "members:roster"]),
    ],
)
def test_each_role_sees_its_links(client, persona, shown, hidden, request):
    login(client, request.getfixturevalue(persona))
    page = nav(client)
    for name in shown:
        assert f'href="{reverse(name)}"' in page
    for name in hidden:
        assert f'href="{reverse(name)}"' not in page
