"""A person's record at /training/mine/: the registration period they enter, hours against
the requirement, each credited item, and hours from elsewhere with validated evidence."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.tests.factories import pdf_bytes, png_bytes
from conftest import login
from training.models import Attendance, OutsideHours, RegistrationPeriod

from .conftest import make_period, make_training

pytestmark = pytest.mark.django_db

MINE = reverse("training:mine")


def test_without_a_period_the_page_asks_for_one(client, outsider):
    login(client, outsider)
    response = client.get(MINE)
    assert response.status_code == 200
    assert response.context["period"] is None
    assert reverse("training:period-new") in response.text


def test_entering_a_period_from_the_registration_certificate(client, outsider):
    login(client, outsider)
    starts_on = timezone.localdate() - datetime.timedelta(days=400)
    response = client.post(
        reverse("training:period-new"),
        {
            "qualification": "assistant",
            "starts_on": starts_on.isoformat(),
            "certificate_number": "DJ1",
        },
    )
    assert response.status_code == 302
    period = RegistrationPeriod.objects.get(user=outsider)
    assert period.ends_on == starts_on.replace(year=starts_on.year + 3) - datetime.timedelta(days=1)
    page = client.get(MINE)
    assert page.context["period"] == period
    assert page.context["period"].required == Decimal("72")
    assert page.context["days_left"] == (period.ends_on - timezone.localdate()).days + 1


def test_a_period_starting_in_the_future_or_overlapping_is_refused(client, outsider):
    login(client, outsider)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("training:period-new"), {"qualification": "assistant", "starts_on": tomorrow}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"]
    make_period(outsider, starts_on=timezone.localdate() - datetime.timedelta(days=10))
    response = client.post(
        reverse("training:period-new"),
        {
            "qualification": "assistant",
            "starts_on": timezone.localdate() - datetime.timedelta(days=5),
        },
    )
    assert response.context["form"].errors["starts_on"]
    assert RegistrationPeriod.objects.filter(user=outsider).count() == 1


def test_nobody_edits_another_persons_period(client, outsider, applicant):
    period = make_period(applicant, starts_on=datetime.date(2025, 1, 1))
    login(client, outsider)
    assert client.get(reverse("training:period-edit", args=[period.pk])).status_code == 404
    response = client.post(
        reverse("training:period-edit", args=[period.pk]),
        {"qualification": "senior", "starts_on": "2025-01-01"},
    )
    assert response.status_code == 404
    period.refresh_from_db()
    assert period.qualification == "assistant"


def test_the_record_lists_items_of_the_period_and_the_progress(client, outsider):
    today = timezone.localdate()
    make_period(outsider, starts_on=today - datetime.timedelta(days=100))
    inside = make_training(title="期内讲座", days=(-50,), hours="3.0")
    before = make_training(title="期前讲座", days=(-150,), hours="2.0")
    for training in (inside, before):
        session = training.sessions.get()
        Attendance.objects.create(
            session=session, user=outsider, hours=session.hours, source="self", recorded_by=outsider
        )
    login(client, outsider)
    response = client.get(MINE)
    assert [item.title for item in response.context["items"]] == ["期内讲座 · 第1讲"]
    assert response.context["period"].hours == Decimal("3.0")
    assert response.context["missing"] == Decimal("69.0")
    assert response.context["percent"] == 4
    assert 'id="period-progress"' in response.text


def test_submitting_hours_from_elsewhere_with_a_scan(client, outsider):
    login(client, outsider)
    response = client.post(
        reverse("training:outside-new"),
        {
            "title": "河南省社会工作者网络课程",
            "provider": "河南省民政厅",
            "completed_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "hours": "12.5",
            "evidence": SimpleUploadedFile("scan.png", png_bytes(), "image/png"),
        },
    )
    assert response.status_code == 302
    entry = OutsideHours.objects.get(user=outsider)
    assert entry.status == "pending"
    assert entry.hours == Decimal("12.5")
    # Images are re-encoded: what is stored is a JPEG the portal wrote.
    assert entry.evidence.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", "application/pdf"), "evidence"),
        (SimpleUploadedFile("scan.txt", b"hello", "text/plain"), "evidence"),
    ],
)
def test_bad_evidence_is_refused_with_a_clear_error(client, outsider, upload, field):
    login(client, outsider)
    response = client.post(
        reverse("training:outside-new"),
        {
            "title": "x",
            "provider": "y",
            "completed_on": "2026-01-01",
            "hours": "2",
            "evidence": upload,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not OutsideHours.objects.exists()


def test_hours_in_the_future_or_not_a_number_are_refused(client, outsider):
    login(client, outsider)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("training:outside-new"),
        {
            "title": "x", "provider": "y", "completed_on": tomorrow, "hours": "abc",
            "evidence": SimpleUploadedFile("e.pdf", pdf_bytes(), "application/pdf"),
        },
    )  # fmt: skip
    errors = response.context["form"].errors
    assert "completed_on" in errors and "hours" in errors


def test_evidence_is_seen_by_its_owner_and_the_secretariat_only(
    client, outsider, applicant, secretariat
):
    entry = OutsideHours.objects.create(
        user=outsider, title="x", provider="y", completed_on=datetime.date(2026, 1, 1),
        hours="2.0", evidence=SimpleUploadedFile("e.pdf", pdf_bytes(), "application/pdf"),
    )  # fmt: skip
    url = reverse("training:outside-evidence", args=[entry.pk])
    login(client, applicant)
    assert client.get(url).status_code == 404
    login(client, outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    login(client, secretariat)
    assert client.get(url).status_code == 200
