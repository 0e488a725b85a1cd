"""A unit's voting representative: exactly one at a time, handed over with history kept."""

import re

import pytest
from django.urls import reverse

from conftest import login, make_user, run_tasks
from members import roles, services
from members.models import Member, MemberChange, Representative


@pytest.fixture
def unit(unit_representative):
    # The root persona already holds a current representative term for the unit.
    return Member.objects.get(user=unit_representative)


@pytest.fixture
def successor(role_groups):
    return make_user("jieren@example.org", full_name="王新")


def url(member):
    return reverse("members:member-representative", args=[member.pk])


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_representative_invites_a_successor_who_takes_over_on_accepting(
    client, unit, successor, mailoutbox, django_capture_on_commit_callbacks
):
    previous = unit.user
    login(client, previous)
    assert client.get(url(unit)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(unit), {"email": "JIEREN@example.org", "reason": "工作调动"})
    run_tasks()
    assert response.status_code == 302
    assert response["Location"] == url(unit)
    # Nothing is handed over yet.
    unit.refresh_from_db()
    assert unit.user == previous
    assert roles.MEMBER not in groups(successor)
    [invitation] = mailoutbox
    assert invitation.to == ["JIEREN@example.org"]
    link = re.search(r"https?://\S+/members/invitations/\S+/", invitation.body).group(0)

    login(client, successor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link, {"answer": "accept"}).status_code == 302
    run_tasks()

    unit.refresh_from_db()
    assert unit.user == successor
    current = unit.representatives.get(until__isnull=True)
    assert current.user == successor
    assert current.appointed_by == previous
    assert current.reason == "工作调动"
    former = unit.representatives.get(user=previous)
    assert former.until is not None
    assert roles.MEMBER in groups(successor)
    assert roles.MEMBER not in groups(previous)
    assert unit.changes.filter(action=MemberChange.Action.REPRESENTATIVE).exists()
    # Each of them gets a message of their own.
    assert {address for message in mailoutbox[-2:] for address in message.to} == {
        successor.email,
        previous.email,
    }
    assert [len(message.to) for message in mailoutbox[-2:]] == [1, 1]


def test_former_representative_keeps_the_member_role_with_another_membership(
    unit, successor, role_groups
):
    previous = unit.user
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="刘洋", user=previous)
    services.representative_change(member=unit, user=successor, actor=previous)
    assert roles.MEMBER in groups(previous)


def test_secretariat_invites_for_a_unit_without_a_representative(
    client, secretariat, successor, role_groups
):
    unit = Member.objects.create(kind=Member.Kind.UNIT, name="导入的单位", credit_code=None)
    login(client, secretariat)
    response = client.post(url(unit), {"email": successor.email})
    assert response.status_code == 302
    invitation = unit.representative_invitations.get()
    assert (invitation.email, invitation.invited_by) == (successor.email, secretariat)
    page = client.get(url(unit)).content.decode()
    assert "邀请已发送，等待接受" in page
    assert successor.email in page
    assert successor.full_name not in page
    unit.refresh_from_db()
    assert unit.user is None


def test_only_one_current_representative_is_possible(unit, successor):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Representative.objects.create(member=unit, user=successor)


def test_handing_over_to_the_current_representative_is_refused(client, unit):
    login(client, unit.user)
    response = client.post(url(unit), {"email": unit.user.email})
    assert response.status_code == 200
    assert "已经是本单位的会员代表" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "individual_member", "other_member", "county_viewer"]
)
def test_others_get_404(client, unit, successor, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(url(unit)).status_code == 404
    assert client.post(url(unit), {"email": successor.email}).status_code == 404
    assert not unit.representative_invitations.exists()


def test_anonymous_is_sent_to_login(client, unit):
    assert reverse("account_login") in client.get(url(unit))["Location"]


def test_individual_members_have_no_representative(client, individual_member):
    member = Member.objects.get(user=individual_member)
    login(client, individual_member)
    assert client.get(url(member)).status_code == 404
