"""An election ballot's pages within their query budgets, which do not grow with the
candidates (PostgreSQL, outside any test transaction, where a cast runs as in production)."""

import pytest

from conftest import check_in, login
from elections.board.models import Office
from elections.board.services import election_open
from elections.tests.queries import vote_within

from .conftest import member_of, nominate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("candidates", [3, 6])
def test_an_election_vote_takes_at_most_20_queries_however_many_candidates(
    client, council_election, voters, secretariat, candidates, django_assert_max_num_queries
):
    for user in voters[:candidates]:
        nominate(council_election, Office.COUNCIL_MEMBER, member_of(user), secretariat)
    board_round = election_open(election=council_election, actor=secretariat)
    voter = voters[-1]
    check_in(voter, board_round.poll.meeting)
    login(client, voter)

    # The round comes with the poll on the ballot page, and is read on its own by the
    # confirmation (which takes the poll from the ballot page's pass); its positions, their
    # candidates and the candidates' members are read once per page, not once per use (the
    # form, the check of the ballot, its description). The cast reads none of it.
    vote_within(client, board_round.poll, django_assert_max_num_queries, page=8, confirm=7, cast=4)
