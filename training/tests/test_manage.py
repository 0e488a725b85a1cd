"""The secretariat's /training/manage/: trainings, registrations and their export, the
approval queue for hours from elsewhere, and who is short of hours with the days left."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login, make_user, run_tasks
from elections.models import AuditEntry
from members import roles
from members.models import Member
from training.models import Attendance, OutsideHours
from training.services import registration_create

from .conftest import make_period, make_training

pytestmark = pytest.mark.django_db


def workbook_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_registrations_are_listed_and_exported_with_waiting_positions(
    client, training, secretariat
):
    users = [make_user(f"p{i}@example.org", full_name=f"学员{i}") for i in range(3)]
    users[0].full_name = "=HYPERLINK(1)"
    users[0].save()
    for user in users:
        registration_create(training=training, actor=user)
    login(client, secretariat)
    page = client.get(reverse("training:manage-training", args=[training.pk]))
    assert page.status_code == 200
    assert [position for _r, position, _a in page.context["rows"]] == [None, None, 1]

    response = client.get(reverse("training:registrations-export", args=[training.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = workbook_of(response).active
    rows = rows_of(sheet)
    assert rows[0][:4] == ["姓名", "电子邮箱", "状态", "候补顺位"]
    assert [row[1] for row in rows[1:]] == [user.email for user in users]
    assert rows[3][3] == 1 and rows[1][3] is None
    # A name that would run as a formula is written as text.
    assert rows[1][0] == "=HYPERLINK(1)"
    assert sheet["A2"].quotePrefix


def test_the_session_page_lists_everyone_registered_in_constant_queries(
    client, training, secretariat, django_assert_max_num_queries
):
    training.capacity = None
    training.save()
    for index in range(12):
        registration_create(training=training, actor=make_user(f"q{index}@example.org"))
    session = training.sessions.get()
    login(client, secretariat)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("training:manage-session", args=[session.pk]))
    assert len(response.context["rows"]) == 12
    assert session.check_in_code in response.text


def test_the_calendar_does_not_grow_queries_with_trainings(
    client, db, django_assert_max_num_queries
):
    for index in range(15):
        make_training(title=f"讲座{index}", days=(index + 1,))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:calendar"))
    assert len(response.context["page"].object_list) == 15


@pytest.fixture
def pending(outsider):
    return OutsideHours.objects.create(
        user=outsider, title="省级网络课程", provider="民政厅", hours=Decimal("10.0"),
        completed_on=datetime.date(2026, 3, 1), evidence="training/evidence/x.pdf",
    )  # fmt: skip


def test_approving_hours_from_elsewhere(
    client, pending, secretariat, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    assert pending in client.get(reverse("training:outside-queue")).context["page"].object_list
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:outside-approve", args=[pending.pk]))
    run_tasks()
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by == secretariat
    assert mail.outbox[0].to == [pending.user.email]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.OUTSIDE_HOURS_APPROVED)
    assert entry.actor == secretariat and "省级网络课程" in entry.detail
    assert entry.get_action_display() == "外部学时已认定"
    # Deciding twice is refused.
    client.post(reverse("training:outside-refuse", args=[pending.pk]), {"reason": "x"})
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_refusing_needs_a_reason_that_the_person_reads(
    client, pending, secretariat, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    response = client.post(reverse("training:outside-refuse", args=[pending.pk]), {"reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("training:outside-refuse", args=[pending.pk]), {"reason": "证明材料不清晰"}
        )
    run_tasks()
    pending.refresh_from_db()
    assert pending.status == "refused" and pending.reason == "证明材料不清晰"
    assert "证明材料不清晰" in mail.outbox[0].body


@pytest.fixture
def report(individual_member, unit_representative, outsider, county, other_county):
    """Three people in current periods: the member (county) short, the outsider (no
    membership) short, and an individual member of the other county past the requirement."""
    today = timezone.localdate()
    make_period(individual_member, starts_on=today - datetime.timedelta(days=1000))
    make_period(outsider, starts_on=today - datetime.timedelta(days=500))
    elsewhere = make_user("elsewhere@example.org", full_name="林夕", groups=[roles.MEMBER])
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL, name="林夕", number="XCSW-2025-0009", county=other_county,
        user=elsewhere,
    )  # fmt: skip
    make_period(elsewhere, starts_on=today - datetime.timedelta(days=200))
    training = make_training(days=(-10,), hours="24.0")
    session = training.sessions.get()
    for _ in range(3):
        other = make_training(days=(-11 - _,), hours="24.0").sessions.get()
        Attendance.objects.create(session=other, user=elsewhere, hours="24.0", source="self",
                                  recorded_by=elsewhere)  # fmt: skip
    Attendance.objects.create(session=session, user=individual_member, hours="24.0", source="self",
                              recorded_by=individual_member)  # fmt: skip
    return elsewhere


def test_who_is_short_of_hours_with_days_left(
    client, report, secretariat, individual_member, outsider
):
    login(client, secretariat)
    response = client.get(reverse("training:hours-report"))
    rows = response.context["rows"]
    assert [period.user for period, _days in rows] == [individual_member, outsider]
    period, days_left = rows[0]
    assert period.hours == Decimal("24.0")
    assert days_left == (period.ends_on - timezone.localdate()).days + 1
    everyone = client.get(reverse("training:hours-report"), {"all": "1"}).context["rows"]
    assert report in [period.user for period, _days in everyone]

    sheet = workbook_of(client.get(reverse("training:hours-export"))).active
    rows = rows_of(sheet)
    assert rows[0][0] == "姓名" and rows[0][1] == "电子邮箱"
    assert [row[1] for row in rows[1:]] == [individual_member.email, outsider.email]
    assert rows[1][6] == 24 and rows[1][8] == 72 and rows[1][9] == 48


def test_a_granted_county_viewer_sees_the_members_of_their_county_only(
    client, report, county_viewer, individual_member
):
    login(client, county_viewer)
    assert client.get(reverse("training:hours-report")).status_code == 403
    county_viewer.groups.add(Group.objects.get(name=roles.TRAINING_HOURS_GROUP))
    county_viewer = type(county_viewer).objects.get(pk=county_viewer.pk)
    login(client, county_viewer)
    response = client.get(reverse("training:hours-report"), {"all": "1"})
    assert response.status_code == 200
    assert [period.user for period, _days in response.context["rows"]] == [individual_member]
    assert individual_member.email not in response.text
    rows = rows_of(workbook_of(client.get(reverse("training:hours-export"), {"all": "1"})).active)
    assert len(rows) == 2 and "电子邮箱" not in rows[0]
    # Access to the hours is no access to the rest of the secretariat's pages.
    assert client.get(reverse("training:manage")).status_code == 403
    assert client.get(reverse("training:outside-queue")).status_code == 403


def test_the_overview_counts_the_queue_and_the_short(client, report, pending, secretariat):
    login(client, secretariat)
    response = client.get(reverse("training:manage"))
    assert response.context["pending"] == 1
    assert response.context["short"] == 2
    assert response.context["current"] == 3
