"""An election from nomination to the board: opening, a tie, the run-off, certification."""

import pytest
from django.core.exceptions import ValidationError

from association.models import CouncilMembership, Meeting
from association.services import meeting_roll_freeze
from elections.ballot_box.models import AuditEntry, Ballot, Participation, Poll
from elections.board.models import BoardSeat, Election, Office, Round
from elections.board.results import election_outcome
from elections.board.services import (
    candidate_withdraw,
    election_certify,
    election_create,
    election_open,
    round_close,
    runoff_start,
)

from .conftest import cast, member_of, nominate

pytestmark = pytest.mark.django_db


def vote_for_a_tie(board_round, voters, candidates):
    """7 ballots: A 5 yes, B 4, C 4. A is elected; B and C tie for the last seat."""
    a, b, c = candidates
    position = a.position
    plans = [
        {a: "yes", b: "yes", c: "no"},
        {a: "yes", b: "yes", c: "no"},
        {a: "yes", c: "yes", b: "no"},
        {a: "yes", c: "yes"},
        {a: "yes", b: "abstain", c: "abstain"},
        {b: "yes", c: "yes", a: "no"},
        {b: "yes", c: "yes", a: "no"},
    ]
    for user, marks in zip(voters, plans, strict=True):
        cast(user, board_round, {position: marks})


def test_opening_checks_the_contested_rule(council_election, council_candidates, secretariat):
    candidate_withdraw(candidate=council_candidates[2], actor=secretariat)
    with pytest.raises(ValidationError) as refused:
        election_open(election=council_election, actor=secretariat)
    assert refused.value.messages == [
        "Council member: 2 candidates for 2 seats; a contested election needs at least 3 "
        "(seats + 1)."
    ]
    council_election.refresh_from_db()
    assert council_election.state == Election.State.DRAFT
    assert not Round.objects.exists() and not Poll.objects.exists()


def test_opening_creates_an_open_poll_with_every_candidate_and_freezes_the_roll(
    council_election, council_candidates, voters, secretariat
):
    board_round = election_open(election=council_election, actor=secretariat)

    council_election.refresh_from_db()
    assert council_election.state == Election.State.VOTING
    poll = board_round.poll
    assert (poll.kind, poll.state, poll.secret) == (Poll.Kind.ELECTION, Poll.State.OPEN, True)
    (entry,) = board_round.positions.all()
    assert entry.seats == 2
    assert set(entry.candidates.all()) == set(council_candidates)
    assert council_election.meeting.roll.count() == len(voters)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"election_created", "candidate_nominated", "election_opened", "poll_opened"} <= actions


def test_the_ballot_is_fixed_once_voting_opens(
    council_election, council_candidates, voters, secretariat
):
    election_open(election=council_election, actor=secretariat)
    with pytest.raises(ValidationError, match="only before voting opens"):
        nominate(council_election, Office.COUNCIL_MEMBER, member_of(voters[5]), secretariat)
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        candidate_withdraw(candidate=council_candidates[0], actor=secretariat)


