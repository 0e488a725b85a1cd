"""Certificates: per-event attendance and the period summary (继续教育学时证明) as PDF with a
number and a QR code to /training/verify/<number>/, which shows only the name and hours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.certificates import pdf_bytes, qr_image
from conftest import login
from training import certificates
from training.models import Attendance, Certificate, OutsideHours
from training.services import attendance_correct, certificate_for_period, certificate_for_training

from .conftest import make_period, make_training

pytestmark = pytest.mark.django_db


def attend(user, training):
    for session in training.sessions.all():
        Attendance.objects.create(
            session=session, user=user, hours=session.hours, source="self", recorded_by=user
        )


@pytest.fixture
def attended(outsider):
    training = make_training(title="家庭教育指导专题讲座", days=(-20, -19), hours="3.0")
    attend(outsider, training)
    return training


def test_attendance_certificate_is_a_numbered_pdf(client, profile, outsider, attended):
    login(client, outsider)
    response = client.get(reverse("training:training-certificate", args=[attended.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    certificate = Certificate.objects.get(user=outsider, training=attended)
    assert certificate.hours == Decimal("6.0")
    assert certificate.holder_name == outsider.full_name
    assert certificate.number in response["Content-Disposition"]
    # Asking again gives the same certificate, not a new number.
    client.get(reverse("training:training-certificate", args=[attended.pk]))
    assert Certificate.objects.filter(user=outsider).count() == 1


def test_no_certificate_without_attendance(client, outsider, training):
    login(client, outsider)
    response = client.get(reverse("training:training-certificate", args=[training.pk]))
    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_changed_hours_give_a_new_number_and_the_old_one_says_replaced(
    client, outsider, attended, secretariat
):
    old = certificate_for_training(user=outsider, training=attended)
    attendance_correct(
        session=attended.sessions.first(), user=outsider, hours=Decimal("1.5"),
        reason="中途离场", actor=secretariat,
    )  # fmt: skip
    new = certificate_for_training(user=outsider, training=attended)
    assert new.number != old.number
    assert new.hours == Decimal("4.5")
    old.refresh_from_db()
    assert old.replaced_at is not None
    page = client.get(reverse("training:verify", args=[old.number]))
    assert page.status_code == 200
    assert page.context["certificate"] == old
    assert "verdict-bad" in page.text


def test_verify_shows_the_name_and_hours_and_nothing_personal(client, outsider, attended):
    outsider.phone = "13912345678"
    outsider.save()
    certificate = certificate_for_training(user=outsider, training=attended)
    response = client.get(reverse("training:verify", args=[certificate.number.lower()]))
    assert response.status_code == 200
    assert outsider.full_name in response.text
    assert "6.0" in response.text
    assert outsider.email not in response.text
    assert "13912345678" not in response.text
    assert "verdict-ok" in response.text


def test_an_unknown_number_is_404(client, db):
    assert client.get(reverse("training:verify", args=["JX-AAAA-BBBB"])).status_code == 404


def test_the_lookup_form_goes_to_the_number(client, db):
    response = client.get(reverse("training:verify-lookup"), {"number": " jx-aaaa-bbbb "})
    assert response.status_code == 302
    assert response.url == reverse("training:verify", args=["JX-AAAA-BBBB"])


def test_period_certificate_lists_the_hours_of_the_period(client, profile, outsider, attended):
    period = make_period(outsider, starts_on=timezone.localdate() - datetime.timedelta(days=200))
    OutsideHours.objects.create(
        user=outsider, title="省级网络课程", provider="民政厅", hours="10.0", status="approved",
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
        evidence="training/evidence/x.pdf",
    )  # fmt: skip
    login(client, outsider)
    response = client.get(reverse("training:period-certificate", args=[period.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    certificate = Certificate.objects.get(period=period)
    assert certificate.kind == Certificate.Kind.PERIOD
    assert certificate.hours == Decimal("16.0")
    assert (certificate.covers_from, certificate.covers_until) == (period.starts_on, period.ends_on)


def test_nobody_downloads_another_persons_period_certificate(client, outsider, applicant):
    period = make_period(applicant, starts_on=datetime.date(2025, 1, 1))
    login(client, outsider)
    assert client.get(reverse("training:period-certificate", args=[period.pk])).status_code == 404


def test_a_long_record_continues_on_further_pages(profile, outsider):
    period = make_period(outsider, starts_on=timezone.localdate() - datetime.timedelta(days=300))
    for offset in range(30):
        attend(outsider, make_training(title=f"讲座{offset}", days=(-offset - 1,), hours="1.0"))
    certificate, items = certificate_for_period(period=period)
    pages = certificates.render_period(
        certificate, items, association_name="许昌市社会工作行业协会",
        verify_url=f"https://portal.example.org/training/verify/{certificate.number}/",
    )  # fmt: skip
    # 10 rows on the first page, 19 on the next ones.
    assert len(pages) == 3
    pdf = pdf_bytes(pages, title="t", author="a")
    assert b"/Count 3" in pdf


def test_the_qr_code_on_the_certificate_points_to_the_check_page(profile, outsider, attended):
    certificate = certificate_for_training(user=outsider, training=attended)
    url = f"https://portal.example.org/training/verify/{certificate.number}/"
    (page,) = certificates.render_attendance(
        certificate, association_name="许昌市社会工作行业协会", verify_url=url
    )
    # The QR code printed is exactly the code of the check page's address.
    width, _height = page.size
    left, top, side = width - 160 - 360, 400, 360
    printed = page.crop((left, top, left + side, top + side))
    assert printed.tobytes() == qr_image(url, side).tobytes()


def test_certificates_need_a_chinese_font(client, settings, outsider, attended):
    settings.CERTIFICATE_FONT = "/nonexistent/font.ttc"
    login(client, outsider)
    response = client.get(reverse("training:training-certificate", args=[attended.pk]))
    assert response.status_code == 503
