"""Fixtures for board elections: a term, elections at a general assembly and a council
meeting, members to nominate, and helpers to vote through the ballot box."""

import datetime

import pytest
from django.utils import timezone

from association.models import Meeting
from conftest import check_in, make_voters
from elections.ballot_box.services import ballot_cast
from elections.board.models import Election, Office, Term, add_years
from elections.board.services import (
    candidate_nominate,
    election_certify,
    election_create,
    election_open,
    round_close,
)
from members.models import Member


@pytest.fixture
def term(db):
    today = timezone.localdate()
    return Term.objects.create(
        number=1,
        starts_on=today,
        ends_on=add_years(today, 5) - datetime.timedelta(days=1),
    )


@pytest.fixture
def voters(role_groups):
    """Seven individual members in good standing, with accounts."""
    return make_voters(7, prefix="board")


def member_of(user):
    return Member.objects.get(user=user)


@pytest.fixture
def council_election(meeting, term, secretariat):
    """A general-assembly election of 2 council members, yes/no/abstain per candidate."""
    return election_create(
        meeting=meeting,
        term=term,
        title="第一届理事会理事选举",
        mode=Election.Mode.APPROVE,
        seats={Office.COUNCIL_MEMBER: 2},
        actor=secretariat,
        min_surplus=1,
    )


def nominate(election, office, member, actor, **fields):
    position = election.positions.get(office=office)
    fields.setdefault("statement", f"{member.name}的竞选陈述")
    return candidate_nominate(position=position, member=member, actor=actor, **fields)


@pytest.fixture
def council_candidates(council_election, voters, secretariat):
    """Three candidates for the two council seats: the first three voters."""
    return [
        nominate(council_election, Office.COUNCIL_MEMBER, member_of(user), secretariat)
        for user in voters[:3]
    ]


@pytest.fixture
def council_meeting(db):
    return Meeting.objects.create(
        title="第一届理事会第一次会议",
        body=Meeting.Body.COUNCIL,
        starts_at=timezone.now(),
        place="许昌市魏都区示范路1号",
    )


def cast(user, board_round, marks):
    """Check `user` in and cast {position: {candidate: mark}} (model objects or ids)."""
    check_in(user, board_round.poll.meeting)
    choices = {
        str(getattr(position, "pk", position)): {
            str(getattr(candidate, "pk", candidate)): mark for candidate, mark in cmarks.items()
        }
        for position, cmarks in marks.items()
    }
    return ballot_cast(poll=board_round.poll, actor=user, choices={"positions": choices})


@pytest.fixture
def member(voters):
    return voters[0]


@pytest.fixture
def open_election(council_election, council_candidates, voters, secretariat):
    election_open(election=council_election, actor=secretariat)
    council_election.refresh_from_db()
    return council_election


@pytest.fixture
def certified_election(open_election, council_candidates, voters, secretariat):
    """The council election, voted by all seven voters and certified: the first two
    candidates elected."""
    a, b, c = council_candidates
    board_round = open_election.rounds.get()
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "yes", c: "no"}})
    round_close(board_round=board_round, actor=secretariat)
    election_certify(election=open_election, actor=secretariat)
    open_election.refresh_from_db()
    return open_election
