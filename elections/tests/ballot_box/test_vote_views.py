"""Voting pages: who may open them, choose → confirm → cast, the receipt, refusals."""

import json

import pytest
from django.urls import reverse

from conftest import check_in, login, make_voters
from elections.ballot_box.models import Ballot, Participation, SealedBallot
from elections.tests.sealed import opened_ballots


def url(name, poll):
    return reverse(f"elections:{name}", args=[poll.pk])


@pytest.fixture
def voter(open_poll, individual_member, client):
    check_in(individual_member, open_poll.meeting)
    return login(client, individual_member)


def test_anonymous_visitor_is_sent_to_login_from_every_voting_page(client, open_poll):
    for name, method in (("poll", "get"), ("poll-confirm", "post"), ("poll-cast", "post")):
        response = getattr(client, method)(url(name, open_poll))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "city_viewer", "applicant"])
def test_non_members_get_403_on_the_voting_pages(client, open_poll, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(url("poll", open_poll)).status_code == 403
    assert client.post(url("poll-confirm", open_poll), {"vote": "yes"}).status_code == 403
    assert client.post(url("poll-cast", open_poll), {"choices": "{}"}).status_code == 403
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()


def test_confirm_and_cast_refuse_get_with_405(voter, open_poll):
    assert voter.get(url("poll-confirm", open_poll)).status_code == 405
    assert voter.get(url("poll-cast", open_poll)).status_code == 405


def test_present_member_sees_large_options_and_no_script_is_needed(voter, open_poll):
    response = voter.get(url("poll", open_poll))

    assert response.status_code == 200
    html = response.content.decode()
    for value in ("yes", "no", "abstain"):
        assert f'id="vote-{value}"' in html
    assert f'action="{url("poll-confirm", open_poll)}"' in html
    assert "<script" not in html.split("<footer")[0]


def test_choose_then_confirm_shows_the_choice_and_stores_nothing(voter, open_poll):
    response = voter.post(url("poll-confirm", open_poll), {"vote": "no"})

    assert response.status_code == 200
    assert response.context["described"] == [(open_poll.subject, "No")]
    assert json.loads(response.context["choices_json"]) == {"vote": "no"}
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_confirm_without_a_choice_shows_a_clear_error(voter, open_poll):
    response = voter.post(url("poll-confirm", open_poll), {})

    assert response.status_code == 200
    assert "Choose yes, no or abstain." in response.content.decode()


def test_cast_shows_the_receipt_once_and_never_caches_it(voter, open_poll):
    response = voter.post(url("poll-cast", open_poll), {"choices": '{"vote": "yes"}'})

    assert response.status_code == 200
    ((receipt, _choices),) = opened_ballots(open_poll)
    html = response.content.decode()
    assert f'data-receipt="{receipt}"' in html
    assert "no-store" in response["Cache-Control"]
    assert "elections/receipts.js" in html
    # The receipt is in the page only: not in the session, not in a URL.
    assert receipt not in str(dict(voter.session))
    assert receipt not in response.get("Location", "")


def test_second_cast_says_already_voted_and_changes_nothing(voter, open_poll):
    voter.post(url("poll-cast", open_poll), {"choices": '{"vote": "yes"}'})

    response = voter.post(url("poll-cast", open_poll), {"choices": '{"vote": "no"}'}, follow=True)

    assert "already voted" in response.content.decode()
    assert [choices for _receipt, choices in opened_ballots(open_poll)] == [{"vote": "yes"}]
    page = voter.get(url("poll", open_poll))
    assert page.context["refusal_code"] == "already_voted"
    assert page.context["form"] is None


def test_absent_member_is_told_to_check_in_and_cannot_cast(client, open_poll, individual_member):
    login(client, individual_member)

    page = client.get(url("poll", open_poll))
    response = client.post(url("poll-cast", open_poll), {"choices": '{"vote": "yes"}'}, follow=True)

    assert page.context["refusal_code"] == "absent"
    assert reverse("association:meeting-check-in", args=[open_poll.meeting.pk]) in (
        page.content.decode()
    )
    assert "Check in to the meeting first" in response.content.decode()
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()


def test_member_off_the_roll_sees_why_and_cannot_cast(client, open_poll):
    (late,) = make_voters(1, prefix="late")
    login(client, late)

    page = client.get(url("poll", open_poll))
    response = client.post(url("poll-cast", open_poll), {"choices": '{"vote": "yes"}'}, follow=True)

    assert page.status_code == 200
    assert page.context["refusal_code"] == "off_roll"
    assert "not on the roll" in response.content.decode()
    assert not Participation.objects.exists()


def test_secretariat_not_on_the_roll_sees_the_poll_without_a_form(client, open_poll, secretariat):
    login(client, secretariat)
    response = client.get(url("poll", open_poll))
    assert response.status_code == 200
    assert response.context["form"] is None


def test_unreadable_ballot_is_refused_with_a_message(voter, open_poll):
    response = voter.post(url("poll-cast", open_poll), {"choices": "not json"}, follow=True)
    assert "could not be read" in response.content.decode()
    response = voter.post(
        url("poll-cast", open_poll), {"choices": '{"vote": "maybe"}'}, follow=True
    )
    assert "not valid" in response.content.decode()
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()


def test_unknown_poll_is_404(voter):
    assert voter.get("/polls/999999/").status_code == 404


def test_poll_list_is_public_and_shows_members_their_open_polls(client, voter, open_poll):
    response = voter.get(reverse("elections:poll-list"))
    assert list(response.context["open_polls"]) == [open_poll]
    client.logout()
    response = client.get(reverse("elections:poll-list"))
    assert response.status_code == 200
    assert response.context["open_polls"] == []


def test_my_votes_lists_participations_but_no_receipt_code(voter, open_poll, client):
    voter.post(url("poll-cast", open_poll), {"choices": '{"vote": "yes"}'})
    ((receipt, _choices),) = opened_ballots(open_poll)

    response = voter.get(reverse("elections:my-votes"))

    html = response.content.decode()
    assert response.status_code == 200
    assert open_poll.subject in html
    assert f'data-receipt-for-poll="{open_poll.pk}"' in html
    assert receipt not in html


def test_my_votes_is_for_members_only(client, outsider, secretariat):
    response = client.get(reverse("elections:my-votes"))
    assert response.status_code == 302
    login(client, outsider)
    assert client.get(reverse("elections:my-votes")).status_code == 403


def test_ballot_speaks_chinese_by_default(voter, open_poll, settings):
    del voter.cookies[settings.LANGUAGE_COOKIE_NAME]

    html = voter.get(url("poll", open_poll)).content.decode()

    for word in ("赞成", "反对", "弃权", "下一步"):
        assert word in html
