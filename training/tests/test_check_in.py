"""Check-in per session by code or QR, as at meetings; the secretariat checks people in and
corrects records with a reason (audit log); attending keeps members in good standing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from elections.models import AuditEntry
from members.models import Activity, Member
from training.models import Attendance
from training.services import (
    attendance_check_in,
    attendance_correct,
    registration_create,
    session_check_in_set_open,
)

from .conftest import make_training, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(training, individual_member, secretariat):
    registration_create(training=training, actor=individual_member)
    session = training.sessions.get()
    session_check_in_set_open(session=session, actor=secretariat, is_open=True)
    session.refresh_from_db()
    return session


def test_self_check_in_with_the_code_credits_the_hours(client, session, individual_member):
    login(client, individual_member)
    url = reverse("training:check-in", args=[session.pk])
    # A scanned link fills the form in, and checks nobody in by itself.
    page = client.get(url, {"code": session.check_in_code})
    assert page.status_code == 200
    assert session.check_in_code in page.text
    assert not Attendance.objects.exists()

    response = client.post(url, {"code": f" {session.check_in_code.lower()} "})
    assert response.status_code == 302
    attendance = Attendance.objects.get(session=session, user=individual_member)
    assert attendance.hours == Decimal("3.0")
    assert attendance.source == Attendance.Source.SELF


def test_a_wrong_code_is_refused_with_a_clear_error(client, session, individual_member):
    login(client, individual_member)
    response = client.post(reverse("training:check-in", args=[session.pk]), {"code": "WRONG1"})
    assert response.status_code == 400
    assert response.context["error"]
    assert not Attendance.objects.exists()


def test_check_in_is_refused_while_closed(session, individual_member, secretariat):
    session_check_in_set_open(session=session, actor=secretariat, is_open=False)
    with refused("closed"):
        attendance_check_in(
            session=session, user=individual_member, actor=individual_member,
            code=session.check_in_code,
        )  # fmt: skip


def test_only_people_with_a_seat_check_in_themselves(session, outsider):
    with refused("not_registered"):
        attendance_check_in(
            session=session, user=outsider, actor=outsider, code=session.check_in_code
        )


def test_attending_is_an_activity_for_good_standing(session, individual_member):
    member = Member.objects.get(user=individual_member)
    member.member_since = datetime.date(2020, 1, 1)
    member.save()
    on = session.date
    assert not member.is_in_good_standing(on)
    attendance_check_in(
        session=session, user=individual_member, actor=individual_member,
        code=session.check_in_code,
    )  # fmt: skip
    activity = Activity.objects.get(member=member)
    assert activity.on == session.date
    assert session.training.title in activity.description
    assert member.is_in_good_standing(on)


def test_the_secretariat_checks_in_from_the_list(client, session, secretariat, individual_member):
    login(client, secretariat)
    response = client.post(
        reverse("training:participant-check-in", args=[session.pk, individual_member.pk])
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get(user=individual_member)
    assert attendance.source == Attendance.Source.SECRETARIAT
    assert attendance.recorded_by == secretariat


def test_a_correction_needs_a_reason_and_is_audited(session, individual_member, secretariat):
    with refused("reason"):
        attendance_correct(
            session=session, user=individual_member, hours=Decimal("1.5"), reason=" ",
            actor=secretariat,
        )  # fmt: skip
    attendance_correct(
        session=session, user=individual_member, hours=Decimal("1.5"), reason="中途离场",
        actor=secretariat,
    )  # fmt: skip
    attendance = Attendance.objects.get(user=individual_member)
    assert attendance.hours == Decimal("1.5")
    assert attendance.source == Attendance.Source.CORRECTION
    entry = AuditEntry.objects.get(action="attendance_corrected")
    assert entry.actor == secretariat
    assert "中途离场" in entry.detail and "1.5" in entry.detail

    attendance_correct(
        session=session, user=individual_member, hours=Decimal("0"), reason="误签到",
        actor=secretariat,
    )  # fmt: skip
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action="attendance_corrected").count() == 2


def test_a_correction_cannot_credit_more_than_the_session(session, individual_member, secretariat):
    with pytest.raises(ValidationError):
        attendance_correct(
            session=session, user=individual_member, hours=Decimal("3.5"), reason="x",
            actor=secretariat,
        )  # fmt: skip


def test_correcting_through_the_page(client, session, secretariat, outsider):
    login(client, secretariat)
    url = reverse("training:attendance-correct", args=[session.pk])
    assert client.get(url, {"user": outsider.pk}).status_code == 200
    response = client.post(url, {"email": outsider.email, "hours": "9", "reason": "补录"})
    assert response.status_code == 200
    assert response.context["form"].errors["hours"]
    response = client.post(url, {"email": outsider.email, "hours": "3.0", "reason": "现场签到漏记"})
    assert response.status_code == 302
    assert Attendance.objects.get(user=outsider).hours == Decimal("3.0")
    response = client.post(url, {"email": "nobody@example.org", "hours": "1", "reason": "x"})
    assert response.context["form"].errors["email"]


def test_the_qr_code_holds_the_check_in_link_with_the_code(client, session, secretariat):
    login(client, secretariat)
    response = client.get(reverse("training:session-qr", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content


def test_opening_and_closing_check_in_is_audited(client, training, secretariat):
    session = training.sessions.get()
    login(client, secretariat)
    url = reverse("training:session-check-in-state", args=[session.pk])
    client.post(url, {"open": "1"})
    session.refresh_from_db()
    assert session.check_in_open
    client.post(url, {"open": "0"})
    session.refresh_from_db()
    assert not session.check_in_open
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "check_in_opened",
        "check_in_closed",
    ]


def test_sessions_of_a_past_training_still_take_corrections(individual_member, secretariat):
    training = make_training(days=(-30,))
    session = training.sessions.get()
    attendance_correct(
        session=session, user=individual_member, hours=Decimal("3.0"), reason="纸质签到表补录",
        actor=secretariat,
    )  # fmt: skip
    assert Attendance.objects.get().checked_in_at <= timezone.now()
