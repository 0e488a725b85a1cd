"""The scheduled closes (the worker's poll_close_on_time and cron's close_polls) racing each
other on PostgreSQL, committed, each in a thread with its own connection as the worker and
cron would have: the one that loses finds the poll closed and leaves it quietly."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from elections.ballot_box.services import poll_close_on_time, polls_close_due
from elections.models import AuditEntry, Poll
from elections.tests.concurrency import in_thread, side_connection, wait_for_lock_waits

pytestmark = pytest.mark.django_db(transaction=True)
STALL = 535353  # the advisory lock the first close's audit row waits on


@pytest.fixture
def due_poll(open_poll):
    Poll.objects.filter(pk=open_poll.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return Poll.objects.get(pk=open_poll.pk)


@pytest.fixture
def first_close_stalls():
    """A close in progress: the first close's audit row waits, inside its transaction, until
    the test lets it go (release())."""
    side = side_connection()
    side.execute(
        f"""
        CREATE FUNCTION test_stall_close() RETURNS trigger AS $$
        BEGIN
          IF NEW.action = 'poll_closed' THEN PERFORM pg_advisory_xact_lock_shared({STALL}); END IF;
          RETURN NEW;
        END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER test_stall_close BEFORE INSERT ON elections_auditentry
        FOR EACH ROW EXECUTE FUNCTION test_stall_close();
        """
    )
    side.execute("SELECT pg_advisory_lock(%s)", [STALL])
    held = [True]

    def release():
        if held[0]:
            side.execute("SELECT pg_advisory_unlock(%s)", [STALL])
            held[0] = False

    try:
        yield side, release
    finally:
        release()
        side.execute(
            "DROP TRIGGER test_stall_close ON elections_auditentry;"
            "DROP FUNCTION test_stall_close();"
        )
        side.close()


def _race(first, second, side, release):
    """Start `first` and hold it inside its close; start `second`, which then waits for the
    poll's lock; let the first commit; return both outcomes."""
    first_thread, first_outcome = in_thread(first)
    wait_for_lock_waits(side, 1)  # the first close waits on STALL, in its transaction
    second_thread, second_outcome = in_thread(second)
    wait_for_lock_waits(side, 2)  # the second found the poll open and waits for its lock
    release()
    first_thread.join(timeout=30)
    second_thread.join(timeout=30)
    assert not first_thread.is_alive() and not second_thread.is_alive()
    return first_outcome, second_outcome


def test_cron_close_polls_while_the_worker_closes_the_same_poll_is_quiet(
    due_poll, first_close_stalls
):
    side, release = first_close_stalls
    out = io.StringIO()

    worker, cron = _race(
        lambda: poll_close_on_time.call(due_poll.pk),
        lambda: call_command("close_polls", stdout=out),
        side,
        release,
    )

    assert worker == {"value": "closed"}
    assert "error" not in cron, cron
    assert out.getvalue() == ""  # it closed nothing itself
    assert Poll.objects.get(pk=due_poll.pk).state == Poll.State.CLOSED
    closes = AuditEntry.objects.filter(poll=due_poll, action=AuditEntry.Action.POLL_CLOSED)
    assert closes.count() == 1


def test_the_worker_while_cron_closes_the_same_poll_is_quiet(due_poll, first_close_stalls):
    side, release = first_close_stalls

    cron, worker = _race(
        lambda: [poll.pk for poll in polls_close_due()],
        lambda: poll_close_on_time.call(due_poll.pk),
        side,
        release,
    )

    assert cron == {"value": [due_poll.pk]}
    assert worker == {"value": "closed already"}
    closes = AuditEntry.objects.filter(poll=due_poll, action=AuditEntry.Action.POLL_CLOSED)
    assert closes.count() == 1
