"""The back office enters a unit's voting representative from a paper record: through the
same handover as the portal's invitations, never to a staff account."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conftest import login, make_user
from members import roles, services
from members.models import Member, MemberChange, Representative

from .conftest import CREDIT_CODE, OTHER_CREDIT_CODE

STAFF = ["secretariat", "secretariat_without_2fa", "superuser", "city_viewer"]


class AdminForm(HTMLParser):
    """The fields of the admin's change form as the browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self._select = self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "member_form":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "option":
            if self._select and "selected" in attrs:
                self.fields[self._select] = attrs.get("value", "")
            return
        if not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "file"):
                self.fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def change_form(client, member):
    parser = AdminForm()
    parser.feed(
        client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    )
    return parser.fields


def post_change(client, member, **changes):
    data = change_form(client, member)
    data.update({key: "" if value is None else value for key, value in changes.items()})
    data.setdefault("_save", "Save")
    return client.post(reverse("admin:members_member_change", args=[member.pk]), data)


@pytest.fixture
def staff(client, secretariat):
    return login(client, secretariat)


@pytest.fixture
def unit(unit_representative, profile):
    """The personas' unit, with the credit code the back office's form asks of a unit."""
    Member.objects.filter(user=unit_representative).update(credit_code=CREDIT_CODE)
    return Member.objects.get(user=unit_representative)


@pytest.fixture
def successor(role_groups):
    return make_user("jieren@example.org", full_name="孙悦")


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_a_paper_handover_in_the_back_office_is_a_handover(staff, unit, successor, secretariat):
    previous = unit.user
    response = post_change(staff, unit, user=successor.pk, change_reason="换届公函 2026-11")
    assert response.status_code == 302, response.context["adminform"].form.errors

    unit.refresh_from_db()
    assert unit.user == successor
    current = unit.representatives.get(until__isnull=True)
    assert (current.user, current.appointed_by, current.reason) == (
        successor,
        secretariat,
        "换届公函 2026-11",
    )
    former = unit.representatives.get(user=previous)
    assert former.until == current.since
    change = unit.changes.get(action=MemberChange.Action.REPRESENTATIVE)
    assert (change.changed_by, change.reason) == (secretariat, "换届公函 2026-11")
    assert previous.display_name in change.details and successor.display_name in change.details
    assert roles.MEMBER in groups(successor)
    assert roles.MEMBER not in groups(previous)


@pytest.mark.parametrize("persona", STAFF)
def test_the_back_office_cannot_make_a_staff_account_a_representative(
    staff, unit, persona, request
):
    account = request.getfixturevalue(persona)
    previous = unit.user
    response = post_change(staff, unit, user=account.pk, change_reason="误填")
    assert response.status_code == 200
    assert "不能担任单位的会员代表" in str(response.context["adminform"].form.errors["user"])

    unit.refresh_from_db()
    assert unit.user == previous
    assert list(unit.representatives.values_list("user", "until")) == [(previous.pk, None)]
    assert not unit.changes.exists()


def test_the_back_office_cannot_empty_a_units_representative(staff, unit):
    previous = unit.user
    response = post_change(staff, unit, user=None)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
    unit.refresh_from_db()
    assert unit.user == previous


def test_naming_the_current_representative_again_changes_nothing(staff, unit):
    response = post_change(staff, unit, user=unit.user.pk, legal_representative="周楠")
    assert response.status_code == 302
    assert unit.representatives.count() == 1
    assert not unit.changes.filter(action=MemberChange.Action.REPRESENTATIVE).exists()


INLINES = ["dues_payments", "activities", "representatives", "certificates", "changes"]
EMPTY = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def add_unit(client, user):
    return client.post(
        reverse("admin:members_member_add"),
        {
            "kind": "unit",
            "name": "许昌市晨光社会工作服务中心",
            "number": "",
            "tier": "member",
            "user": user.pk,
            "member_since": "2026-03-01",
            "credit_code": OTHER_CREDIT_CODE,
            "organisation_type": "social_work",
            "qualification": "none",
            "change_reason": "补录纸质入会材料",
            **{f"{prefix}-{key}": value for prefix in INLINES for key, value in EMPTY.items()},
        },
    )


def test_a_unit_added_with_its_representative_starts_a_term(staff, profile, successor, secretariat):
    response = add_unit(staff, successor)
    assert response.status_code == 302, response.context["adminform"].form.errors

    unit = Member.objects.get(name="许昌市晨光社会工作服务中心")
    assert unit.user == successor
    term = unit.representatives.get()
    assert (term.user, term.until, term.appointed_by, term.reason) == (
        successor,
        None,
        secretariat,
        "补录纸质入会材料",
    )
    assert set(unit.changes.values_list("action", flat=True)) == {
        MemberChange.Action.ADMITTED,
        MemberChange.Action.REPRESENTATIVE,
    }
    assert roles.MEMBER in groups(successor)


@pytest.mark.parametrize("persona", STAFF)
def test_a_unit_is_not_added_with_a_staff_account_as_representative(
    staff, profile, persona, request
):
    account = request.getfixturevalue(persona)
    response = add_unit(staff, account)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
    assert not Member.objects.filter(name="许昌市晨光社会工作服务中心").exists()
    assert not Representative.objects.filter(user=account).exists()


def test_a_members_kind_is_fixed_once_it_has_a_voting_account(
    staff, unit, individual_member, successor
):
    """Switching a unit to an individual member, changing the account and switching back
    would hand the vote over without a term."""
    person = Member.objects.get(user=individual_member)
    for member in (unit, person):
        assert "kind" not in change_form(staff, member)
    response = post_change(staff, unit, kind="individual")
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.kind == Member.Kind.UNIT

    paper = Member.objects.create(kind=Member.Kind.UNIT, name="尚无账户的单位", number="X-1")
    assert change_form(staff, paper)["kind"] == "unit"


@pytest.mark.parametrize("persona", STAFF)
def test_the_back_office_cannot_link_a_staff_account_to_an_individual_member(
    staff, individual_member, successor, persona, request
):
    account = request.getfixturevalue(persona)
    person = Member.objects.get(user=individual_member)
    response = post_change(staff, person, user=account.pk)
    assert response.status_code == 200
    assert "不能作为个人会员的账户" in str(response.context["adminform"].form.errors["user"])
    person.refresh_from_db()
    assert person.user == individual_member

    # An ordinary account may be.
    response = post_change(staff, person, user=successor.pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.user == successor


def test_a_handover_refused_at_the_save_gets_a_message_not_an_error(
    staff, unit, successor, secretariat, monkeypatch
):
    """The form checks the handover, then the successor accepts an invitation to the same
    unit (a moment later, in another request): the service refuses at the save, the whole
    save is rolled back and the page says why."""
    check = services.representative_change_check

    def check_then_the_invitation_is_accepted(*, member, user):
        check(member=member, user=user)
        services.representative_change(member=member, user=user, actor=user, reason="邀请")

    monkeypatch.setattr(
        services, "representative_change_check", check_then_the_invitation_is_accepted
    )
    previous = unit.user
    response = post_change(staff, unit, user=successor.pk, change_reason="换届公函")

    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["该账户已经是本单位的会员代表。"]
    unit.refresh_from_db()
    # Rolled back with the save, as the competing request's own commit would not be.
    assert unit.user == previous
    assert not unit.changes.exists()
