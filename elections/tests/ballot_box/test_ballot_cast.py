"""Casting a ballot: eligibility when cast, one ballot per voter, receipts, what is stored."""

import datetime

import pytest
from django.utils import timezone

from association.models import RollEntry
from conftest import check_in, make_voters
from elections.ballot_box.models import Ballot, Participation, Poll, SealedBallot
from elections.ballot_box.services import AlreadyVoted, CastRefused, ballot_cast, poll_close
from elections.tests.sealed import opened_ballots
from members.models import Member

YES = {"vote": "yes"}


def assert_nothing_stored(poll):
    assert not Participation.objects.filter(poll=poll).exists()
    assert not SealedBallot.objects.filter(poll=poll).exists()
    assert not Ballot.objects.filter(poll=poll).exists()


def refusal(poll, user, choices=YES, **kwargs):
    with pytest.raises(CastRefused) as caught:
        ballot_cast(poll=poll, actor=user, choices=choices, **kwargs)
    return caught.value


def test_present_voter_casts_one_ballot_and_gets_a_receipt(
    open_poll, individual_member, secretariat
):
    check_in(individual_member, open_poll.meeting)

    receipt = ballot_cast(poll=open_poll, actor=individual_member, choices=YES)

    assert len(receipt) == 14 and receipt[4] == receipt[9] == "-"
    # While the poll is open the ballot is sealed: only its box is stored.
    assert opened_ballots(open_poll) == [(receipt, YES)]
    assert not Ballot.objects.filter(poll=open_poll).exists()
    participation = Participation.objects.get(poll=open_poll)
    assert participation.voter.user == individual_member
    # Secret poll: the participation says nothing about how.
    assert participation.named_choices is None
    poll_close(poll=open_poll, actor=secretariat)
    ballot = Ballot.objects.get(poll=open_poll)
    assert (ballot.receipt, ballot.choices) == (receipt, YES)


def test_second_attempt_is_refused_as_already_voted_and_changes_nothing(
    open_poll, individual_member
):
    check_in(individual_member, open_poll.meeting)
    ballot_cast(poll=open_poll, actor=individual_member, choices=YES)

    error = refusal(open_poll, individual_member, choices={"vote": "no"})

    assert isinstance(error, AlreadyVoted)
    assert error.code == "already_voted"
    assert "already voted" in error.messages[0]
    assert Participation.objects.filter(poll=open_poll).count() == 1
    assert [choices for _receipt, choices in opened_ballots(open_poll)] == [YES]


def test_off_roll_member_is_refused(open_poll, role_groups):
    (late_joiner,) = make_voters(1, prefix="late")  # joined after the roll was frozen

    error = refusal(open_poll, late_joiner)

    assert error.code == "off_roll"
    assert "not on the roll" in error.messages[0]
    assert_nothing_stored(open_poll)


def test_account_without_membership_is_refused_as_off_roll(open_poll, outsider):
    assert refusal(open_poll, outsider).code == "off_roll"
    assert_nothing_stored(open_poll)


def test_absent_voter_is_refused_when_presence_is_required(open_poll, individual_member):
    error = refusal(open_poll, individual_member)

    assert error.code == "absent"
    assert "Check in to the meeting first" in error.messages[0]
    assert_nothing_stored(open_poll)


def test_absent_voter_may_vote_when_presence_is_not_required(open_poll, individual_member):
    Poll.objects.filter(pk=open_poll.pk).update(requires_presence=False)
    open_poll.refresh_from_db()

    ballot_cast(poll=open_poll, actor=individual_member, choices=YES)

    assert SealedBallot.objects.filter(poll=open_poll).count() == 1


def test_lapsed_member_is_refused_even_when_on_the_roll(open_poll, individual_member):
    check_in(individual_member, open_poll.meeting)
    Member.objects.filter(user=individual_member).update(status=Member.Status.SUSPENDED)

    error = refusal(open_poll, individual_member)

    assert error.code == "lapsed"
    assert "not a member in good standing" in error.messages[0]
    assert_nothing_stored(open_poll)


