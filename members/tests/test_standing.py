"""Good standing: no dues and no activity for one year means no vote.

Member.is_in_good_standing(on) and MemberQuerySet.in_good_standing(on) are what the ballot
box calls; they must agree with each other on every case, and the boundary is exact: a sign
of life 365 days before a day still counts on that day, one 366 days before does not.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from members.models import Activity, DuesPayment, Member
from members.services import member_record_activity

ON = datetime.date(2026, 6, 30)
pytestmark = pytest.mark.django_db


def member(since_days_ago=800, **fields):
    return Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        name="陈静",
        member_since=ON - datetime.timedelta(days=since_days_ago),
        **fields,
    )


def pay(member, days_ago, receipt="R1"):
    paid_on = ON - datetime.timedelta(days=days_ago)
    return DuesPayment.objects.create(
        member=member, year=paid_on.year, amount=200, paid_on=paid_on, receipt_number=receipt
    )


def standing(member, on=ON):
    """The method's and the queryset's verdicts, which must always be the same."""
    by_method = Member.objects.get(pk=member.pk).is_in_good_standing(on)
    by_query = Member.objects.in_good_standing(on).filter(pk=member.pk).exists()
    assert by_method == by_query
    return by_method


def test_member_who_paid_dues_365_days_ago_is_in_good_standing():
    subject = member()
    pay(subject, 365)
    assert standing(subject) is True


def test_member_who_paid_dues_366_days_ago_is_not_in_good_standing():
    subject = member()
    pay(subject, 366)
    assert standing(subject) is False


def test_activity_365_days_ago_keeps_the_member_in_good_standing():
    subject = member()
    member_record_activity(member=subject, on=ON - datetime.timedelta(days=365), description="会")
    assert standing(subject) is True


def test_activity_366_days_ago_does_not():
    subject = member()
    member_record_activity(member=subject, on=ON - datetime.timedelta(days=366), description="会")
    assert standing(subject) is False


def test_member_who_joined_less_than_a_year_ago_is_in_good_standing_without_dues():
    assert standing(member(since_days_ago=0)) is True
    assert standing(member(since_days_ago=365)) is True


def test_member_who_joined_366_days_ago_without_dues_or_activity_is_not():
    assert standing(member(since_days_ago=366)) is False


def test_membership_not_yet_begun_is_not_in_good_standing():
    assert standing(member(since_days_ago=-1)) is False


def test_dues_paid_after_the_day_do_not_count_for_it():
    subject = member()
    pay(subject, -1)
    assert standing(subject) is False
    assert standing(subject, on=ON + datetime.timedelta(days=1)) is True


@pytest.mark.parametrize(
    "status", [Member.Status.SUSPENDED, Member.Status.LEFT, Member.Status.EXPELLED]
)
def test_suspended_left_or_expelled_member_is_never_in_good_standing(status):
    subject = member(status=status)
    pay(subject, 10)
    assert standing(subject) is False


def test_member_until_ends_good_standing_after_that_day():
    subject = member(member_until=ON)
    pay(subject, 10)
    assert standing(subject) is True
    assert standing(subject, on=ON + datetime.timedelta(days=1)) is False


def test_lapsed_member_regains_good_standing_by_paying():
    subject = member()
    pay(subject, 500, receipt="OLD")
    assert standing(subject) is False
    pay(subject, 0, receipt="NEW")
    assert standing(subject) is True


def test_today_is_the_default_day(individual_member):
    subject = Member.objects.get(user=individual_member)
    assert subject.is_in_good_standing() is True
    assert Member.objects.in_good_standing().filter(pk=subject.pk).exists()


def test_standing_expires_365_days_after_the_latest_sign_of_life():
    subject = member()
    pay(subject, 100)
    member_record_activity(member=subject, on=ON - datetime.timedelta(days=20), description="培训")
    assert subject.standing_expires_on(ON) == ON - datetime.timedelta(days=20) + datetime.timedelta(
        days=365
    )


def test_record_activity_is_idempotent_and_counts_for_standing():
    subject = member()
    first = member_record_activity(
        member=subject, on=ON, description="第一届第二次会员代表大会签到"
    )
    again = member_record_activity(
        member=subject, on=ON, description="第一届第二次会员代表大会签到"
    )
    assert first.pk == again.pk
    assert Activity.objects.filter(member=subject).count() == 1
    assert standing(subject) is True


def test_in_good_standing_needs_one_query_for_any_number_of_members(
    django_assert_num_queries,
):
    for index in range(30):
        subject = member(since_days_ago=400 + index)
        if index % 2:
            pay(subject, index * 20, receipt=f"R{index}")
    with django_assert_num_queries(1):
        voters = list(Member.objects.in_good_standing(ON).values_list("pk", flat=True))
    assert len(voters) == len([m for m in Member.objects.all() if m.is_in_good_standing(ON)])


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    since=st.integers(min_value=-30, max_value=1200),
    payments=st.lists(st.integers(min_value=-30, max_value=1200), max_size=3, unique=True),
    activities=st.lists(st.integers(min_value=-30, max_value=1200), max_size=3, unique=True),
    status=st.sampled_from(Member.Status.values),
    until=st.one_of(st.none(), st.integers(min_value=-30, max_value=1200)),
)
def test_method_and_queryset_agree_on_any_history(since, payments, activities, status, until):
    with transaction.atomic():
        until_day = ON - datetime.timedelta(days=until) if until is not None else None
        since_day = ON - datetime.timedelta(days=since)
        if until_day is not None and until_day < since_day:
            until_day = since_day
        subject = Member.objects.create(
            kind=Member.Kind.INDIVIDUAL,
            name="甲",
            member_since=since_day,
            member_until=until_day,
            status=status,
        )
        for index, days in enumerate(payments):
            paid_on = ON - datetime.timedelta(days=days)
            DuesPayment.objects.create(
                member=subject,
                year=2000 + index,
                amount=100,
                paid_on=paid_on,
                receipt_number=f"H{index}",
            )
        for days in activities:
            Activity.objects.create(
                member=subject, on=ON - datetime.timedelta(days=days), description="活动"
            )
        for on in (ON, ON - datetime.timedelta(days=200), ON + datetime.timedelta(days=200)):
            standing(subject, on)
        transaction.set_rollback(True)
