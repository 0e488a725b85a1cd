"""Integrity on PostgreSQL: concurrent casts, a failure between the two writes, sealing.

These tests commit for real (transaction=True): each thread has its own connection, as each
web worker would.
"""

import pytest
from django.db import DatabaseError, connection

from conftest import check_in
from elections.ballot_box.models import Ballot, Participation, SealedBallot
from elections.ballot_box.services import ballot_cast, poll_close
from elections.tests.concurrency import cast_at_once
from elections.tests.sealed import opened_ballots

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 8


def test_concurrent_attempts_by_one_voter_leave_one_participation_and_one_ballot(
    open_poll, individual_member
):
    check_in(individual_member, open_poll.meeting)
    votes = ["yes", "no", "abstain", "yes", "no", "abstain", "yes", "no"]
    outcomes = cast_at_once(open_poll, individual_member, [{"vote": vote} for vote in votes])

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["already"] * (ATTEMPTS - 1) + ["cast"], outcomes
    assert Participation.objects.filter(poll=open_poll).count() == 1
    ballots = opened_ballots(open_poll)
    assert len(ballots) == 1
    (receipt,) = [receipt for kind, receipt in outcomes if kind == "cast"]
    assert ballots[0][0] == receipt


def test_failure_between_the_two_writes_leaves_neither(open_poll, individual_member):
    """The ballot insert fails after the participation row was written: both roll back."""
    check_in(individual_member, open_poll.meeting)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_ballot() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'ballot storage failed'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_ballot BEFORE INSERT ON elections_sealedballot
            FOR EACH ROW EXECUTE FUNCTION test_refuse_ballot();
            """
        )
    try:
        with pytest.raises(DatabaseError, match="ballot storage failed"):
            ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "yes"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER test_refuse_ballot ON elections_sealedballot;"
                "DROP FUNCTION test_refuse_ballot();"
            )

    assert not Participation.objects.filter(poll=open_poll).exists()
    assert not SealedBallot.objects.filter(poll=open_poll).exists()
    # The voter can still vote once the storage works again.
    ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "yes"})
    assert Participation.objects.filter(poll=open_poll).count() == 1
    assert SealedBallot.objects.filter(poll=open_poll).count() == 1


def _transaction_ids(poll, table="elections_ballot"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {table} WHERE poll_id = %s",  # noqa: S608
            [poll.pk],
        )
        return cursor.fetchone()[0]


def test_closing_rewrites_the_ballots_so_system_columns_no_longer_show_the_casting_order(
    open_poll, individual_member, unit_representative, secretariat
):
    for user, vote in ((individual_member, "yes"), (unit_representative, "no")):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": vote})
    before = dict(opened_ballots(open_poll))
    # Each sealed ballot was written by its own transaction: PostgreSQL's xmin tells them
    # apart, and matches the xmin of the participation written with it.
    assert _transaction_ids(open_poll, "elections_sealedballot") == 2

    poll_close(poll=open_poll, actor=secretariat)

    assert _transaction_ids(open_poll) == 1
    after = {b.receipt: b.choices for b in Ballot.objects.filter(poll=open_poll)}
    assert after == before
