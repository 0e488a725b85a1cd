"""A by-election in the middle of a term seats the elected from the day of certification,
and a council meeting's roll takes the seats in force on the day it is held."""

import datetime

from django.db.models import F
from django.utils import timezone

from association.models import CouncilMembership, Meeting
from association.services import meeting_roll_freeze
from elections.board.models import Term
from elections.board.services import election_certify, election_open, round_close

from .conftest import cast


def _term_began_400_days_ago(election):
    back = datetime.timedelta(days=400)
    Term.objects.filter(pk=election.term_id).update(
        starts_on=F("starts_on") - back, ends_on=F("ends_on") - back
    )
    election.term.refresh_from_db()


def _certify_a_by_election(council_election, council_candidates, voters, secretariat, on):
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat, notify=False)
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "yes", c: "no"}})
    round_close(board_round=board_round, actor=secretariat)
    election_certify(election=council_election, actor=secretariat, notify=False, on=on)
    return a, b


def test_by_election_seats_start_on_the_certification_day(
    council_election, council_candidates, voters, secretariat
):
    today = timezone.localdate()
    _term_began_400_days_ago(council_election)

    a, b = _certify_a_by_election(council_election, council_candidates, voters, secretariat, None)

    seats = CouncilMembership.objects.filter(member__in=[a.member, b.member])
    assert {seat.starts_on for seat in seats} == {today}
    assert {seat.ends_on for seat in seats} == {council_election.term.ends_on}


def test_election_before_its_term_seats_from_the_term_s_first_day(
    council_election, council_candidates, voters, secretariat
):
    term = council_election.term
    early = term.starts_on - datetime.timedelta(days=20)

    a, b = _certify_a_by_election(council_election, council_candidates, voters, secretariat, early)

    seats = CouncilMembership.objects.filter(member__in=[a.member, b.member])
    assert {seat.starts_on for seat in seats} == {term.starts_on}


def test_council_meeting_before_the_by_election_does_not_count_its_seats(
    council_election, council_candidates, voters, secretariat
):
    _term_began_400_days_ago(council_election)
    a, b = _certify_a_by_election(council_election, council_candidates, voters, secretariat, None)
    now = timezone.now()
    before = Meeting.objects.create(
        title="理事会（补选前）",
        body=Meeting.Body.COUNCIL,
        starts_at=now - datetime.timedelta(days=30),
    )
    after = Meeting.objects.create(
        title="理事会（补选后）", body=Meeting.Body.COUNCIL, starts_at=now
    )

    meeting_roll_freeze(meeting=before, actor=secretariat)
    meeting_roll_freeze(meeting=after, actor=secretariat)

    elected = {a.member.user_id, b.member.user_id}
    assert elected.isdisjoint(before.roll.values_list("user", flat=True))
    assert elected <= set(after.roll.values_list("user", flat=True))
