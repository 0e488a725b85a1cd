"""The secretariat's control panel: permissions, actions, live turnout, the audit log."""

import pytest
from django.urls import reverse

from conftest import analog_motion, check_in, login
from elections.ballot_box.models import AuditEntry, Poll
from elections.ballot_box.services import ballot_cast, poll_close

GET_VIEWS = ["manage-poll", "poll-turnout"]
POST_VIEWS = ["poll-open", "poll-close", "poll-publish", "poll-totals"]


def url(name, poll=None):
    return reverse(f"elections:{name}", args=[poll.pk] if poll else [])


def test_anonymous_is_sent_to_login_from_every_panel_page(client, poll):
    pages = [url("manage-polls"), url("audit-log")] + [url(name, poll) for name in GET_VIEWS]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in POST_VIEWS:
        assert client.post(url(name, poll)).status_code == 302


@pytest.mark.parametrize(
    "persona", ["individual_member", "unit_representative", "city_viewer", "outsider"]
)
def test_members_and_civil_affairs_get_403_on_the_panel(client, poll, persona, request):
    login(client, request.getfixturevalue(persona))
    for page in [url("manage-polls"), url("audit-log")] + [url(name, poll) for name in GET_VIEWS]:
        assert client.get(page).status_code == 403
    for name in POST_VIEWS:
        assert client.post(url(name, poll)).status_code == 403
    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT


def test_secretariat_without_two_factor_is_sent_to_set_it_up(client, poll, secretariat_without_2fa):
    login(client, secretariat_without_2fa)
    response = client.get(url("manage-polls"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.post(url("poll-open", poll)).status_code == 302
    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT


def test_post_only_panel_actions_refuse_get_with_405(client, poll, secretariat):
    login(client, secretariat)
    for name in POST_VIEWS:
        assert client.get(url(name, poll)).status_code == 405


def test_secretariat_runs_a_poll_from_open_to_published(
    client, poll, frozen_meeting, individual_member, secretariat
):
    login(client, secretariat)
    response = client.post(url("poll-open", poll), {"without_quorum": "1"}, follow=True)
    assert "The poll is open" in response.content.decode()
    check_in(individual_member, frozen_meeting)
    poll.refresh_from_db()
    ballot_cast(poll=poll, actor=individual_member, choices={"vote": "yes"})

    turnout = client.get(url("poll-turnout", poll)).json()
    assert turnout == {
        "state": "open",
        "state_label": "open",
        "entitled": 2,
        "present": 1,
        "voted": 1,
    }
    client.post(url("poll-close", poll))
    client.post(url("poll-publish", poll))

    poll.refresh_from_db()
    assert poll.state == Poll.State.PUBLISHED
    logged = AuditEntry.objects.filter(poll=poll, actor=secretariat).values_list(
        "action", flat=True
    )
    assert set(logged) == {
        AuditEntry.Action.POLL_OPENED,
        AuditEntry.Action.POLL_CLOSED,
        AuditEntry.Action.RESULTS_PUBLISHED,
    }
    page = client.get(url("manage-poll", poll))
    assert page.status_code == 200
    assert "results published" in page.content.decode()


def test_wrong_order_shows_a_message_and_changes_nothing(client, poll, secretariat):
    login(client, secretariat)
    response = client.post(url("poll-close", poll), follow=True)
    assert "Only an open poll can be closed." in response.content.decode()
    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT


def test_closing_a_poll_that_just_closed_says_so_and_changes_nothing(
    client, open_poll, secretariat
):
    login(client, secretariat)
    page = client.get(url("manage-poll", open_poll))
    assert 'id="close-poll"' in page.content.decode()
    closed = poll_close(poll=open_poll, actor=None)  # the worker, at the closing time

    response = client.post(url("poll-close", open_poll))  # the button on the page still shown

    assert response.status_code == 302 and response["Location"] == url("manage-poll", open_poll)
    page = client.get(response["Location"]).content.decode()
    assert "This poll has already been closed." in page
    open_poll.refresh_from_db()
    assert (open_poll.closed_at, open_poll.digest) == (closed.closed_at, closed.digest)
    closes = AuditEntry.objects.filter(poll=open_poll, action=AuditEntry.Action.POLL_CLOSED)
    assert closes.count() == 1


def test_analog_totals_are_entered_and_validated_on_the_panel(
    client, frozen_meeting, individual_member, unit_representative, secretariat
):
    poll = analog_motion(frozen_meeting).poll
    login(client, secretariat)
    client.post(url("poll-open", poll), {"without_quorum": "1"})
    check_in(individual_member, frozen_meeting)
    check_in(unit_representative, frozen_meeting)
    client.post(url("poll-close", poll))
    assert "totals_form" in client.get(url("manage-poll", poll)).context

    too_many = client.post(url("poll-totals", poll), {"yes": 2, "no": 1, "abstain": 0}, follow=True)
    assert "more than the 2 voters present" in too_many.content.decode()
    client.post(url("poll-totals", poll), {"yes": 2, "no": 0, "abstain": 0})

    poll.refresh_from_db()
    assert poll.counted_totals == {"yes": 2, "no": 0, "abstain": 0}
    entry = AuditEntry.objects.get(poll=poll, action=AuditEntry.Action.TOTALS_ENTERED)
    assert entry.actor == secretariat


def test_panel_list_and_audit_log_have_fixed_query_budgets(
    client, open_poll, secretariat, django_assert_max_num_queries
):
    login(client, secretariat)
    poll_close(poll=open_poll, actor=secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(url("manage-polls"))
    assert open_poll.subject in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(url("audit-log"), {"meeting": open_poll.meeting_id})
    html = response.content.decode()
    assert "poll closed" in html and "roll frozen" in html
    assert secretariat.display_name in html