def test_membership_ended_before_today_is_refused(open_poll, individual_member):
    check_in(individual_member, open_poll.meeting)
    today = timezone.localdate()
    Member.objects.filter(user=individual_member).update(
        member_since=today - datetime.timedelta(days=10),
        member_until=today - datetime.timedelta(days=1),
    )

    assert refusal(open_poll, individual_member).code == "lapsed"
    assert_nothing_stored(open_poll)


def test_early_voter_is_refused_before_the_poll_opens(poll, frozen_meeting, individual_member):
    check_in(individual_member, frozen_meeting)

    error = refusal(poll, individual_member)

    assert error.code == "early"
    assert "has not opened yet" in error.messages[0]
    assert_nothing_stored(poll)


def test_early_voter_is_refused_before_the_set_opening_time(open_poll, individual_member):
    check_in(individual_member, open_poll.meeting)
    opens_at = timezone.now() + datetime.timedelta(hours=1)
    Poll.objects.filter(pk=open_poll.pk).update(opens_at=opens_at)
    open_poll.refresh_from_db()

    error = refusal(open_poll, individual_member)

    assert error.code == "early"
    assert timezone.localtime(opens_at).strftime("%H:%M") in error.messages[0]
    assert_nothing_stored(open_poll)


def test_late_voter_is_refused_after_the_set_closing_time(open_poll, individual_member):
    check_in(individual_member, open_poll.meeting)
    Poll.objects.filter(pk=open_poll.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    open_poll.refresh_from_db()

    error = refusal(open_poll, individual_member)

    assert error.code == "late"
    assert "has closed" in error.messages[0]
    assert_nothing_stored(open_poll)


def test_late_voter_is_refused_once_the_poll_is_closed(
    open_poll, individual_member, unit_representative, secretariat
):
    check_in(individual_member, open_poll.meeting)
    check_in(unit_representative, open_poll.meeting)
    ballot_cast(poll=open_poll, actor=individual_member, choices=YES)
    poll_close(poll=open_poll, actor=secretariat)

    assert refusal(open_poll, unit_representative).code == "late"
    assert Ballot.objects.filter(poll=open_poll).count() == 1


def test_analog_poll_takes_no_online_ballots(frozen_meeting, individual_member, secretariat):
    from conftest import analog_motion
    from elections.ballot_box.services import poll_open

    poll = analog_motion(frozen_meeting).poll
    poll_open(poll=poll, actor=secretariat)
    check_in(individual_member, frozen_meeting)

    assert refusal(poll, individual_member).code == "analog"
    assert_nothing_stored(poll)


@pytest.mark.parametrize(
    "choices",
    [{"vote": "maybe"}, {}, {"vote": "yes", "extra": 1}, ["yes"], "yes", None, {"vote": 1}],
)
def test_invalid_choices_are_refused_and_nothing_is_stored(open_poll, individual_member, choices):
    check_in(individual_member, open_poll.meeting)

    with pytest.raises(Exception) as caught:
        ballot_cast(poll=open_poll, actor=individual_member, choices=choices)

    assert "not valid" in " ".join(caught.value.messages)
    assert_nothing_stored(open_poll)


def test_named_poll_records_the_choices_on_the_participation(open_poll, individual_member):
    Poll.objects.filter(pk=open_poll.pk).update(secret=False)
    open_poll.refresh_from_db()
    check_in(individual_member, open_poll.meeting)

    ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "no"})

    assert Participation.objects.get(poll=open_poll).named_choices == {"vote": "no"}


def test_representative_changed_after_freeze_cannot_vote_for_the_unit(
    open_poll, unit_representative, individual_member
):
    """The roll keeps the account that voted for the unit when it was frozen."""
    member = Member.objects.get(user=unit_representative)
    entry = RollEntry.objects.get(meeting=open_poll.meeting, member=member)
    check_in(unit_representative, open_poll.meeting)
    assert entry.user == unit_representative

    ballot_cast(poll=open_poll, actor=unit_representative, choices=YES)

    assert Participation.objects.get(poll=open_poll).voter == member