def test_tie_at_the_last_seat_run_off_certification_and_the_board(
    council_election, council_candidates, voters, secretariat, council_meeting
):
    a, b, c = council_candidates
    first = election_open(election=council_election, actor=secretariat)
    vote_for_a_tie(first, voters, council_candidates)
    with pytest.raises(ValidationError, match="Close the open round"):
        election_certify(election=council_election, actor=secretariat)
    round_close(board_round=first, actor=secretariat)

    outcome = election_outcome(council_election)
    (position,) = outcome.positions
    assert position.elected == [a]
    assert set(position.pending) == {b, c} and position.pending_seats == 1
    assert outcome.needs_runoff
    with pytest.raises(ValidationError, match="run-off before certification"):
        election_certify(election=council_election, actor=secretariat)

    second = runoff_start(election=council_election, actor=secretariat)
    assert second.number == 2 and second.poll.state == Poll.State.OPEN
    (entry,) = second.positions.all()
    assert entry.seats == 1 and set(entry.candidates.all()) == {b, c}
    # The run-off's ballot has only the tied candidates.
    with pytest.raises(ValidationError):
        cast(voters[0], second, {a.position: {a: "yes"}})
    for user in voters[:4]:
        cast(user, second, {b.position: {b: "yes", c: "no"}})
    for user in voters[4:6]:
        cast(user, second, {c.position: {c: "yes"}})
    cast(voters[6], second, {})  # blank: counts as cast
    round_close(board_round=second, actor=secretariat)

    outcome = election_outcome(council_election)
    assert outcome.positions[0].elected == [a, b]
    assert outcome.complete
    runoff_tally = outcome.rounds[1].tally.positions[0]
    assert (runoff_tally.cast, runoff_tally.blank) == (7, 1)

    election_certify(election=council_election, actor=secretariat)
    council_election.refresh_from_db()
    assert council_election.state == Election.State.CERTIFIED
    assert council_election.certified_by == secretariat
    assert set(Poll.objects.values_list("state", flat=True)) == {Poll.State.PUBLISHED}
    seats = BoardSeat.objects.filter(term=council_election.term)
    assert sorted(seat.candidate_id for seat in seats) == sorted([a.pk, b.pk])
    memberships = CouncilMembership.objects.filter(office="")
    assert {m.member_id for m in memberships} == {a.member_id, b.member_id}
    assert all(
        (m.starts_on, m.ends_on) == (council_election.term.starts_on, council_election.term.ends_on)
        for m in memberships
    )
    assert AuditEntry.objects.filter(action="results_certified", actor=secretariat).exists()

    # Locked: no further run-off, no second certification.
    with pytest.raises(ValidationError):
        runoff_start(election=council_election, actor=secretariat)
    with pytest.raises(ValidationError):
        election_certify(election=council_election, actor=secretariat)

    # The council meeting's roll comes from the board just certified.
    meeting_roll_freeze(meeting=council_meeting, actor=secretariat)
    assert {e.member_id for e in council_meeting.roll.all()} == {a.member_id, b.member_id}


def test_no_runoff_without_a_tie(council_election, council_candidates, voters, secretariat):
    a, b, c = council_candidates
    first = election_open(election=council_election, actor=secretariat)
    with pytest.raises(ValidationError, match="Close the current round"):
        runoff_start(election=council_election, actor=secretariat)
    for user in voters:
        cast(user, first, {a.position: {a: "yes", b: "yes", c: "no"}})
    round_close(board_round=first, actor=secretariat)
    with pytest.raises(ValidationError, match="No position has a tie"):
        runoff_start(election=council_election, actor=secretariat)
    assert Round.objects.count() == 1


def test_over_marked_position_is_invalid_for_that_position_only(
    council_meeting, term, voters, secretariat
):
    """An officer ballot: two vice-president seats marked three times, president marked once."""
    for user in voters:
        CouncilMembership.objects.create(
            member=member_of(user), starts_on=term.starts_on, ends_on=term.ends_on
        )
    election = election_create(
        meeting=council_meeting,
        term=term,
        title="会长、副会长选举",
        mode=Election.Mode.MARK,
        seats={Office.PRESIDENT: 1, Office.VICE_PRESIDENT: 2},
        actor=secretariat,
        min_surplus=1,
        age_limit=None,
    )
    p1, p2 = (
        nominate(election, Office.PRESIDENT, member_of(user), secretariat) for user in voters[:2]
    )
    v1, v2, v3 = (
        nominate(election, Office.VICE_PRESIDENT, member_of(user), secretariat)
        for user in voters[2:5]
    )
    board_round = election_open(election=election, actor=secretariat)
    president, vice = p1.position, v1.position
    cast(voters[0], board_round, {president: {p1: "yes"}, vice: {v1: "yes", v2: "yes", v3: "yes"}})
    cast(voters[1], board_round, {president: {p1: "yes"}, vice: {v1: "yes", v2: "yes"}})
    cast(voters[2], board_round, {president: {p1: "yes"}, vice: {v1: "yes"}})
    cast(voters[3], board_round, {})
    round_close(board_round=board_round, actor=secretariat)

    tally = election_outcome(election).rounds[0].tally
    president_result, vice_result = tally.positions
    assert (president_result.cast, president_result.valid, president_result.blank) == (4, 3, 1)
    assert president_result.invalid == 0
    assert (vice_result.cast, vice_result.valid, vice_result.invalid, vice_result.blank) == (
        4,
        2,
        1,
        1,
    )
    assert {c.key: c.yes for c in vice_result.candidates} == {
        str(v1.pk): 2,
        str(v2.pk): 1,
        str(v3.pk): 0,
    }
    # 2 × 3 = 6 > 4 elects p1; v1 has 2 × 2 = 4, not more than 4: no majority.
    assert [c.key for c in president_result.elected] == [str(p1.pk)]
    assert vice_result.elected == [] and vice_result.unfilled == 2
    assert p2 not in election_outcome(election).positions[0].elected


