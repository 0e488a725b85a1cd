"""The secretariat records dues and changes a member's status and tier."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from members import roles
from members.models import DuesPayment, DuesRate, Member, MemberChange


@pytest.fixture
def member(individual_member):
    return Member.objects.get(user=individual_member)


def dues(member, **overrides):
    data = {
        "year": 2026,
        "amount": "200.00",
        "paid_on": timezone.localdate().isoformat(),
        "receipt_number": "SJ2026-0001",
        "note": "",
    }
    data.update(overrides)
    return data


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_member_page_for_the_secretariat(client, secretariat, member):
    DuesRate.objects.create(year=timezone.localdate().year, tier=member.tier, amount=200)
    login(client, secretariat)
    response = client.get(reverse("members:member", args=[member.pk]))
    assert response.status_code == 200
    assert response.context["dues_form"].fields["amount"].initial == 200
    assert "陈静" in response.content.decode()


def test_a_units_page_sends_the_secretariat_to_the_handover_page(
    client, secretariat, unit_representative
):
    """The handover form lives on the representative page (an invitation), not here."""
    unit = Member.objects.get(user=unit_representative)
    login(client, secretariat)
    response = client.get(reverse("members:member", args=[unit.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("members:member-representative", args=[unit.pk]) in html
    assert unit_representative.display_name in html


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "individual_member", "other_member", "county_viewer"]
)
def test_member_page_and_actions_are_for_the_secretariat_only(client, member, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("members:member", args=[member.pk])).status_code == 403
    assert (
        client.post(reverse("members:member-dues", args=[member.pk]), dues(member)).status_code
        == 403
    )
    response = client.post(
        reverse("members:member-status", args=[member.pk]),
        {"status": "left", "on": "2026-01-01", "reason": "x"},
    )
    assert response.status_code == 403
    assert not DuesPayment.objects.exists()
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_anonymous_is_sent_to_login(client, member):
    response = client.get(reverse("members:member", args=[member.pk]))
    assert reverse("account_login") in response["Location"]


def test_post_only_actions_refuse_get(client, secretariat, member):
    login(client, secretariat)
    for name in ("dues", "status", "tier", "certificate-reissue"):
        assert client.get(reverse(f"members:member-{name}", args=[member.pk])).status_code == 405


def test_recording_dues(client, secretariat, member):
    login(client, secretariat)
    response = client.post(reverse("members:member-dues", args=[member.pk]), dues(member))
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert payment.member == member
    assert payment.recorded_by == secretariat
    assert payment.amount == 200


def test_duplicate_receipt_number_is_refused(client, secretariat, member, other_member):
    login(client, secretariat)
    client.post(reverse("members:member-dues", args=[member.pk]), dues(member))
    other = Member.objects.get(user=other_member)
    response = client.post(reverse("members:member-dues", args=[other.pk]), dues(other))
    assert response.status_code == 400
    assert "该收据编号的缴费已经登记过了" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_second_payment_for_the_same_year_is_refused(client, secretariat, member):
    login(client, secretariat)
    client.post(reverse("members:member-dues", args=[member.pk]), dues(member))
    response = client.post(
        reverse("members:member-dues", args=[member.pk]), dues(member, receipt_number="SJ2")
    )
    assert response.status_code == 400
    assert "本年度的会费已经登记过了" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_payment_dated_in_the_future_is_refused(client, secretariat, member):
    login(client, secretariat)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("members:member-dues", args=[member.pk]), dues(member, paid_on=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert not DuesPayment.objects.exists()


def test_leaving_ends_membership_revokes_certificate_and_role(
    client, secretariat, member, individual_member
):
    from members.services import certificate_issue

    certificate_issue(member=member)
    login(client, secretariat)
    today = timezone.localdate()
    response = client.post(
        reverse("members:member-status", args=[member.pk]),
        {"status": "left", "on": today.isoformat(), "reason": "书面申请退会"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT
    assert member.member_until == today
    assert member.status_reason == "书面申请退会"
    assert member.current_certificate() is None
    assert roles.MEMBER not in groups(individual_member)
    change = member.changes.get(action=MemberChange.Action.STATUS)
    assert change.changed_by == secretariat
    assert change.reason == "书面申请退会"


def test_status_change_needs_a_reason(client, secretariat, member):
    login(client, secretariat)
    response = client.post(
        reverse("members:member-status", args=[member.pk]),
        {"status": "suspended", "on": timezone.localdate().isoformat(), "reason": ""},
    )
    assert response.status_code == 400
    assert "请填写变更原因" in response.content.decode()
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_suspended_member_keeps_the_role_but_not_the_vote(
    client, secretariat, member, individual_member
):
    login(client, secretariat)
    client.post(
        reverse("members:member-status", args=[member.pk]),
        {"status": "suspended", "on": timezone.localdate().isoformat(), "reason": "欠缴会费"},
    )
    member.refresh_from_db()
    assert roles.MEMBER in groups(individual_member)
    assert not member.is_in_good_standing()


def test_tier_change_reissues_the_certificate(client, secretariat, member):
    from members.services import certificate_issue

    first = certificate_issue(member=member)
    login(client, secretariat)
    response = client.post(
        reverse("members:member-tier", args=[member.pk]),
        {"tier": "council", "reason": "当选理事单位"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.tier == Member.Tier.COUNCIL
    first.refresh_from_db()
    assert first.revoked_on is not None
    assert member.current_certificate().tier == Member.Tier.COUNCIL
    assert member.changes.filter(action=MemberChange.Action.TIER, reason="当选理事单位").exists()


def test_reissue_certificate(client, secretariat, member):
    login(client, secretariat)
    client.post(reverse("members:member-certificate-reissue", args=[member.pk]))
    client.post(reverse("members:member-certificate-reissue", args=[member.pk]))
    assert member.certificates.count() == 2
    assert member.certificates.filter(revoked_on__isnull=True).count() == 1
