"""The back office of continuing education: data entry for experts, fields, trainings and
their sessions; the records the portal writes are read-only there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tests.factories import png_upload
from conftest import login, make_user
from training.models import Expert, Registration, Training
from training.services import registration_create

pytestmark = pytest.mark.django_db

EDITABLE = ["topic", "expert", "training", "registrationperiod"]
READ_ONLY = ["registration", "attendance", "outsidehours", "certificate", "reminder"]


@pytest.mark.parametrize("model", EDITABLE + READ_ONLY)
def test_the_secretariat_opens_every_list(client, training, secretariat, model):
    login(client, secretariat)
    assert client.get(reverse(f"admin:training_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", EDITABLE)
def test_data_entry_forms_open(client, secretariat, model):
    login(client, secretariat)
    assert client.get(reverse(f"admin:training_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_records_written_by_the_portal_cannot_be_added(client, secretariat, model):
    login(client, secretariat)
    assert client.get(reverse(f"admin:training_{model}_add")).status_code == 403


def test_an_expert_photo_is_validated_and_re_encoded(client, secretariat, topic):
    login(client, secretariat)
    response = client.post(
        reverse("admin:training_expert_add"),
        {
            "name": "孙丽华",
            "title": "国家二级心理咨询师",
            "organisation": "许昌市心理卫生协会",
            "topics": [topic.pk],
            "biography": "从事心理咨询二十年。",
            "photo": png_upload("face.png", size=(1600, 1600)),
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    expert = Expert.objects.get(name="孙丽华")
    assert expert.photo.name.endswith(".jpg")
    assert expert.photo.width == 800
    change = client.get(reverse("admin:training_expert_change", args=[expert.pk]))
    assert change.status_code == 200
    assert expert.photo.name in change.content.decode()

    public = client.get(reverse("training:expert-photo", args=[expert.pk]))
    assert public.status_code == 200
    expert.is_public = False
    expert.save()
    assert client.get(reverse("training:expert-photo", args=[expert.pk])).status_code == 404


def test_a_broken_photo_is_refused(client, secretariat):
    login(client, secretariat)
    response = client.post(
        reverse("admin:training_expert_add"),
        {"name": "x", "photo": SimpleUploadedFile("x.png", b"not an image", "image/png")},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]


def test_raising_the_capacity_in_the_admin_moves_the_waiting_list_up(client, training, secretariat):
    users = [make_user(f"w{index}@example.org") for index in range(3)]
    for user in users:
        registration_create(training=training, actor=user)
    session = training.sessions.get()
    login(client, secretariat)
    data = {
        "title": training.title,
        "kind": training.kind,
        "description": "",
        "venue": "",
        "online_url": "",
        "audience": training.audience,
        "capacity": "3",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "is_published": "on",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-id": str(session.pk),
        "sessions-0-training": str(training.pk),
        "sessions-0-date": session.date.isoformat(),
        "sessions-0-starts_at": "09:00",
        "sessions-0-ends_at": "12:00",
        "sessions-0-hours": "3.0",
        "sessions-0-title": session.title,
    }
    response = client.post(reverse("admin:training_training_change", args=[training.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Training.objects.get(pk=training.pk).capacity == 3
    assert Registration.objects.get(user=users[2]).status == "confirmed"
