"""A poll whose key the scrutineers hold, at its closing time: voting stops there and then,
and the poll says it waits for the scrutineers' codes. Nothing but k of their codes can open
its ballots, so neither the worker nor close_polls can count it: they leave it open."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import check_in, login
from elections.ballot_box import services
from elections.ballot_box.services import (
    CastRefused,
    ballot_cast,
    poll_close_on_time,
    poll_open,
    polls_close_due,
)
from elections.models import Participation, Poll, SealedBallot

pytestmark = pytest.mark.django_db

WAITING = "投票已截止，等待监票人输入密码计票"


@pytest.fixture
def held(poll, frozen_meeting, secretariat, individual_member):
    """An open motion poll whose key 2 of 3 scrutineers hold, its voter checked in."""
    codes = poll_open(poll=poll, actor=secretariat, scrutineers=(2, 3), notify=False)
    check_in(individual_member, frozen_meeting)
    return Poll.objects.get(pk=poll.pk), codes.scrutineer_codes


def closing_time_passes(poll):
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return Poll.objects.get(pk=poll.pk)


def test_no_ballot_is_taken_after_the_closing_time_even_one_confirmed_before(
    held, individual_member
):
    poll, _codes = held
    voter_id = individual_member.memberships.get().pk
    # The voter confirmed the ballot before the closing time and sends it after.
    ticket = services.voter_pass(
        poll=poll, user=individual_member, voter_id=voter_id, choices={"vote": "yes"}
    )
    poll = closing_time_passes(poll)

    with pytest.raises(CastRefused) as refused:
        ballot_cast(poll=poll, actor=individual_member, ticket=ticket)

    assert refused.value.code == "late"
    assert not Participation.objects.filter(poll=poll).exists()
    assert not SealedBallot.objects.filter(poll=poll).exists()


def test_the_scheduled_closes_leave_it_open_for_the_scrutineers(held):
    poll = closing_time_passes(held[0])

    assert polls_close_due() == []
    assert poll_close_on_time.call(poll.pk) == "left to the scrutineers"

    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN and poll.past_closing_time()


def test_its_state_reads_voting_closed_waiting_for_the_scrutineers(held):
    poll, _codes = held
    assert poll.state_label() == "open"  # before the closing time

    poll = closing_time_passes(poll)

    assert poll.state_label() == "voting closed, waiting for the scrutineers' codes to count"
    assert poll.state_class == "closed"


def test_the_voter_sees_voting_closed_waiting_for_the_scrutineers(client, held, individual_member):
    poll = closing_time_passes(held[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, individual_member)

    page = client.get(reverse("elections:poll", args=[poll.pk])).content.decode()
    assert f'<span class="state state-closed" id="poll-state">{WAITING}</span>' in page
    assert 'id="ballot-form"' not in page

    listed = client.get(reverse("elections:poll-list")).content.decode()
    assert reverse("elections:poll", args=[poll.pk]) not in listed  # not "open for your vote"

    meeting = client.get(reverse("association:meeting", args=[poll.meeting_id])).content.decode()
    assert WAITING in meeting and 'id="vote-' not in meeting


def test_the_secretariat_sees_it_waiting_and_counts_it_with_the_codes(client, held, secretariat):
    poll, codes = held
    poll = closing_time_passes(poll)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, secretariat)
    panel = reverse("elections:manage-poll", args=[poll.pk])

    page = client.get(panel).content.decode()
    assert WAITING in page and 'name="code"' in page
    assert WAITING in client.get(reverse("elections:manage-polls")).content.decode()
    turnout = client.get(reverse("elections:poll-turnout", args=[poll.pk])).json()
    assert (turnout["state"], turnout["state_label"]) == ("open", WAITING)

    client.post(reverse("elections:poll-close", args=[poll.pk]), {"code": codes[:2]})

    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED and poll.digest
