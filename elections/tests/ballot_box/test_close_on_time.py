"""Polls close at their closing time with no cron line: opening one queues its close for
then (run_after), and the close is idempotent (a manual close or a second worker changes
nothing)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import run_tasks
from elections.ballot_box.services import poll_close, poll_close_on_time, poll_open
from elections.models import AuditEntry, Poll

pytestmark = pytest.mark.django_db

CLOSE_TASK = "elections.ballot_box.services.poll_close_on_time"


def open_with_closing_time(poll, secretariat, capture, *, closes_at):
    Poll.objects.filter(pk=poll.pk).update(closes_at=closes_at)
    with capture(execute=True):
        poll_open(poll=Poll.objects.get(pk=poll.pk), actor=secretariat, notify=False)


def closing_time_passes(poll):
    """What the clock would do: the closing time, and the queued close's time, are past."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    Poll.objects.filter(pk=poll.pk).update(closes_at=past)
    DBTaskResult.objects.filter(task_path=CLOSE_TASK).update(run_after=past)


def closed_entries(poll):
    return AuditEntry.objects.filter(poll=poll, action=AuditEntry.Action.POLL_CLOSED)


def test_opening_a_poll_queues_its_close_for_the_closing_time(
    poll, frozen_meeting, secretariat, django_capture_on_commit_callbacks
):
    closes_at = timezone.now() + datetime.timedelta(hours=2)
    open_with_closing_time(
        poll, secretariat, django_capture_on_commit_callbacks, closes_at=closes_at
    )
    [queued] = DBTaskResult.objects.filter(task_path=CLOSE_TASK)
    assert queued.run_after == closes_at
    assert queued.args_kwargs == {"args": [poll.pk], "kwargs": {}}

    run_tasks()  # not due yet
    assert Poll.objects.get(pk=poll.pk).state == Poll.State.OPEN

    closing_time_passes(poll)
    run_tasks()
    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED
    assert poll.digest
    [entry] = closed_entries(poll)
    assert entry.actor is None


def test_a_poll_without_a_closing_time_queues_nothing(
    poll, frozen_meeting, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        poll_open(poll=poll, actor=secretariat, notify=False)
    assert not DBTaskResult.objects.filter(task_path=CLOSE_TASK).exists()


def test_a_poll_closed_by_hand_first_is_left_alone(
    poll, frozen_meeting, secretariat, django_capture_on_commit_callbacks
):
    open_with_closing_time(
        poll, secretariat, django_capture_on_commit_callbacks,
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    poll_close(poll=Poll.objects.get(pk=poll.pk), actor=secretariat)
    closed = Poll.objects.get(pk=poll.pk)
    closing_time_passes(poll)
    run_tasks()

    poll.refresh_from_db()
    assert poll.closed_at == closed.closed_at
    assert poll.digest == closed.digest
    assert closed_entries(poll).count() == 1
    assert DBTaskResult.objects.get(task_path=CLOSE_TASK).return_value == "not open"


def test_a_second_close_a_second_worker_or_cron_changes_nothing(
    poll, frozen_meeting, secretariat, django_capture_on_commit_callbacks
):
    open_with_closing_time(
        poll, secretariat, django_capture_on_commit_callbacks,
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    closing_time_passes(poll)
    poll_close_on_time.enqueue(poll.pk)  # the same close queued twice
    run_tasks()
    call_command("close_polls")  # an operator's cron line as well
    run_tasks()

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.CLOSED
    assert closed_entries(poll).count() == 1
    outcomes = sorted(
        DBTaskResult.objects.filter(task_path=CLOSE_TASK).values_list("return_value", flat=True)
    )
    assert outcomes == ["closed", "not open"]


def test_a_closing_time_moved_later_closes_then_and_not_before(
    poll, frozen_meeting, secretariat, django_capture_on_commit_callbacks
):
    open_with_closing_time(
        poll, secretariat, django_capture_on_commit_callbacks,
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    later = timezone.now() + datetime.timedelta(hours=5)
    Poll.objects.filter(pk=poll.pk).update(closes_at=later)
    DBTaskResult.objects.filter(task_path=CLOSE_TASK).update(run_after=timezone.now())
    run_tasks()  # the first close comes early: it queues itself again for the new time

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.OPEN
    requeued = DBTaskResult.objects.filter(task_path=CLOSE_TASK, status="READY").get()
    assert requeued.run_after == later
