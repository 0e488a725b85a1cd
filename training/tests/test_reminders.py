"""Reminders six and three months before a period ends, to those still short of hours:
each sent once, whatever the number of runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from conftest import run_tasks
from training.models import Attendance, Reminder
from training.services import reminders_send

from .conftest import make_period, make_training

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.date(2024, 3, 1)  # the period ends on 2027-02-28


def run(today):
    sent = reminders_send(today=today, base_url="https://portal.example.org")
    run_tasks()
    return sent


def test_six_and_three_months_before_the_end_once_each(profile, outsider):
    period = make_period(outsider, starts_on=START)
    assert run(datetime.date(2026, 8, 27)) == 0
    assert run(datetime.date(2026, 8, 28)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [outsider.email]
    assert "6" in message.subject
    assert "https://portal.example.org/training/mine/" in message.body
    assert "72" in message.body
    assert run(datetime.date(2026, 8, 29)) == 0
    assert run(datetime.date(2026, 11, 28)) == 1
    assert run(datetime.date(2026, 12, 1)) == 0
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("months_before", flat=True)) == {6, 3}
    assert Reminder.objects.filter(period=period).count() == 2


def test_a_late_first_run_sends_only_the_nearer_reminder(profile, outsider):
    make_period(outsider, starts_on=START)
    assert run(datetime.date(2026, 12, 15)) == 1
    assert "3" in mail.outbox[0].subject
    assert run(datetime.date(2026, 12, 16)) == 0
    assert Reminder.objects.count() == 2


def test_nobody_who_has_the_hours_is_reminded(profile, outsider):
    make_period(outsider, starts_on=START)
    for offset in range(3):
        extra = make_training(days=(offset,), on=datetime.date(2025, 2, 1), hours="24.0")
        Attendance.objects.create(
            session=extra.sessions.get(), user=outsider, hours="24.0", source="self",
            recorded_by=outsider,
        )  # fmt: skip
    assert run(datetime.date(2026, 9, 1)) == 0
    assert mail.outbox == []


def test_no_reminder_after_the_period_ended(profile, outsider):
    make_period(outsider, starts_on=START)
    assert run(datetime.date(2027, 3, 1)) == 0


def test_the_command_is_idempotent(profile, outsider):
    make_period(outsider, starts_on=START)
    out = io.StringIO()
    call_command(
        "send_training_reminders", "--base-url", "https://portal.example.org",
        "--today", "2026-09-01", stdout=out,
    )  # fmt: skip
    call_command(
        "send_training_reminders", "--base-url", "https://portal.example.org",
        "--today", "2026-09-01", stdout=out,
    )  # fmt: skip
    run_tasks()
    assert out.getvalue().splitlines() == ["1 reminder(s) sent", "0 reminder(s) sent"]
    assert len(mail.outbox) == 1


def test_the_command_refuses_bad_arguments(db):
    with pytest.raises(CommandError):
        call_command("send_training_reminders", "--base-url", "portal.example.org")
    with pytest.raises(CommandError):
        call_command(
            "send_training_reminders", "--base-url", "https://x.org", "--today", "2026-13-01"
        )
