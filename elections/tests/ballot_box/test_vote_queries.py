"""A motion ballot's pages within their query budgets (issue 11: at most 15 queries for the
ballot page, the confirmation and the cast together), on PostgreSQL and outside any test
transaction, where a cast runs as in production."""

import pytest

from conftest import check_in, login
from elections.tests.queries import vote_within

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_motion_vote_takes_at_most_13_queries(
    client, open_poll, individual_member, django_assert_max_num_queries
):
    check_in(individual_member, open_poll.meeting)
    login(client, individual_member)

    # Each page: the session, the account with its roles, the association's name. The
    # ballot page reads the poll with its motion and checks the voter; the confirmation and
    # the cast take both from the signed pass of the page before; the cast is one round trip.
    vote_within(client, open_poll, django_assert_max_num_queries, page=5, confirm=3, cast=4)
