"""The ballot box's integrity and secrecy hold for board elections (PostgreSQL, committed)."""

import pytest
from django.apps import apps

from conftest import check_in
from elections.ballot_box.models import Ballot, Participation
from elections.board import models as board_models
from elections.board.services import election_open
from elections.tests.concurrency import cast_at_once
from elections.tests.sealed import opened_ballots

ATTEMPTS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_by_one_voter_leave_one_participation_and_one_ballot(
    council_election, council_candidates, voters, secretariat
):
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat)
    voter = voters[0]
    check_in(voter, council_election.meeting)
    plans = [{str(a.pk): "yes"}, {str(b.pk): "yes"}, {str(c.pk): "no"}, {}] * 2
    position = str(a.position_id)
    choices = [{"positions": {position: marks}} for marks in plans]
    outcomes = cast_at_once(board_round.poll, voter, choices)

    assert sorted(kind for kind, _ in outcomes) == ["already"] * (ATTEMPTS - 1) + ["cast"], outcomes
    assert Participation.objects.filter(poll=board_round.poll).count() == 1
    ((receipt, _choices),) = opened_ballots(board_round.poll)
    assert receipt == next(receipt for kind, receipt in outcomes if kind == "cast")


BOARD_MODELS = [
    board_models.Term,
    board_models.Election,
    board_models.Position,
    board_models.Candidate,
    board_models.Round,
    board_models.RoundPosition,
    board_models.BoardSeat,
]
VOTER_MODELS = {
    ("elections", "ballot"),
    ("elections", "participation"),
    ("association", "rollentry"),
}


def test_no_board_election_table_leads_to_a_ballot_or_to_who_voted():
    for model in BOARD_MODELS:
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                related = field.related_model
                label = (related._meta.app_label, related._meta.model_name)
                assert label not in VOTER_MODELS, f"{model.__name__}.{field.name}"
    # And the ballot box's ballot still points at nothing but its poll.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not Ballot, f"{model.__name__}.{field.name}"


def test_a_round_knows_its_poll_but_not_its_voters():
    fields = {f.name for f in board_models.Round._meta.concrete_fields}
    assert fields == {"id", "election", "number", "poll"}
