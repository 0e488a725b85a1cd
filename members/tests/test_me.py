"""A member's own page, profile, images and personal data download."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.tests.factories import png_bytes
from conftest import login
from members import services
from members.models import DuesPayment, DuesRate, Member, MemberChange, RepresentativeInvitation
from members.services import certificate_issue

from .conftest import make_application

ME = reverse("members:me")


@pytest.fixture
def member(individual_member, profile):
    member = Member.objects.get(user=individual_member)
    certificate_issue(member=member)
    return member


def test_anonymous_is_sent_to_login(client, db):
    assert reverse("account_login") in client.get(ME)["Location"]


@pytest.mark.parametrize("persona", ["outsider", "applicant", "county_viewer", "secretariat"])
def test_non_members_get_403(client, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(ME).status_code == 403


def test_member_sees_membership_standing_dues_and_certificate(client, member):
    DuesRate.objects.create(year=member.member_since.year, tier=member.tier, amount=200)
    DuesPayment.objects.create(
        member=member,
        year=member.member_since.year,
        amount=200,
        paid_on=member.member_since,
        receipt_number="SJ-1",
    )
    login(client, member.user)
    response = client.get(ME)
    page = response.content.decode()
    assert response.status_code == 200
    assert member.number in page
    assert "会籍正常" in page
    assert "SJ-1" in page
    assert reverse("members:member-certificate", args=[member.pk, "pdf"]) in page
    assert reverse("members:my-data") in page
    assert "elections/ballot_box/_member_votes.html" in [t.name for t in response.templates]


def test_member_page_shows_only_the_users_own_memberships(client, member, other_member):
    login(client, member.user)
    page = client.get(ME).content.decode()
    assert "李华" not in page


def test_unit_representative_sees_the_handover_link(client, unit_representative):
    unit = Member.objects.get(user=unit_representative)
    login(client, unit_representative)
    page = client.get(ME).content.decode()
    assert reverse("members:member-representative", args=[unit.pk]) in page


def test_lapsed_member_is_told_why(client, member):
    import datetime

    member.member_since = member.member_since - datetime.timedelta(days=800)
    member.save()
    login(client, member.user)
    assert "超过一年未缴纳会费" in client.get(ME).content.decode()


# Personal data download -----------------------------------------------------------------


def test_my_data_download_contains_the_records(client, member):
    login(client, member.user)
    response = client.get(reverse("members:my-data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member.user.email
    assert data["memberships"][0]["number"] == member.number
    assert data["memberships"][0]["certificates"]
    assert "陈静" in response.content.decode()  # not escaped to \\u sequences


def test_applicant_downloads_application_data(client, applicant, profile):
    make_application(applicant)
    login(client, applicant)
    data = json.loads(client.get(reverse("members:my-data")).content)
    assert data["applications"][0]["name"] == "许昌市向阳社会工作服务中心"
    assert data["applications"][0]["documents"][0]["original_name"] == "scan.png"
    assert data["memberships"] == []


def test_my_data_lists_the_invitations_sent_and_answered_without_their_tokens(
    client, applicant, profile, unit_representative, other_member
):
    application = make_application(applicant, submit=False)
    invitation = services.representative_invite(
        application=application, email=other_member.email, actor=applicant
    )
    services.representative_invitation_decline(
        token=invitation.link.rstrip("/").rsplit("/", 1)[-1], actor=other_member
    )
    # The unit's own invitations, one replaced by the next: in no one else's download.
    unit = Member.objects.get(user=unit_representative)
    services.representative_invite(member=unit, email="someone@example.org", actor=unit.user)
    services.representative_invite(member=unit, email="third@example.org", actor=unit.user)

    def invitations_of(user):
        login(client, user)
        response = client.get(reverse("members:my-data"))
        for row in RepresentativeInvitation.objects.all():
            assert row.token_hash not in response.content.decode()
        return json.loads(response.content)["representative_invitations"]

    sent = invitations_of(applicant)
    assert [(row["email"], row["unit"], row["state"]) for row in sent] == [
        (other_member.email, application.name, "declined")
    ]
    assert (sent[0]["sent_by_me"], sent[0]["answered_by_me"]) == (True, False)
    assert sent[0]["invited_for"] == "application"
    assert sent[0]["invited_at"] and sent[0]["expires_at"] and sent[0]["closed_at"]

    answered = invitations_of(other_member)
    assert [(row["email"], row["state"], row["answered_by_me"]) for row in answered] == [
        (other_member.email, "declined", True)
    ]
    assert answered[0]["sent_by_me"] is False

    assert [
        (row["email"], row["state"], row["invited_for"]) for row in invitations_of(unit.user)
    ] == [("someone@example.org", "replaced", "member"), ("third@example.org", "pending", "member")]

    # Sent to an address the account has verified, answered or not: theirs to download; to
    # an address it has not verified (maybe someone else's): not.
    EmailAddress.objects.create(user=other_member, email="Third@Example.org", verified=True)
    EmailAddress.objects.create(user=other_member, email="someone@example.org", verified=False)
    received = invitations_of(other_member)
    assert [(row["email"], row["state"], row["to_my_address"]) for row in received] == [
        (other_member.email, "declined", True),
        ("third@example.org", "pending", True),
    ]
    assert received[1]["answered_by_me"] is False and received[1]["sent_by_me"] is False


def test_my_data_needs_login(client, db):
    assert reverse("account_login") in client.get(reverse("members:my-data"))["Location"]


# Profile --------------------------------------------------------------------------------


def edit(member):
    return reverse("members:profile-edit", args=[member.pk])


def individual_profile(**overrides):
    data = {
        "employer": "许昌市阳光社会工作服务中心",
        "qualification": "social_worker",
        "certificate_number": "20214110000001",
        "phone": "13800009999",
        "email": "chenjing@example.org",
    }
    data.update(overrides)
    return data


def test_member_edits_contact_details_and_history_records_it(client, member):
    login(client, member.user)
    assert client.get(edit(member)).status_code == 200
    response = client.post(edit(member), individual_profile())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13800009999"
    change = member.changes.get(action=MemberChange.Action.PROFILE)
    assert change.changed_by == member.user
    assert "电话" in change.details


def test_invalid_phone_is_refused(client, member):
    login(client, member.user)
    response = client.post(edit(member), individual_profile(phone="12345"))
    assert response.status_code == 200
    assert "11 位手机号码" in response.content.decode()
    member.refresh_from_db()
    assert member.phone != "12345"


def test_photo_is_reencoded_and_served_to_the_member_only(client, member, other_member):
    login(client, member.user)
    photo = SimpleUploadedFile("me.png", png_bytes(size=(1600, 1200)), "image/png")
    client.post(edit(member), individual_profile(photo=photo))
    member.refresh_from_db()
    assert member.photo
    with member.photo.open("rb") as handle:
        assert max(Image.open(handle).size) <= 800
    image_url = reverse("members:member-image", args=[member.pk])
    assert client.get(image_url).status_code == 200
    login(client, other_member)
    assert client.get(image_url).status_code == 404
    client.logout()
    assert reverse("account_login") in client.get(image_url)["Location"]


def test_staff_account_without_two_factor_sees_its_own_photo_and_no_one_elses(
    client, secretariat_without_2fa, county, other_member
):
    # A secretariat officer who is also an individual member, before setting up two-factor
    # login: an ordinary signed-in user, whose own records are its own.
    own = Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        name="李新",
        number="XCSW-2025-0009",
        county=county,
        user=secretariat_without_2fa,
    )
    own.photo.save("me.png", ContentFile(png_bytes()))
    other = Member.objects.get(user=other_member)
    other.photo.save("other.png", ContentFile(png_bytes()))
    login(client, secretariat_without_2fa)

    mine = client.get(reverse("members:member-image", args=[own.pk]))
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == own.photo.open("rb").read()

    theirs = client.get(reverse("members:member-image", args=[other.pk]))
    assert theirs.status_code == 302
    assert theirs["Location"] == reverse("mfa_activate_totp")  # the secretariat's, once set up


def test_fake_photo_is_refused(client, member):
    login(client, member.user)
    fake = SimpleUploadedFile("me.png", b"not an image", "image/png")
    response = client.post(edit(member), individual_profile(photo=fake))
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.photo


def test_unit_logo_is_public(client, unit_representative):
    unit = Member.objects.get(user=unit_representative)
    login(client, unit_representative)
    logo = SimpleUploadedFile("logo.png", png_bytes(size=(300, 300)), "image/png")
    response = client.post(
        edit(unit),
        {
            "address": "许昌市魏都区",
            "contact_name": "刘洋",
            "contact_phone": "13900000000",
            "contact_email": "",
            "logo": logo,
        },
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("members:member-image", args=[unit.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "applicant", "other_member", "county_viewer"])
def test_others_cannot_edit_a_profile(client, member, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(edit(member)).status_code == 404
    assert client.post(edit(member), individual_profile(phone="13811112222")).status_code == 404
    member.refresh_from_db()
    assert member.phone != "13811112222"


def test_secretariat_edits_a_profile(client, secretariat, member):
    login(client, secretariat)
    response = client.post(edit(member), individual_profile(phone="13811112222"))
    assert response["Location"] == reverse("members:member", args=[member.pk])
    member.refresh_from_db()
    assert member.phone == "13811112222"
