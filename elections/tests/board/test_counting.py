"""Counting a round in PostgreSQL gives the same tally as counting it in Python."""

import random
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.ballot_box.models import Ballot
from elections.board import counting, tally
from elections.board.services import election_open, round_close

from .conftest import cast

pytestmark = pytest.mark.django_db


def _random_ballot(rng, specs, mode):
    positions = {}
    for spec in specs:
        marks = {}
        for candidate in spec.candidates:
            mark = rng.choice([*tally.MARKS[mode], None, None])
            if mark:
                marks[candidate] = mark
        positions[spec.key] = marks
    return {"positions": positions}


@pytest.mark.parametrize("mode", [tally.APPROVE, tally.MARK])
def test_sql_counts_equal_the_python_tally_on_random_ballots(
    council_election, council_candidates, secretariat, mode
):
    council_election.mode = mode
    council_election.save(update_fields=["mode"])
    board_round = election_open(election=council_election, actor=secretariat, notify=False)
    specs = board_round.specs()
    rng = random.Random(20261201)
    ballots = [_random_ballot(rng, specs, mode) for _ in range(300)]
    ballots += [{"positions": {spec.key: {} for spec in specs}}] * 7  # blank ballots
    Ballot.objects.bulk_create(
        Ballot(poll=board_round.poll, choices=choices, receipt=uuid.uuid4().hex[:14])
        for choices in ballots
    )

    cast, counts = counting.count_round(board_round.poll, specs)

    assert cast == len(ballots)
    for spec in specs:
        assert counts[spec.key] == tally.count_position(spec, ballots)
    in_sql = counting.tally_round(board_round.poll, specs, mode=mode)
    in_python = tally.tally(specs, ballots, mode=mode)
    assert in_sql == in_python
    assert any(p.invalid for p in in_sql.positions) and any(p.blank for p in in_sql.positions)


def test_a_closed_round_is_tallied_from_the_counts_stored_at_its_close(
    council_election, council_candidates, voters, secretariat
):
    """The results pages and the workbook decide from the marks the close stored: the same
    tally as counting the ballots, without reading a ballot again."""
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat, notify=False)
    marks = [{a: "yes", b: "no"}, {a: "yes", b: "yes", c: "abstain"}, {c: "no"}, {}]
    for user, marked in zip(voters, marks, strict=False):
        cast(user, board_round, {a.position: marked})
    round_close(board_round=board_round, actor=secretariat)
    board_round.poll.refresh_from_db()
    specs = board_round.specs()

    with CaptureQueriesContext(connection) as queries:
        stored = counting.tally_round(board_round.poll, specs, mode=council_election.mode)

    assert not any("elections_ballot" in q["sql"] for q in queries.captured_queries)
    assert stored == counting.count_tally(board_round.poll, specs, mode=council_election.mode)
    assert counting.stored_counts(board_round.poll, specs)[0] == len(marks)
    # A round closed before the marks were stored is counted from its ballots.
    for position in board_round.poll.counted_totals["positions"].values():
        del position["marks"]
    assert counting.stored_counts(board_round.poll, specs) is None
    assert counting.tally_round(board_round.poll, specs, mode=council_election.mode) == stored
