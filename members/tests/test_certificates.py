"""The member certificate (会员证): PNG and PDF, its font, and the public check page."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import login
from members.certificates import render_certificate
from members.models import Certificate, Member
from members.services import certificate_issue, member_status_change


@pytest.fixture
def member(individual_member, profile):
    member = Member.objects.get(user=individual_member)
    certificate_issue(member=member)
    return member


def download(member, fmt):
    return reverse("members:member-certificate", args=[member.pk, fmt])


def test_member_downloads_the_certificate_as_png(client, member):
    login(client, member.user)
    response = client.get(download(member, "png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1754, 1240)


def test_member_downloads_the_certificate_as_pdf(client, member):
    login(client, member.user)
    response = client.get(download(member, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"%%EOF" in response.content[-64:]


def test_certificate_draws_chinese_text_and_a_qr_code(member):
    certificate = member.current_certificate()
    url = f"https://portal.example.org/members/verify/{member.number}/"
    image = render_certificate(
        certificate, association_name="许昌市社会工作行业协会", verify_url=url
    )
    # The QR code block is pure black and white; the title area holds the red brand colour.
    qr_area = image.crop((1214, 400, 1594, 780)).convert("L")
    assert {colour for _count, colour in qr_area.getcolors(256)} <= {0, 255}
    title = image.crop((300, 220, 1454, 350))
    assert (161, 40, 28) in {colour for _count, colour in title.getcolors(1_000_000)}


def test_secretariat_downloads_any_certificate(client, secretariat, member):
    login(client, secretariat)
    assert client.get(download(member, "pdf")).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "applicant", "other_member", "county_viewer"])
def test_others_get_404_for_a_certificate(client, member, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(download(member, "png")).status_code == 404


def test_anonymous_is_sent_to_login_for_a_certificate(client, member):
    assert reverse("account_login") in client.get(download(member, "png"))["Location"]


def test_unknown_format_is_404(client, member):
    login(client, member.user)
    assert client.get(download(member, "gif")).status_code == 404


def test_certificate_page_explains_a_missing_font(client, member, settings, tmp_path):
    settings.CERTIFICATE_FONT = str(tmp_path / "missing.ttc")
    login(client, member.user)
    response = client.get(download(member, "pdf"))
    assert response.status_code == 503
    assert "缺少中文字体" in response.content.decode()


def test_validity_is_five_years_or_less():
    assert Certificate.validity_end(datetime.date(2026, 3, 1)) == datetime.date(2031, 2, 28)
    assert Certificate.validity_end(datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 27)
    assert Certificate.validity_end(
        datetime.date(2026, 3, 1), member_until=datetime.date(2027, 1, 1)
    ) == datetime.date(2027, 1, 1)


# The public check page -----------------------------------------------------------------


def test_check_page_confirms_a_current_certificate_without_personal_data(client, member):
    member.phone = "13800001234"
    member.save()
    response = client.get(reverse("members:verify", args=[member.number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "真实有效" in page
    assert member.number in page
    assert "陈*" in page
    assert "陈静" not in page
    assert "13800001234" not in page
    assert "1234" not in page.split("<main", 1)[1]


def test_check_page_names_a_unit(client, unit_representative, profile):
    unit = Member.objects.get(user=unit_representative)
    certificate_issue(member=unit)
    page = client.get(reverse("members:verify", args=[unit.number])).content.decode()
    assert unit.name in page


def test_check_page_says_when_the_member_has_left(client, member):
    member_status_change(
        member=member, status=Member.Status.LEFT, reason="退会", actor=None, on=timezone.localdate()
    )
    response = client.get(reverse("members:verify", args=[member.number]))
    assert response.status_code == 200
    assert "已失效" in response.content.decode()


def test_check_page_is_404_for_an_unknown_number(client, db):
    assert client.get(reverse("members:verify", args=["XCSW-2099-9999"])).status_code == 404


def test_check_page_is_404_without_any_certificate(client, individual_member):
    member = Member.objects.get(user=individual_member)
    assert client.get(reverse("members:verify", args=[member.number])).status_code == 404


def test_lookup_form_goes_to_the_check_page(client, member):
    response = client.get(reverse("members:verify-lookup"), {"number": member.number.lower()})
    assert response["Location"] == reverse("members:verify", args=[member.number])
    assert client.get(reverse("members:verify-lookup")).status_code == 200


def test_system_check_warns_without_a_font(settings, tmp_path):
    from members.checks import certificate_font

    assert certificate_font(None) == []
    settings.CERTIFICATE_FONT = str(tmp_path / "missing.ttc")
    [warning] = certificate_font(None)
    assert warning.id == "members.W001"
