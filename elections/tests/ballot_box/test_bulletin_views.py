"""The bulletin board and the results: who sees them when; the digest; query budgets."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import check_in, login, make_voters
from elections.ballot_box.models import Ballot
from elections.ballot_box.services import ballot_cast, poll_close, poll_publish


def url(name, poll):
    return reverse(f"elections:{name}", args=[poll.pk])


@pytest.fixture
def closed_poll(open_poll, individual_member, unit_representative, secretariat):
    for user, vote in ((individual_member, "yes"), (unit_representative, "abstain")):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": vote})
    poll_close(poll=open_poll, actor=secretariat)
    open_poll.refresh_from_db()
    return open_poll


@pytest.fixture
def published_poll(closed_poll, secretariat):
    poll_publish(poll=closed_poll, actor=secretariat)
    closed_poll.refresh_from_db()
    return closed_poll


def test_bulletin_and_results_are_hidden_while_the_poll_is_open(
    client, open_poll, individual_member, secretariat
):
    for name in ("poll-bulletin", "poll-bulletin-text", "poll-results"):
        assert client.get(url(name, open_poll)).status_code == 302  # anonymous: login
    for user in (individual_member, secretariat):
        login(client, user)
        for name in ("poll-bulletin", "poll-bulletin-text", "poll-results"):
            assert client.get(url(name, open_poll)).status_code == 404


def test_closed_bulletin_is_for_voters_on_the_roll_and_the_secretariat(
    client, closed_poll, individual_member, secretariat, city_viewer
):
    assert client.get(url("poll-bulletin", closed_poll)).status_code == 302
    for user in (individual_member, secretariat):
        login(client, user)
        assert client.get(url("poll-bulletin", closed_poll)).status_code == 200
    (off_roll,) = make_voters(1, prefix="off")
    for user in (off_roll, city_viewer):
        login(client, user)
        assert client.get(url("poll-bulletin", closed_poll)).status_code == 404


def test_closed_results_are_a_preview_for_the_secretariat_only(
    client, closed_poll, individual_member, secretariat
):
    login(client, individual_member)
    assert client.get(url("poll-results", closed_poll)).status_code == 404
    login(client, secretariat)
    response = client.get(url("poll-results", closed_poll))
    assert response.status_code == 200
    assert "not published yet" in response.content.decode()


def test_published_bulletin_and_results_are_public(client, published_poll):
    bulletin = client.get(url("poll-bulletin", published_poll))
    results = client.get(url("poll-results", published_poll))

    assert bulletin.status_code == 200 and results.status_code == 200
    html = bulletin.content.decode()
    for ballot in Ballot.objects.filter(poll=published_poll):
        assert ballot.receipt in html
    assert published_poll.digest in html
    text = results.content.decode()
    # 1 yes of 2 present against at least 2/3: 1 < 2/3 × 2 = 1.33 → failed.
    assert "1 &lt; 2/3 × 2 = 1.33" in text or "1 < 2/3 × 2 = 1.33" in text
    assert "2 ≥ 2/3 × 2 = 1.33" in text  # quorum: both present


def test_bulletin_finds_a_receipt_by_post_and_says_clearly_when_it_does_not(client, published_poll):
    receipt = Ballot.objects.filter(poll=published_poll).first().receipt

    found = client.post(url("poll-bulletin", published_poll), {"receipt": receipt.lower()})
    missing = client.post(url("poll-bulletin", published_poll), {"receipt": "AAAA-BBBB-CCCC"})

    assert [ballot.receipt for ballot in found.context["found"]] == [receipt]
    assert "no-store" in found["Cache-Control"]
    assert "No ballot has the receipt code AAAA-BBBB-CCCC" in missing.content.decode()
    junk = client.post(url("poll-bulletin", published_poll), {"receipt": "\x00' OR 1=1"})
    assert junk.status_code == 200 and not junk.context["found"]
    # The search form posts; a receipt in a query string is not looked up at all.
    html = client.get(url("poll-bulletin", published_poll)).content.decode()
    assert 'method="post" action="' + url("poll-bulletin", published_poll) in html
    assert (
        client.get(url("poll-bulletin", published_poll), {"receipt": receipt}).context["found"]
        == []
    )


def test_ballot_set_file_is_streamed_and_hashes_to_the_published_digest(client, published_poll):
    response = client.get(url("poll-bulletin-text", published_poll))

    assert response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == published_poll.digest
    assert len(body.decode().splitlines()) == 2


def test_the_board_shows_the_digest_sealed_at_closing_and_the_file_exposes_tampering(
    client, published_poll
):
    Ballot.objects.filter(poll=published_poll).update(choices={"vote": "no"})

    page = client.get(url("poll-bulletin", published_poll))
    body = b"".join(client.get(url("poll-bulletin-text", published_poll)).streaming_content)

    assert published_poll.digest in page.content.decode()  # stored, not recomputed
    assert hashlib.sha256(body).hexdigest() != published_poll.digest


def test_bulletin_query_count_does_not_grow_with_ballots(
    client, meeting, secretariat, role_groups, django_assert_max_num_queries
):
    from association.models import Motion
    from association.services import motion_save
    from elections.ballot_box.services import poll_open
    from elections.ballot_box.tally import Base
    from elections.models import Poll

    voters = make_voters(30)
    poll = motion_save(
        motion=Motion(
            meeting=meeting, number=3, title="议案", kind=Motion.Kind.RESOLUTION, base=Base.CAST
        ),
        requires_presence=False,
    ).poll
    poll_open(poll=poll, actor=secretariat)
    for number, user in enumerate(voters):
        ballot_cast(poll=poll, actor=user, choices={"vote": ("yes", "no", "abstain")[number % 3]})
    poll_close(poll=poll, actor=secretariat)
    poll_publish(poll=poll, actor=secretariat)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("poll-bulletin", poll))
    assert len(queries.captured_queries) <= 8
    assert len(response.context["page"].object_list) == 30
    # The page reads one page of ballots, never the whole set, and does not count them: the
    # close stored their number with the digest.
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "elections_ballot"' in q["sql"]]
    assert len(reads) == 1 and "LIMIT" in reads[0], reads
    assert "30 ballots" in response.content.decode()
    # A poll closed before the number was stored is counted.
    Poll.objects.filter(pk=poll.pk).update(ballot_count=None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("poll-bulletin", poll))
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "elections_ballot"' in q["sql"]]
    assert len(reads) == 2 and "30 ballots" in response.content.decode()
    with django_assert_max_num_queries(8):
        client.get(reverse("elections:poll-list"))
    with django_assert_max_num_queries(8):
        response = client.get(url("poll-results", poll))
    assert "10 ≤ 1/2 × 30 = 15" in response.content.decode()


def test_named_vote_results_list_who_voted_how(
    client, open_poll, individual_member, unit_representative, secretariat
):
    from elections.models import Poll

    Poll.objects.filter(pk=open_poll.pk).update(secret=False)
    open_poll.refresh_from_db()
    for user, vote in ((individual_member, "yes"), (unit_representative, "no")):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": vote})
    poll_close(poll=open_poll, actor=secretariat)
    poll_publish(poll=open_poll, actor=secretariat)

    response = client.get(url("poll-results", open_poll))

    assert sorted((voter.name, vote) for voter, vote in response.context["roll_call"]) == [
        ("许昌市阳光社会工作服务中心", "No"),
        ("陈静", "Yes"),
    ]


def test_bulletin_pages_hold_100_receipts_in_order(client, meeting, secretariat, role_groups):
    from association.models import Motion
    from association.services import motion_save
    from elections.ballot_box.services import poll_open
    from elections.ballot_box.tally import Base

    voters = make_voters(130)
    poll = motion_save(
        motion=Motion(
            meeting=meeting, number=4, title="议案", kind=Motion.Kind.RESOLUTION, base=Base.CAST
        ),
        requires_presence=False,
    ).poll
    poll_open(poll=poll, actor=secretariat)
    for user in voters:
        ballot_cast(poll=poll, actor=user, choices={"vote": "yes"})
    poll_close(poll=poll, actor=secretariat)
    poll_publish(poll=poll, actor=secretariat)

    first = client.get(url("poll-bulletin", poll))
    second = client.get(url("poll-bulletin", poll), {"page": 2})

    codes = [b.receipt for b in first.context["page"].object_list]
    codes += [b.receipt for b in second.context["page"].object_list]
    assert len(first.context["page"].object_list) == 100
    assert codes == sorted(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))
