"""One voter check per vote: the voting page checks, the confirmation and the cast carry its
signed pass; the ballot is validated before the cast takes any lock."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import check_in, login
from elections.ballot_box import services
from elections.ballot_box.models import Participation, SealedBallot

pytestmark = pytest.mark.django_db


def url(name, poll):
    return reverse(f"elections:{name}", args=[poll.pk])


@pytest.fixture
def voter(open_poll, individual_member, client):
    check_in(individual_member, open_poll.meeting)
    return login(client, individual_member)


def _sql(queries):
    """The statements run, without the quotes around names (the ORM writes them, the
    hand-written statements do not)."""
    return [
        q["sql"].replace('"', "")
        for q in queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def _reads_poll(sql):
    return sql.startswith("SELECT elections_poll.")


def _vote(voter, poll, vote="yes"):
    """GET → confirm → cast as a browser does; the SQL of each request."""
    with CaptureQueriesContext(connection) as get:
        page = voter.get(url("poll", poll))
    with CaptureQueriesContext(connection) as confirm:
        confirmed = voter.post(
            url("poll-confirm", poll), {"vote": vote, "pass": page.context["voter_pass"]}
        )
    with CaptureQueriesContext(connection) as cast:
        receipt = voter.post(url("poll-cast", poll), {"ticket": confirmed.context["ticket"]})
    assert receipt.status_code == 200
    return _sql(get.captured_queries), _sql(confirm.captured_queries), _sql(cast.captured_queries)


def test_a_vote_checks_the_voter_once_and_the_cast_repeats_nothing(voter, open_poll):
    get, confirm, cast = _vote(voter, open_poll)

    roll_reads = [sql for sql in get + confirm + cast if "association_rollentry" in sql]
    assert len(roll_reads) == 1 and roll_reads[0] in get
    assert not any("elections_participation" in sql for sql in confirm)
    # The poll is read once, by the voting page: the passes carry it on.
    assert [sql for sql in get if _reads_poll(sql)] and not any(
        _reads_poll(sql) for sql in confirm + cast
    )
    # The cast: the shared lock and the two inserts in one statement, nothing else of ours.
    assert not any("FROM elections_participation" in sql for sql in cast)
    assert not any("members_member" in sql or "dues" in sql for sql in cast)
    assert not any("FOR UPDATE" in sql for sql in get + confirm + cast)
    assert len(get) + len(confirm) + len(cast) <= 20, "\n".join(cast)
    assert Participation.objects.filter(poll=open_poll).count() == 1
    assert SealedBallot.objects.filter(poll=open_poll).count() == 1


def test_an_invalid_ballot_is_refused_before_any_lock(voter, open_poll):
    with CaptureQueriesContext(connection) as queries:
        response = voter.post(url("poll-cast", open_poll), {"choices": '{"vote": "maybe"}'})

    assert response.status_code == 302
    sql = " ".join(_sql(queries.captured_queries))
    assert "pg_advisory" not in sql and "FOR UPDATE" not in sql and "INSERT" not in sql
    assert not Participation.objects.exists()


def test_a_confirmation_shows_the_cleaned_ballot_and_refuses_a_malformed_one(voter, open_poll):
    page = voter.get(url("poll", open_poll))
    response = voter.post(
        url("poll-confirm", open_poll), {"vote": "maybe", "pass": page.context["voter_pass"]}
    )
    assert response.status_code == 200
    assert "ticket" not in response.context  # the form shows its error again
    assert response.context["form"].errors


def test_a_forged_or_borrowed_ticket_is_refused_and_stores_nothing(
    voter, open_poll, unit_representative, individual_member
):
    check_in(unit_representative, open_poll.meeting)
    other = services.voter_pass(
        poll=open_poll, user=unit_representative, voter_id=1, choices={"vote": "no"}
    )
    page = voter.get(url("poll", open_poll))
    confirmed = voter.post(
        url("poll-confirm", open_poll), {"vote": "yes", "pass": page.context["voter_pass"]}
    )
    ticket = confirmed.context["ticket"]
    tampered = ticket[:-3] + ("AAA" if ticket[-3:] != "AAA" else "BBB")

    for bad in (other, tampered, "nonsense"):
        response = voter.post(url("poll-cast", open_poll), {"ticket": bad}, follow=True)
        assert "could not be read" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_stale_pass_is_checked_again_at_the_cast(voter, open_poll, individual_member):
    page = voter.get(url("poll", open_poll))
    confirmed = voter.post(
        url("poll-confirm", open_poll), {"vote": "yes", "pass": page.context["voter_pass"]}
    )
    data = services.read_voter_pass(
        confirmed.context["ticket"], poll=open_poll, user=individual_member
    )
    stale = services.voter_pass(
        poll=open_poll,
        user=individual_member,
        voter_id=data["m"],
        choices=data["c"],
        checked_at=int(time.time()) - services.PASS_MAX_AGE - 1,
    )
    # Meanwhile the secretariat undid the check-in: the fresh check at the cast sees it.
    open_poll.meeting.roll.update(present_at=None)

    response = voter.post(url("poll-cast", open_poll), {"ticket": stale}, follow=True)

    assert "Check in to the meeting first" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_fresh_pass_lets_the_confirmation_skip_the_check(voter, open_poll):
    page = voter.get(url("poll", open_poll))
    with CaptureQueriesContext(connection) as with_pass:
        voter.post(
            url("poll-confirm", open_poll), {"vote": "yes", "pass": page.context["voter_pass"]}
        )
    with CaptureQueriesContext(connection) as without:
        voter.post(url("poll-confirm", open_poll), {"vote": "yes"})

    assert not any("association_rollentry" in sql for sql in _sql(with_pass.captured_queries))
    assert any("association_rollentry" in sql for sql in _sql(without.captured_queries))


def test_a_poll_closed_after_the_voting_page_takes_no_ballot_from_its_pass(
    voter, open_poll, secretariat
):
    """The confirmation shows the ballot back from the voting page's pass, without reading
    the poll; the close that came in between is found by the cast statement itself."""
    page = voter.get(url("poll", open_poll))
    services.poll_close(poll=open_poll, actor=secretariat)

    confirmed = voter.post(
        url("poll-confirm", open_poll), {"vote": "yes", "pass": page.context["voter_pass"]}
    )
    assert confirmed.status_code == 200
    response = voter.post(
        url("poll-cast", open_poll),
        {"ticket": confirmed.context["ticket"], "receipt": "7KQ4-M2XD-9PLA"},
        follow=True,
    )

    assert "Voting on this poll has closed." in response.content.decode()
    assert not Participation.objects.filter(poll=open_poll).exists()
    assert not open_poll.ballots.filter(receipt="7KQ4-M2XD-9PLA").exists()


def test_a_pass_for_another_poll_brings_nothing_of_its_poll(voter, open_poll, individual_member):
    """A pass names its poll and account: sent to another poll's confirmation it is not
    read, and that poll is read and its voter checked afresh."""
    page = voter.get(url("poll", open_poll))
    data = services.read_voter_pass(
        page.context["voter_pass"], poll=open_poll, user=individual_member
    )
    poll, checked = services.poll_in_pass(
        page.context["voter_pass"], poll_id=open_poll.pk + 1, user=individual_member
    )

    assert data["b"]["subject"] == open_poll.subject
    assert (poll, checked) == (None, None)