def test_officer_rule_is_checked_again_at_certification_across_elections(
    council_meeting, term, voters, secretariat, unit_representative
):
    """A secretary-general from the president's unit, elected in a separate election."""
    unit = member_of(unit_representative)
    for user in voters:
        CouncilMembership.objects.create(
            member=member_of(user), starts_on=term.starts_on, ends_on=term.ends_on
        )
    common = {
        "meeting": council_meeting,
        "term": term,
        "mode": Election.Mode.MARK,
        "actor": secretariat,
        "min_surplus": 0,
        "age_limit": None,
    }
    first = election_create(title="会长选举", seats={Office.PRESIDENT: 1}, **common)
    president = nominate(first, Office.PRESIDENT, unit, secretariat, person_name="刘洋")
    board_round = election_open(election=first, actor=secretariat)
    for user in voters:
        cast(user, board_round, {president.position: {president: "yes"}})
    round_close(board_round=board_round, actor=secretariat)
    election_certify(election=first, actor=secretariat)

    second = election_create(title="秘书长选举", seats={Office.SECRETARY_GENERAL: 1}, **common)
    secretary = nominate(
        second, Office.SECRETARY_GENERAL, unit, secretariat, person_name="李华", full_time=True
    )
    board_round = election_open(election=second, actor=secretariat)
    for user in voters:
        cast(user, board_round, {secretary.position: {secretary: "yes"}})
    round_close(board_round=board_round, actor=secretariat)
    with pytest.raises(ValidationError, match="must not come from the same member unit"):
        election_certify(election=second, actor=secretariat)
    second.refresh_from_db()
    assert second.state == Election.State.VOTING
    assert not BoardSeat.objects.filter(election=second).exists()


def test_ballots_of_an_election_name_no_voter(
    council_election, council_candidates, voters, secretariat
):
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat)
    vote_for_a_tie(board_round, voters, council_candidates)
    round_close(board_round=board_round, actor=secretariat)
    assert Participation.objects.filter(poll=board_round.poll).count() == len(voters)
    voter_ids = {str(member_of(user).pk) for user in voters} | {str(u.pk) for u in voters}
    for ballot in Ballot.objects.filter(poll=board_round.poll):
        (marks,) = ballot.choices["positions"].values()
        assert set(ballot.choices) == {"positions"}
        assert set(ballot.choices["positions"]) == {str(a.position_id)}
        assert set(marks) <= {str(a.pk), str(b.pk), str(c.pk)}
        # Candidate ids are candidates, never voters: the key sets are disjoint here.
        assert not set(marks) & (voter_ids - {str(a.pk), str(b.pk), str(c.pk)})


def test_standing_council_meetings_hold_no_board_elections(term, secretariat):
    from django.utils import timezone

    meeting = Meeting.objects.create(
        title="常务理事会", body=Meeting.Body.STANDING_COUNCIL, starts_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        election_create(
            meeting=meeting,
            term=term,
            title="x",
            mode=Election.Mode.MARK,
            seats={Office.PRESIDENT: 1},
            actor=secretariat,
        )
