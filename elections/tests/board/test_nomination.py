"""Nominations: the eligibility settings refuse with clear messages, and photos are checked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from association.models import CouncilMembership
from common.tests.factories import jpeg_upload
from elections.board.models import BoardSeat, Candidate, Election, Office, Position, Term
from elections.board.services import election_create
from members.models import Member

from .conftest import member_of, nominate

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_election(council_meeting, term, secretariat):
    return election_create(
        meeting=council_meeting,
        term=term,
        title="会长、副会长、秘书长选举",
        mode=Election.Mode.APPROVE,
        seats={Office.PRESIDENT: 1, Office.VICE_PRESIDENT: 2, Office.SECRETARY_GENERAL: 1},
        actor=secretariat,
    )


def years_before(day, years, days=0):
    return day.replace(year=day.year - years) + datetime.timedelta(days=days)


def test_officer_older_than_70_on_the_election_day_is_refused(
    officer_election, voters, secretariat
):
    day = officer_election.election_date
    member = member_of(voters[0])
    with pytest.raises(ValidationError) as refused:
        nominate(
            officer_election,
            Office.PRESIDENT,
            member,
            secretariat,
            birth_date=years_before(day, 71),
        )
    assert refused.value.messages == [
        f"{member.name} will be 71 on the election day ({day.isoformat()}); candidates for "
        "president must not be older than 70."
    ]
    assert not Candidate.objects.exists()
    # Aged 70 (71 tomorrow) may stand.
    nominate(
        officer_election,
        Office.PRESIDENT,
        member,
        secretariat,
        birth_date=years_before(day, 71, days=1),
    )


def test_officer_needs_a_date_of_birth_when_there_is_an_age_limit(
    officer_election, voters, secretariat
):
    with pytest.raises(ValidationError, match="date of birth"):
        nominate(officer_election, Office.VICE_PRESIDENT, member_of(voters[0]), secretariat)


def test_secretary_general_must_declare_full_time(officer_election, voters, secretariat):
    member = member_of(voters[0])
    born = datetime.date(1980, 5, 1)
    with pytest.raises(ValidationError, match="must be full-time"):
        nominate(officer_election, Office.SECRETARY_GENERAL, member, secretariat, birth_date=born)
    nominate(
        officer_election,
        Office.SECRETARY_GENERAL,
        member,
        secretariat,
        birth_date=born,
        full_time=True,
    )


def test_president_and_secretary_general_from_the_same_unit_are_refused(
    officer_election, unit_representative, secretariat
):
    unit = member_of(unit_representative)
    born = datetime.date(1975, 1, 1)
    nominate(
        officer_election, Office.PRESIDENT, unit, secretariat, person_name="刘洋", birth_date=born
    )
    with pytest.raises(ValidationError) as refused:
        nominate(
            officer_election,
            Office.SECRETARY_GENERAL,
            unit,
            secretariat,
            person_name="李华",
            birth_date=born,
            full_time=True,
        )
    assert refused.value.messages == [
        "刘洋 and 李华 stand for the same member unit: the president and the secretary-general "
        "must not come from the same member unit."
    ]


def test_one_person_stands_for_one_position_per_election(officer_election, voters, secretariat):
    member = member_of(voters[0])
    born = datetime.date(1975, 1, 1)
    nominate(officer_election, Office.PRESIDENT, member, secretariat, birth_date=born)
    with pytest.raises(ValidationError, match="already stands for another position"):
        nominate(officer_election, Office.VICE_PRESIDENT, member, secretariat, birth_date=born)
    with pytest.raises(ValidationError, match="already stands for this position"):
        nominate(officer_election, Office.PRESIDENT, member, secretariat, birth_date=born)


def past_board_seat(member, office, number, starts_on):
    """A certified seat of an earlier term, as the history the term limit reads."""
    from association.models import Meeting

    term = Term.objects.create(
        number=number, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=365)
    )
    meeting = Meeting.objects.create(
        title=f"第{number}届理事会第一次会议",
        body=Meeting.Body.COUNCIL,
        starts_at=datetime.datetime.combine(starts_on, datetime.time(9), tzinfo=datetime.UTC),
    )
    election = Election.objects.create(
        meeting=meeting, term=term, title=f"第{number}届会长选举", state=Election.State.CERTIFIED
    )
    position = Position.objects.create(election=election, office=office, seats=1)
    candidate = Candidate.objects.create(position=position, member=member, person_name=member.name)
    membership = CouncilMembership.objects.create(
        member=member, office=office, starts_on=term.starts_on, ends_on=term.ends_on
    )
    return BoardSeat.objects.create(
        term=term, office=office, election=election, candidate=candidate, membership=membership
    )


def test_a_third_consecutive_term_in_the_same_office_is_refused(
    council_meeting, voters, secretariat
):
    member = member_of(voters[0])
    past_board_seat(member, Office.PRESIDENT, 1, datetime.date(2015, 7, 1))
    past_board_seat(member, Office.PRESIDENT, 2, datetime.date(2020, 7, 1))
    term = Term.objects.create(
        number=3, starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2030, 6, 30)
    )
    election = election_create(
        meeting=council_meeting,
        term=term,
        title="第三届会长选举",
        mode=Election.Mode.MARK,
        seats={Office.PRESIDENT: 1, Office.VICE_PRESIDENT: 1},
        actor=secretariat,
    )
    born = datetime.date(1970, 1, 1)
    with pytest.raises(ValidationError) as refused:
        nominate(election, Office.PRESIDENT, member, secretariat, birth_date=born)
    assert refused.value.messages == [
        f"{member.name} has held the office of president for 2 consecutive terms; at most 2 "
        "consecutive terms are allowed."
    ]
    # Another office is not limited by those terms.
    nominate(election, Office.VICE_PRESIDENT, member, secretariat, birth_date=born)


def test_rules_can_be_switched_off_per_election(council_meeting, term, voters, secretariat):
    election = election_create(
        meeting=council_meeting,
        term=term,
        title="秘书长选举",
        mode=Election.Mode.MARK,
        seats={Office.SECRETARY_GENERAL: 1},
        actor=secretariat,
        age_limit=None,
        secretary_general_full_time=False,
    )
    candidate = nominate(election, Office.SECRETARY_GENERAL, member_of(voters[0]), secretariat)
    assert candidate.pk


def test_inactive_members_cannot_stand(council_election, voters, secretariat):
    member = member_of(voters[0])
    Member.objects.filter(pk=member.pk).update(status=Member.Status.LEFT)
    member.refresh_from_db()
    with pytest.raises(ValidationError, match="Only active members"):
        nominate(council_election, Office.COUNCIL_MEMBER, member, secretariat)


def test_a_unit_candidate_needs_the_name_of_its_person(
    council_election, unit_representative, secretariat
):
    with pytest.raises(ValidationError, match="Name the person"):
        nominate(
            council_election, Office.COUNCIL_MEMBER, member_of(unit_representative), secretariat
        )


def test_the_photo_is_validated_reencoded_and_thumbnailed(council_election, voters, secretariat):
    candidate = nominate(
        council_election,
        Office.COUNCIL_MEMBER,
        member_of(voters[0]),
        secretariat,
        photo=jpeg_upload(size=(40, 50)),
    )
    assert candidate.photo.name.endswith(".jpg")
    assert candidate.thumbnail.name
    not_an_image = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        nominate(
            council_election,
            Office.COUNCIL_MEMBER,
            member_of(voters[1]),
            secretariat,
            photo=not_an_image,
        )
    assert "not a valid image" in " ".join(refused.value.messages)
    assert Candidate.objects.count() == 1


def test_positions_have_seats_in_the_database(council_election):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(election=council_election).update(seats=0)


def test_a_term_lasts_at_most_five_years(db):
    from django.db import IntegrityError, transaction

    start = datetime.date(2023, 7, 15)
    term = Term(number=1, starts_on=start, ends_on=datetime.date(2028, 7, 15))
    term.full_clean()  # five years to the day is the longest
    longer = Term(number=1, starts_on=start, ends_on=datetime.date(2028, 7, 16))
    with pytest.raises(ValidationError, match="at most five years"):
        longer.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(number=2, starts_on=start, ends_on=datetime.date(2029, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(number=3, starts_on=start, ends_on=start)
