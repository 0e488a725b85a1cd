"""Demo data: an electorate of about 80 members in mixed standing, applications in each state."""

import pytest
from django.core.management import call_command

import association.demo
import members.demo
from members.models import Application, Certificate, Member, Representative, User


@pytest.fixture
def seeded(db, county, other_county):
    call_command("setup_roles", verbosity=0)
    association.demo.seed(log=lambda message: None)
    members.demo.seed(log=lambda message: None)


def counts():
    return (
        User.objects.count(),
        Member.objects.count(),
        Application.objects.count(),
        Certificate.objects.count(),
        Representative.objects.count(),
    )


def test_demo_has_about_eighty_member_representatives(seeded):
    members_with_voters = Member.objects.filter(user__isnull=False)
    assert 75 <= members_with_voters.count() <= 90
    assert Member.objects.units().count() >= 25
    assert Member.objects.individuals().count() >= 40
    assert set(Member.objects.values_list("tier", flat=True)) == set(Member.Tier.values)
    # Every voting account can log in: a verified e-mail address.
    for member in members_with_voters.select_related("user"):
        assert member.user.emailaddress_set.filter(verified=True).exists()


def test_demo_standing_is_mixed(seeded):
    voters = Member.objects.in_good_standing().count()
    total = Member.objects.count()
    assert 0.6 * total < voters < total
    assert Member.objects.active().exclude(pk__in=Member.objects.in_good_standing()).exists()
    assert Member.objects.filter(status=Member.Status.SUSPENDED).exists()
    assert Member.objects.filter(status=Member.Status.LEFT).exists()


def test_demo_numbers_counties_and_credit_codes_are_valid(seeded, county, other_county):
    for member in Member.objects.all():
        member.full_clean()
    assert Member.objects.filter(
        number="XCSW-2023-0001", user__email="huiyuan@example.org"
    ).exists()
    assert set(Member.objects.values_list("county", flat=True)) == {county.pk, other_county.pk}


def test_demo_has_applications_in_every_state(seeded):
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    shenqing = Application.objects.get(applicant__email="shenqing@example.org")
    assert shenqing.status == Application.Status.SUBMITTED
    assert shenqing.documents.count() == 2


def test_demo_seeding_is_idempotent(seeded):
    before = counts()
    members.demo.seed(log=lambda message: None)
    assert counts() == before


def test_demo_works_without_divisions(db):
    call_command("setup_roles", verbosity=0)
    members.demo.seed(log=lambda message: None)
    assert Member.objects.count() >= 75
    assert not Member.objects.filter(county__isnull=False).exists()
