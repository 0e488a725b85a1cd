"""The back office: every membership page opens, and hand edits keep history and roles."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.tests.factories import image_bytes, png_upload
from conftest import login
from members import roles
from members.models import (
    Activity,
    Application,
    Certificate,
    DuesPayment,
    DuesRate,
    Member,
    MemberChange,
)
from members.services import certificate_issue

from .conftest import make_application


@pytest.fixture
def staff(client, secretariat):
    return login(client, secretariat)


@pytest.mark.parametrize(
    "model",
    [Member, DuesRate, DuesPayment, Activity, Application, Certificate, MemberChange],
)
def test_changelists_open(staff, model, individual_member, applicant, profile):
    make_application(applicant)
    url = reverse(f"admin:members_{model._meta.model_name}_changelist")
    assert staff.get(url).status_code == 200


def test_member_change_and_add_pages_open(staff, individual_member, unit_representative):
    for member in Member.objects.all():
        certificate_issue(member=member)
        assert (
            staff.get(reverse("admin:members_member_change", args=[member.pk])).status_code == 200
        )
    assert staff.get(reverse("admin:members_member_add")).status_code == 200
    assert staff.get(reverse("admin:members_member_export")).status_code == 200


def test_member_added_in_the_back_office_gets_a_number_and_history(staff, profile, outsider):
    response = staff.post(
        reverse("admin:members_member_add"),
        {
            "kind": "individual",
            "name": "吴凡",
            "number": "",
            "tier": "member",
            "user": outsider.pk,
            "member_since": "2026-03-01",
            "qualification": "none",
            "change_reason": "补录纸质入会材料",
            **{f"{prefix}-{key}": value for prefix in INLINES for key, value in EMPTY.items()},
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="吴凡")
    assert member.number == "XCSW-2026-0001"
    assert member.changes.get().reason == "补录纸质入会材料"
    assert roles.MEMBER in set(outsider.groups.values_list("name", flat=True))


def test_history_cannot_be_edited_or_deleted(staff, individual_member):
    member = Member.objects.get(user=individual_member)
    certificate_issue(member=member)
    change = member.changes.get()
    url = reverse("admin:members_memberchange_delete", args=[change.pk])
    assert staff.post(url, {"post": "yes"}).status_code == 403
    assert MemberChange.objects.filter(pk=change.pk).exists()


INLINES = ["dues_payments", "activities", "representatives", "certificates", "changes"]
EMPTY = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


@pytest.mark.parametrize("kind, field", [("individual", "photo"), ("unit", "logo")])
def test_member_change_page_with_a_photo_or_logo_names_the_file(
    staff, individual_member, unit_representative, kind, field
):
    user = individual_member if kind == "individual" else unit_representative
    member = Member.objects.get(user=user)
    getattr(member, field).save(f"{field}.png", ContentFile(image_bytes((40, 40))))

    response = staff.get(reverse("admin:members_member_change", args=[member.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert getattr(member, field).name in html
    assert f'name="{field}-clear"' in html
    assert "/media/" not in html


def _add_with_photo(staff, outsider, photo):
    return staff.post(
        reverse("admin:members_member_add"),
        {
            "kind": "individual",
            "name": "吴凡",
            "number": "",
            "tier": "member",
            "user": outsider.pk,
            "member_since": "2026-03-01",
            "qualification": "none",
            "photo": photo,
            **{f"{prefix}-{key}": value for prefix in INLINES for key, value in EMPTY.items()},
        },
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("face.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("face.png", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_the_admin_refuses_a_photo_that_is_no_image(staff, profile, outsider, name, content):
    response = _add_with_photo(staff, outsider, SimpleUploadedFile(name, content, "image/png"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    assert not Member.objects.filter(name="吴凡").exists()


def test_the_admin_re_encodes_a_photo_as_the_portal_does(staff, profile, outsider):
    response = _add_with_photo(staff, outsider, png_upload("face.png", size=(1600, 1200)))

    assert response.status_code == 302
    photo = Member.objects.get(name="吴凡").photo
    assert photo.name.endswith(".jpg")
    with photo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (800, 600)


def test_issue_certificates_action_issues_each_it_may_and_names_each_refusal(
    staff, individual_member, unit_representative
):
    suspended = Member.objects.get(user=unit_representative)
    suspended.status = Member.Status.SUSPENDED
    suspended.save()
    member = Member.objects.get(user=individual_member)

    response = staff.post(
        reverse("admin:members_member_changelist"),
        {"action": "issue_certificates", "_selected_action": [member.pk, suspended.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert list(Certificate.objects.values_list("member", flat=True)) == [member.pk]
    shown = [str(message) for message in response.context["messages"]]
    assert f"{suspended}: 只能为有会员编号、会籍有效的会员颁发会员证。" in shown, shown
    assert "已颁发 1 份会员证。" in shown, shown
