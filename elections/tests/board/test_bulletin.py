"""The bulletin board of an election round: one read of the round, whatever the ballots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from elections.board.services import election_open, round_close

from .conftest import cast

pytestmark = pytest.mark.django_db


def test_bulletin_of_an_election_round_reads_the_round_once(
    client, council_election, council_candidates, voters, secretariat
):
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat, notify=False)
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "no"}})
    round_close(board_round=board_round, actor=secretariat)
    login(client, secretariat)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("elections:poll-bulletin", args=[board_round.poll.pk]))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == len(voters)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 14, "\n".join(sql)
