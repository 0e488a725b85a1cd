"""Registrations arriving at once never give away more seats than there are."""

import threading

import pytest
from django.db import connection

from conftest import make_user
from training.models import Registration
from training.services import registration_cancel, registration_create

from .conftest import make_training

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(calls):
    """Run the calls in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_eight_people_for_three_seats_give_three_seats_and_a_list_of_five(db):
    training = make_training(capacity=3)
    users = [make_user(f"rush{index}@example.org") for index in range(8)]
    at_once(
        [lambda user=user: registration_create(training=training, actor=user) for user in users]
    )
    statuses = list(training.registrations.values_list("status", flat=True))
    assert sorted(statuses) == ["confirmed"] * 3 + ["waiting"] * 5


def test_two_cancellations_at_once_move_up_the_first_two_in_line(db):
    training = make_training(capacity=2)
    users = [make_user(f"line{index}@example.org") for index in range(5)]
    registrations = [registration_create(training=training, actor=user) for user in users]
    at_once(
        [
            lambda registration=registration: registration_cancel(
                registration=registration, actor=registration.user
            )
            for registration in registrations[:2]
        ]
    )
    seated = Registration.objects.filter(training=training, status="confirmed")
    assert sorted(r.user.email for r in seated) == [users[2].email, users[3].email]
    assert Registration.objects.get(user=users[4]).status == "waiting"
