"""Registration: seats, the waiting list (first come, moved up on a cancellation and
e-mailed), the registration window, cancellation until the start, and who may register."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_user, run_tasks
from training.models import Registration
from training.services import (
    registration_cancel,
    registration_create,
    training_waiting_list_move_up,
)

from .conftest import make_training, refused

pytestmark = pytest.mark.django_db


def people(count):
    return [make_user(f"sg{index}@example.org", full_name=f"社工{index}") for index in range(count)]


def test_seats_first_then_the_waiting_list_in_order(training):
    first, second, third, fourth = people(4)
    statuses = [
        registration_create(training=training, actor=user).status
        for user in (first, second, third, fourth)
    ]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    waiting = training.registrations.filter(status="waiting").order_by("created_at", "pk")
    assert [r.waiting_position() for r in waiting] == [1, 2]
    assert [r.user for r in waiting] == [third, fourth]


def test_a_cancelled_seat_goes_to_the_first_in_line_who_is_emailed(
    training, profile, django_capture_on_commit_callbacks
):
    first, second, third, fourth = people(4)
    registrations = [
        registration_create(training=training, actor=user)
        for user in (first, second, third, fourth)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(
            registration=registrations[1], actor=second, base_url="https://portal.example.org"
        )
    run_tasks()

    assert [r.user for r in promoted] == [third]
    statuses = dict(training.registrations.values_list("user__email", "status"))
    assert statuses == {
        first.email: "confirmed",
        second.email: "cancelled",
        third.email: "confirmed",
        fourth.email: "waiting",
    }
    assert training.registrations.get(user=fourth).waiting_position() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [third.email]
    assert training.title in message.subject
    assert f"https://portal.example.org/training/{training.pk}/" in message.body


def test_leaving_the_waiting_list_moves_nobody_up(training, django_capture_on_commit_callbacks):
    users = people(3)
    registrations = [registration_create(training=training, actor=user) for user in users]
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_cancel(registration=registrations[2], actor=users[2]) == []
    run_tasks()
    assert mail.outbox == []
    assert training.registrations.filter(status="confirmed").count() == 2


def test_a_raised_capacity_gives_the_new_seats_to_the_waiting_list(training):
    users = people(5)
    for user in users:
        registration_create(training=training, actor=user)
    training.capacity = 4
    training.save()
    promoted = training_waiting_list_move_up(training=training)
    assert [r.user for r in promoted] == users[2:4]
    assert training.registrations.get(user=users[4]).status == "waiting"


def test_registering_twice_is_refused(training, outsider):
    registration_create(training=training, actor=outsider)
    with refused("duplicate"):
        registration_create(training=training, actor=outsider)


def test_after_cancelling_one_may_register_again_at_the_back(training, outsider):
    users = people(2)
    registration = registration_create(training=training, actor=outsider)
    registration_cancel(registration=registration, actor=outsider)
    for user in users:
        registration_create(training=training, actor=user)
    again = registration_create(training=training, actor=outsider)
    assert again.status == "waiting" and again.waiting_position() == 1


def test_registration_window_is_respected(outsider):
    now = timezone.now()
    later = make_training(registration_opens_at=now + datetime.timedelta(days=1))
    closed = make_training(registration_closes_at=now - datetime.timedelta(hours=1))
    started = make_training(days=(0,), on=timezone.localdate() - datetime.timedelta(days=1))
    with refused("not_yet"):
        registration_create(training=later, actor=outsider)
    for training in (closed, started):
        with refused("closed"):
            registration_create(training=training, actor=outsider)


def test_cancelling_is_refused_once_the_training_has_started(training, outsider):
    registration = registration_create(training=training, actor=outsider)
    start = training.starts_at()
    with refused("started"):
        registration_cancel(registration=registration, actor=outsider, now=start)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_nobody_else_cancels_a_registration(training, outsider, applicant):
    registration = registration_create(training=training, actor=outsider)
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registration, actor=applicant)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_non_member_registers_for_an_open_training_but_never_sees_members_only_ones(
    client, training, members_training, outsider
):
    login(client, outsider)
    calendar = client.get(reverse("training:calendar"))
    assert training.title in calendar.text
    assert members_training.title not in calendar.text
    assert client.get(reverse("training:training", args=[members_training.pk])).status_code == 404
    assert client.post(reverse("training:register", args=[members_training.pk])).status_code == 404
    assert not members_training.registrations.exists()
    with pytest.raises(ValidationError):
        registration_create(training=members_training, actor=outsider)

    response = client.post(reverse("training:register", args=[training.pk]), follow=True)
    assert response.status_code == 200
    assert "已报名" in response.text or "You are registered" in response.text
    assert training.registrations.get(user=outsider).status == "confirmed"


def test_members_see_and_register_for_members_only_trainings(
    client, members_training, individual_member
):
    login(client, individual_member)
    assert members_training.title in client.get(reverse("training:calendar")).text
    client.post(reverse("training:register", args=[members_training.pk]))
    assert members_training.registrations.get(user=individual_member).status == "confirmed"


def test_unpublished_trainings_are_404_to_everyone(client, secretariat, outsider):
    draft = make_training(published=False)
    for user in (None, outsider, secretariat):
        if user:
            login(client, user)
        assert client.get(reverse("training:training", args=[draft.pk])).status_code == 404


def test_the_page_shows_the_waiting_list_position(client, training):
    users = people(3)
    for user in users:
        registration_create(training=training, actor=user)
    login(client, users[2])
    page = client.get(reverse("training:training", args=[training.pk]))
    assert page.context["waiting_position"] == 1
    assert page.context["registration"].status == Registration.Status.WAITING


def test_cancel_through_the_page(client, training, outsider):
    registration_create(training=training, actor=outsider)
    login(client, outsider)
    response = client.post(reverse("training:cancel", args=[training.pk]))
    assert response.status_code == 302
    assert training.registrations.get(user=outsider).status == "cancelled"
