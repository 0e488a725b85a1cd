"""Board elections with scrutineer keys: the codes page, closing with k codes, the run-off."""

import pytest
from django.urls import reverse

from conftest import login
from elections.ballot_box.models import Ballot, Poll, SealedBallot
from elections.board.services import election_open

from .conftest import cast

pytestmark = pytest.mark.django_db


def test_opening_with_scrutineer_keys_shows_the_codes_once(
    client, council_election, council_candidates, secretariat
):
    login(client, secretariat)

    response = client.post(
        reverse("elections:election-open", args=[council_election.pk]),
        {"key_holder": "scrutineers", "quorum": "2", "count": "3"},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 3
    html = response.content.decode()
    assert all(code in html for code in codes)
    poll = council_election.rounds.get().poll
    assert (poll.scrutineer_quorum, poll.scrutineer_count, poll.wrapped_key) == (2, 3, None)
    # Nowhere to be found again: not in the session, not on the election's page.
    assert not any(code in str(dict(client.session)) for code in codes)
    page = client.get(reverse("elections:manage-election", args=[council_election.pk]))
    assert not any(code in page.content.decode() for code in codes)
    assert page.content.decode().count('name="code"') == 2  # one field per code needed


def test_bad_scrutineer_numbers_are_refused_and_nothing_opens(
    client, council_election, council_candidates, secretariat
):
    login(client, secretariat)
    for data in ({"quorum": "1", "count": "3"}, {"quorum": "4", "count": "3"}, {"quorum": "x"}):
        response = client.post(
            reverse("elections:election-open", args=[council_election.pk]),
            {"key_holder": "scrutineers", **data},
            follow=True,
        )
        assert response.status_code == 200
    assert not council_election.rounds.exists()


def test_a_round_held_by_scrutineers_closes_with_k_codes_and_its_runoff_too(
    client, council_election, council_candidates, voters, secretariat
):
    a, b, c = council_candidates
    board_round = election_open(
        election=council_election, actor=secretariat, scrutineers=(2, 3), notify=False
    )
    codes = board_round.scrutineer_codes
    # a 6, b 4, c 4 of 7: b and c tie at the last seat, both with a majority: a run-off.
    plans = [{a: "yes", b: "yes"}] * 3 + [{a: "yes", c: "yes"}] * 3 + [{b: "yes", c: "yes"}]
    for user, marks in zip(voters, plans, strict=True):
        cast(user, board_round, {a.position: marks})
    login(client, secretariat)
    close = reverse("elections:election-close-round", args=[council_election.pk])

    refused = client.post(close, {"code": [codes[0]]}, follow=True)
    assert "needs the codes of 2 scrutineers" in refused.content.decode()
    assert Poll.objects.get(pk=board_round.poll.pk).state == Poll.State.OPEN

    client.post(close, {"code": [codes[2], codes[0]]})

    poll = Poll.objects.get(pk=board_round.poll.pk)
    assert poll.state == Poll.State.CLOSED
    assert Ballot.objects.filter(poll=poll).count() == len(voters)
    assert not SealedBallot.objects.filter(poll=poll).exists()
    assert poll.counted_totals["cast"] == len(voters)

    # The run-off is held by scrutineers too: new codes, shown once.
    response = client.post(reverse("elections:election-runoff", args=[council_election.pk]))
    assert response.status_code == 200
    assert len(response.context["codes"]) == 3
    assert not set(response.context["codes"]) & set(codes)
    runoff = council_election.rounds.get(number=2).poll
    assert (runoff.scrutineer_quorum, runoff.scrutineer_count) == (2, 3)
