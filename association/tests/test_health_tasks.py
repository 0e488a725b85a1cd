"""/healthz/tasks: 503 once a task has waited to run longer than TASKS_HEALTH_MAX_AGE."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from elections.ballot_box.services import poll_close_on_time

pytestmark = pytest.mark.django_db

MINUTES_11 = datetime.timedelta(minutes=11)


def health(client):
    return client.get(reverse("association:healthz-tasks"))


def test_an_empty_queue_is_healthy(client):
    response = health(client)
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_a_task_waiting_longer_than_the_limit_makes_it_503(client, settings):
    result = poll_close_on_time.enqueue(0)
    assert health(client).status_code == 200
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - MINUTES_11)
    response = health(client)
    assert response.status_code == 503
    assert response.content.startswith(b"oldest task waiting 66")
    settings.TASKS_HEALTH_MAX_AGE = 3600
    assert health(client).status_code == 200


def test_a_task_queued_for_later_waits_from_its_time_only(client):
    closes_at = timezone.now() + datetime.timedelta(days=3)
    result = poll_close_on_time.using(run_after=closes_at).enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert health(client).status_code == 200  # not due yet: nothing is late
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now() - MINUTES_11)
    assert health(client).status_code == 503


def test_finished_tasks_do_not_count(client):
    result = poll_close_on_time.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="SUCCESSFUL", enqueued_at=timezone.now() - MINUTES_11
    )
    assert health(client).status_code == 200
