"""Builders of continuing-education tests: trainings with sessions, registration periods."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from training.models import Expert, RegistrationPeriod, Session, Topic, Training

TODAY = datetime.date(2026, 6, 15)


def make_training(
    *,
    title="社工站建设专题讲座",
    days=(10,),
    hours="3.0",
    capacity=None,
    audience=Training.Audience.ANYONE,
    published=True,
    on=None,
    **fields,
):
    """A published training with one session per offset in `days` (from `on`, today by
    default), each 09:00–12:00 and worth `hours`."""
    on = on or timezone.localdate()
    training = Training.objects.create(
        title=title,
        kind=fields.pop("kind", Training.Kind.LECTURE),
        capacity=capacity,
        audience=audience,
        is_published=published,
        **fields,
    )
    for index, offset in enumerate(days, start=1):
        Session.objects.create(
            training=training,
            title=f"第{index}讲",
            date=on + datetime.timedelta(days=offset),
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            hours=Decimal(hours),
        )
    return training


def make_period(user, *, starts_on, qualification="assistant"):
    period = RegistrationPeriod(user=user, qualification=qualification, starts_on=starts_on)
    period.full_clean()
    period.save()
    return period


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="社工站建设")


@pytest.fixture
def expert(topic):
    expert = Expert.objects.create(
        name="王建华",
        title="教授",
        organisation="郑州大学",
        biography="研究社工站建设。",
        phone="13900000000",
        email="wang@example.org",
    )
    expert.topics.add(topic)
    return expert


@pytest.fixture
def training(db, expert, topic):
    """An open training in ten days, one 3-hour session, 2 seats."""
    training = make_training(capacity=2)
    training.topics.add(topic)
    training.sessions.get().speakers.add(expert)
    return training


@pytest.fixture
def members_training(db):
    return make_training(title="会员专场督导", audience=Training.Audience.MEMBERS)


class refused:  # noqa: N801 - reads as `with refused("closed"):`
    """Expect a ValidationError with this code (messages are translated, codes are not)."""

    def __init__(self, code):
        self.code = code

    def __enter__(self):
        self.raises = pytest.raises(ValidationError)
        self.info = self.raises.__enter__()
        return self.info

    def __exit__(self, *exc):
        suppressed = self.raises.__exit__(*exc)
        error = self.info.value
        if hasattr(error, "error_dict"):
            errors = [e for listed in error.error_dict.values() for e in listed]
        else:
            errors = error.error_list
        codes = [e.code for e in errors]
        assert self.code in codes, f"expected {self.code!r}, got {codes} ({error.messages})"
        return suppressed
