"""The demo: the founding election certified, a full board, and nothing duplicated on re-runs."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from association.models import CouncilMembership, Meeting
from elections.ballot_box.models import Ballot, Poll, ballot_set_digest
from elections.board.demo import COUNCIL_MEETING_TITLE
from elections.board.models import BoardSeat, Candidate, Election, Term
from elections.board.results import election_outcome

pytestmark = pytest.mark.django_db


def test_demo_certifies_the_founding_election_and_fills_the_board(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    term = Term.objects.get(number=1)
    assert (term.starts_on.isoformat(), term.ends_on.isoformat()) == ("2023-07-15", "2028-07-14")
    council, officers = Election.objects.order_by("meeting__starts_at")
    assert council.state == officers.state == Election.State.CERTIFIED
    assert council.positions.get().seats == 15
    assert Candidate.objects.filter(position__election=council).count() == 18
    for election in (council, officers):
        outcome = election_outcome(election)
        assert outcome.complete
        for board_round in election.rounds.all():
            assert board_round.poll.state == Poll.State.PUBLISHED
            assert ballot_set_digest(board_round.poll) == board_round.poll.digest

    offices = sorted(BoardSeat.objects.filter(term=term).values_list("office", flat=True))
    assert offices == [""] * 15 + ["president"] + ["secretary_general"] + ["vice_president"] * 3
    assert CouncilMembership.objects.count() == 20
    # The council meeting's roll came from the certified council.
    council_meeting = Meeting.objects.get(title=COUNCIL_MEETING_TITLE)
    elected = set(
        BoardSeat.objects.filter(election=council).values_list("candidate__member", flat=True)
    )
    assert set(council_meeting.roll.values_list("member_id", flat=True)) == elected

    page = client.get(reverse("elections:board")).content.decode()
    for seat in BoardSeat.objects.select_related("candidate"):
        assert seat.candidate.person_name in page

    counts = (Election.objects.count(), Candidate.objects.count(), Ballot.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Election.objects.count(), Candidate.objects.count(), Ballot.objects.count()) == counts
    assert BoardSeat.objects.count() == 20
