"""The outbox: e-mail queued on commit, sent by the worker to a real SMTP server, retried,
shown as failed, sent again from the control panel; the action never waits for it."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from association.models import OutboxMessage
from conftest import free_port, login, run_tasks
from elections.ballot_box.services import poll_open
from elections.models import Poll

pytestmark = pytest.mark.django_db

BASE_URL = "https://portal.example.org/"


def roll_addresses(meeting):
    return sorted(meeting.roll.values_list("user__email", flat=True))


def open_and_commit(poll, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        poll_open(poll=poll, actor=actor, base_url=BASE_URL)


def test_opening_a_poll_queues_its_mail_and_the_worker_sends_one_message_each(
    poll, frozen_meeting, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    open_and_commit(poll, secretariat, django_capture_on_commit_callbacks)
    # The request only queued one task: nothing composed, nothing sent yet.
    assert smtp_server.received == []
    assert not OutboxMessage.objects.exists()
    assert DBTaskResult.objects.ready().count() == 1

    run_tasks()

    addresses = roll_addresses(frozen_meeting)
    assert len(addresses) >= 2
    assert sorted(smtp_server.addresses()) == addresses
    message = smtp_server.received[0]
    assert (
        "https://portal.example.org/polls/"
        in message.get_payload()[0].get_payload(decode=True).decode()
    )
    rows = OutboxMessage.objects.filter(topic=f"poll:{poll.pk}")
    assert sorted(rows.values_list("to", flat=True)) == addresses
    assert set(rows.values_list("state", "attempts")) == {("sent", 1)}
    # The outbox keeps the address, never the body's personal data.
    for entry in frozen_meeting.roll.select_related("user", "member"):
        row = rows.get(to=entry.user.email)
        stored = str(model_to_dict(row))
        assert entry.user.display_name not in stored
        assert entry.member.name not in stored
        assert row.params == {}


def test_an_smtp_refusal_is_retried_then_shown_failed_and_sent_again_from_the_panel(
    client, poll, frozen_meeting, secretariat, smtp_server, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.OUTBOX_RETRY_DELAYS = [0, 0]  # three attempts, the retries due at once
    smtp_server.refuse = True
    login(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("elections:poll-open", args=[poll.pk]), {"without_quorum": "1"}
        )
    assert response.status_code == 302
    run_tasks()

    voters = len(roll_addresses(frozen_meeting))
    rows = OutboxMessage.objects.filter(topic=f"poll:{poll.pk}")
    assert set(rows.values_list("state", "attempts")) == {("failed", 3)}
    assert all("550" in error for error in rows.values_list("last_error", flat=True))
    assert smtp_server.attempts == 3 * voters
    assert smtp_server.received == []
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN  # the refusal undid nothing

    panel = client.get(reverse("elections:manage-poll", args=[poll.pk])).content.decode()
    assert '<dd id="mail-sent">0</dd>' in panel
    assert f'<dd id="mail-failed">{voters}</dd>' in panel
    assert 'id="retry-mail"' in panel

    smtp_server.refuse = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("elections:poll-mail-retry", args=[poll.pk]))
    assert response.status_code == 302
    run_tasks()

    assert sorted(smtp_server.addresses()) == roll_addresses(frozen_meeting)
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    panel = client.get(reverse("elections:manage-poll", args=[poll.pk])).content.decode()
    assert f'<dd id="mail-sent">{voters}</dd>' in panel
    assert 'id="retry-mail"' not in panel


def test_an_smtp_outage_never_undoes_the_action_and_the_message_waits_for_a_retry(
    poll, frozen_meeting, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    open_and_commit(poll, secretariat, django_capture_on_commit_callbacks)
    run_tasks()

    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    rows = OutboxMessage.objects.filter(topic=f"poll:{poll.pk}")
    assert set(rows.values_list("state", "attempts")) == {("queued", 1)}
    assert all("Connection" in error for error in rows.values_list("last_error", flat=True))
    # Each is due again in a minute (OUTBOX_RETRY_DELAYS[0]).
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="outbox_deliver")
    assert waiting.exists()
    assert all(55 <= (task.run_after - timezone.now()).total_seconds() <= 60 for task in waiting)


def test_only_the_secretariat_may_send_a_polls_mail_again(
    client, open_poll, individual_member, secretariat
):
    url = reverse("elections:poll-mail-retry", args=[open_poll.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    assert reverse("account_login") in client.post(url)["Location"]
    login(client, individual_member)
    assert client.post(url).status_code == 403
    login(client, secretariat)
    assert client.get(url).status_code == 405


def test_the_back_office_lists_the_failures(
    client, poll, frozen_meeting, secretariat, smtp_server, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.OUTBOX_RETRY_DELAYS = []
    smtp_server.refuse = True
    open_and_commit(poll, secretariat, django_capture_on_commit_callbacks)
    run_tasks()
    login(client, secretariat)
    listing = client.get(
        reverse("admin:association_outboxmessage_changelist"), {"state__exact": "failed"}
    )
    assert listing.status_code == 200
    page = listing.content.decode()
    for address in roll_addresses(frozen_meeting):
        assert address in page
    assert "550" in page
