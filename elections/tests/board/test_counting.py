"""Counting a round in PostgreSQL gives the same tally as counting it in Python."""

import random
import uuid

import pytest

from elections.ballot_box.models import Ballot
from elections.board import counting, tally
from elections.board.services import election_open

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
