"""Member numbers: PREFIX-YEAR-NNNN, sequential per year, never handed out twice."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from association.models import AssociationProfile
from members.models import Member
from members.services import member_number_next


def take(year):
    with transaction.atomic():
        number = member_number_next(year=year)
        Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="甲", number=number)
    return number


def test_numbers_are_sequential_per_year_with_the_profile_prefix(profile):
    assert [take(2026), take(2026), take(2027), take(2026)] == [
        "XCSW-2026-0001",
        "XCSW-2026-0002",
        "XCSW-2027-0001",
        "XCSW-2026-0003",
    ]


def test_numbers_already_used_by_imported_members_are_skipped(profile):
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="甲", number="XCSW-2026-0007")
    assert take(2026) == "XCSW-2026-0008"
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="乙", number="XCSW-2026-0009")
    assert take(2026) == "XCSW-2026-0010"


def test_default_prefix_before_the_profile_is_filled_in(db):
    assert take(2026) == "SW-2026-0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_get_different_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    AssociationProfile.objects.create(name="协会", member_number_prefix="XCSW")
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def admit():
        try:
            barrier.wait()
            numbers.append(take(2026))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=admit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == [f"XCSW-2026-{n:04d}" for n in range(1, 7)]
