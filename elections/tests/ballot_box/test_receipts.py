"""Receipt codes made by the voter's browser: checked, kept, counted even when repeated.

Where script runs, receipts.js makes the code on the confirmation page and stores it before
the ballot goes out, so that a response lost after the commit loses no receipt. Without
script (or with a code the server cannot use) nothing changes for the voter: the server
makes the code, or refuses the cast and stores nothing.
"""

import pytest
from django.urls import reverse

from association.models import Motion
from association.services import motion_save
from conftest import check_in, login
from elections.ballot_box.models import Ballot, Participation
from elections.ballot_box.services import (
    RECEIPT_FORMAT,
    CastRefused,
    ballot_cast,
    new_receipt,
    poll_close,
    poll_open,
    receipt_clean,
)


def cast_url(poll):
    return reverse("elections:poll-cast", args=[poll.pk])


@pytest.fixture
def voter(open_poll, individual_member, client):
    check_in(individual_member, open_poll.meeting)
    return login(client, individual_member)


def closed_receipts(poll, secretariat):
    """The receipt codes of `poll`'s ballots, read after closing (as the board shows them)."""
    poll_close(poll=poll, actor=secretariat)
    return sorted(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))


def test_cast_keeps_the_receipt_code_the_browser_made(voter, open_poll, secretariat):
    response = voter.post(
        cast_url(open_poll), {"choices": '{"vote": "yes"}', "receipt": "7KQ4-M2XD-9PLA"}
    )

    assert response.status_code == 200
    assert 'data-receipt="7KQ4-M2XD-9PLA"' in response.content.decode()
    assert closed_receipts(open_poll, secretariat) == ["7KQ4-M2XD-9PLA"]


def test_without_a_code_from_the_browser_the_server_makes_one(voter, open_poll, secretariat):
    response = voter.post(cast_url(open_poll), {"choices": '{"vote": "yes"}', "receipt": ""})

    assert response.status_code == 200
    (receipt,) = closed_receipts(open_poll, secretariat)
    assert RECEIPT_FORMAT.fullmatch(receipt)
    assert f'data-receipt="{receipt}"' in response.content.decode()


@pytest.mark.parametrize(
    "code",
    [
        "7kq4-m2xd-9pla",  # the browser sends capitals; nothing else makes codes
        "7KQ4M2XD9PLA",
        "7KQ4-M2XD-9PL",
        "7KQ4-M2XD-9PLAX",
        "7KQ0-M2XD-9PLA",  # 0, 1, O and I are not in the alphabet
        "7KQI-M2XD-9PLA",
        "７KQ4-M2XD-9PLA",
        "<script>-M2XD",
    ],
)
def test_malformed_code_is_refused_with_a_message_and_nothing_stored(voter, open_poll, code):
    response = voter.post(
        cast_url(open_poll), {"choices": '{"vote": "yes"}', "receipt": code}, follow=True
    )

    assert response.status_code == 200
    assert "The receipt code your browser made could not be used" in response.content.decode()
    assert not Participation.objects.exists()
    assert not Ballot.objects.exists()
    # The ballot is there again, to cast once more.
    assert response.context["form"] is not None


def test_a_code_already_on_a_ballot_of_the_poll_is_counted_twice_and_found_twice(
    client, voter, open_poll, unit_representative, secretariat
):
    """Receipts are sealed while the poll is open, so a repeated code cannot be refused at
    the cast (nothing readable holds the others); it must not stop the close either. Both
    ballots count and the board shows both under the code."""
    voter.post(cast_url(open_poll), {"choices": '{"vote": "yes"}', "receipt": "7KQ4-M2XD-9PLA"})
    check_in(unit_representative, open_poll.meeting)
    other = login(type(client)(), unit_representative)

    response = other.post(
        cast_url(open_poll), {"choices": '{"vote": "no"}', "receipt": "7KQ4-M2XD-9PLA"}
    )

    assert response.status_code == 200
    assert Participation.objects.filter(poll=open_poll).count() == 2
    assert closed_receipts(open_poll, secretariat) == ["7KQ4-M2XD-9PLA", "7KQ4-M2XD-9PLA"]
    assert open_poll.__class__.objects.get(pk=open_poll.pk).counted_totals["no"] == 1
    found = other.post(
        reverse("elections:poll-bulletin", args=[open_poll.pk]), {"receipt": "7KQ4-M2XD-9PLA"}
    )
    assert len(found.context["found"]) == 2


def test_the_same_code_in_another_poll_is_no_obstacle(open_poll, individual_member, secretariat):
    motion = motion_save(
        motion=Motion(
            meeting=open_poll.meeting, number=2, title="议案2", kind=Motion.Kind.RESOLUTION
        )
    )
    second = poll_open(poll=motion.poll, actor=secretariat)
    check_in(individual_member, open_poll.meeting)

    for poll in (open_poll, second):
        receipt = ballot_cast(
            poll=poll, actor=individual_member, choices={"vote": "yes"}, receipt="7KQ4-M2XD-9PLA"
        )
        assert receipt == "7KQ4-M2XD-9PLA"

    assert closed_receipts(open_poll, secretariat) == ["7KQ4-M2XD-9PLA"]
    assert closed_receipts(second, secretariat) == ["7KQ4-M2XD-9PLA"]


def test_receipt_clean_accepts_what_new_receipt_makes():
    for _ in range(50):
        code = new_receipt()
        assert receipt_clean(code) == code
    with pytest.raises(CastRefused) as refusal:
        receipt_clean("ABCD")
    assert refusal.value.code == "receipt_invalid"


def test_already_voted_page_has_the_slot_for_the_browsers_code(voter, open_poll):
    voter.post(cast_url(open_poll), {"choices": '{"vote": "yes"}', "receipt": "7KQ4-M2XD-9PLA"})

    html = voter.get(reverse("elections:poll", args=[open_poll.pk])).content.decode()

    assert 'id="held-receipt"' in html
    assert reverse("elections:poll-bulletin", args=[open_poll.pk]) in html
    # The server never writes the code into the page: only the browser knows it.
    assert "7KQ4-M2XD-9PLA" not in html
    assert "elections/receipts.js" in html
