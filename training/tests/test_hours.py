"""Hours per registration period: exact decimals, both ends of a period, once per session,
and hours from elsewhere only once approved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from training.models import (
    Attendance,
    OutsideHours,
    RegistrationPeriod,
    Session,
    add_months,
    credited_items,
    period_end,
)
from training.services import attendance_check_in

from .conftest import make_period, make_training, refused

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 3, 1)


def credit(user, on, hours, *, recorder=None):
    """An attended session on `on` worth `hours`."""
    training = make_training(title=f"讲座 {on} {hours}", days=(0,), on=on, hours=hours)
    session = training.sessions.get()
    return Attendance.objects.create(
        session=session, user=user, hours=session.hours, source="self", recorded_by=recorder or user
    )


def hours_of(period):
    return RegistrationPeriod.objects.with_hours().get(pk=period.pk)


def test_a_period_lasts_three_years_less_a_day():
    assert period_end(datetime.date(2024, 3, 1)) == datetime.date(2027, 2, 28)
    assert period_end(datetime.date(2023, 7, 15)) == datetime.date(2026, 7, 14)
    # 29 February's anniversary in a common year is 1 March.
    assert period_end(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(datetime.date(2026, 8, 31), -6) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 1, 15), -3) == datetime.date(2026, 10, 15)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_71_5_of_72_is_short_and_72_0_is_enough(individual_member):
    period = make_period(individual_member, starts_on=START, qualification="assistant")
    for offset in range(23):
        credit(individual_member, START + datetime.timedelta(days=offset), "3.0")
    credit(individual_member, START + datetime.timedelta(days=30), "2.5")

    period = hours_of(period)
    assert period.hours == Decimal("71.5")
    assert period.required == Decimal("72")
    assert RegistrationPeriod.objects.with_hours().short().filter(pk=period.pk).exists()

    credit(individual_member, START + datetime.timedelta(days=31), "0.5")
    period = hours_of(period)
    assert period.hours == Decimal("72.0")
    assert not RegistrationPeriod.objects.with_hours().short().filter(pk=period.pk).exists()


def test_social_workers_need_90_hours(individual_member):
    period = make_period(individual_member, starts_on=START, qualification="social_worker")
    for offset in range(24):
        credit(individual_member, START + datetime.timedelta(days=offset), "3.0")
    assert hours_of(period).hours == Decimal("72.0")
    assert RegistrationPeriod.objects.with_hours().short().filter(pk=period.pk).exists()
    assert period.required_hours == Decimal("90")


def test_an_hour_on_the_last_day_counts_in_the_period_and_the_next_day_in_the_next(
    individual_member,
):
    first = make_period(individual_member, starts_on=START)
    second = make_period(individual_member, starts_on=first.ends_on + datetime.timedelta(days=1))
    credit(individual_member, first.ends_on, "1.0")
    credit(individual_member, first.ends_on + datetime.timedelta(days=1), "2.0")
    credit(individual_member, START - datetime.timedelta(days=1), "4.0")

    assert hours_of(first).hours == Decimal("1.0")
    assert hours_of(second).hours == Decimal("2.0")
    items = credited_items(individual_member, since=START, until=first.ends_on)
    assert [item.hours for item in items] == [Decimal("1.0")]


def test_a_session_attended_twice_counts_once(individual_member, secretariat):
    training = make_training(days=(0,), hours="3.0")
    session = training.sessions.get()
    training.registrations.create(user=individual_member, status="confirmed")
    assert attendance_check_in(session=session, user=individual_member, actor=secretariat)
    assert not attendance_check_in(session=session, user=individual_member, actor=secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=session, user=individual_member, hours="3.0", source="self",
            recorded_by=individual_member,
        )  # fmt: skip
    period = make_period(individual_member, starts_on=session.date - datetime.timedelta(days=1))
    assert hours_of(period).hours == Decimal("3.0")


@pytest.mark.parametrize(
    ("status", "counted"), [("approved", "5.0"), ("refused", "0.0"), ("pending", "0.0")]
)
def test_hours_from_elsewhere_count_only_once_approved(individual_member, status, counted):
    period = make_period(individual_member, starts_on=START)
    OutsideHours.objects.create(
        user=individual_member,
        title="外部课程",
        provider="民政局",
        completed_on=START + datetime.timedelta(days=10),
        hours=Decimal("5.0"),
        status=status,
        reason="无关" if status == "refused" else "",
        evidence="training/evidence/x.pdf",
    )
    period = hours_of(period)
    assert period.hours == Decimal(counted)
    assert period.hours_outside == Decimal(counted)


def test_hours_of_one_person_never_count_for_another(individual_member, outsider):
    period = make_period(individual_member, starts_on=START)
    credit(outsider, START, "3.0")
    assert hours_of(period).hours == Decimal("0.0")


def test_periods_of_one_person_may_not_overlap(individual_member):
    make_period(individual_member, starts_on=START)
    with refused("overlap"):
        make_period(individual_member, starts_on=START + datetime.timedelta(days=400))
    make_period(individual_member, starts_on=period_end(START) + datetime.timedelta(days=1))


def test_a_session_must_end_after_it_starts(db):
    training = make_training(days=())
    session = Session(
        training=training, title="x", date=START, starts_at=datetime.time(12),
        ends_at=datetime.time(9), hours="1.0",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        session.full_clean()
