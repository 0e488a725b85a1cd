"""Casts do not queue behind each other, and a close never races a cast (PostgreSQL,
committed: each thread has its own connection, as each web worker would)."""

import threading

import pytest
from django.db import connections

from association.models import Motion
from association.services import motion_save
from conftest import make_voters
from elections.ballot_box.models import Ballot, Participation, Poll
from elections.ballot_box.services import CastRefused, ballot_cast, poll_close, poll_open
from elections.ballot_box.tally import Base
from elections.tests.concurrency import in_thread, side_connection, wait_for_lock_waits
from members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)
STALL = 424242  # the advisory lock a test trigger waits on


def _open_poll(meeting, secretariat, voters):
    motion = Motion(
        meeting=meeting, number=7, title="议案", kind=Motion.Kind.RESOLUTION, base=Base.CAST
    )
    poll = motion_save(motion=motion, requires_presence=False).poll
    poll_open(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    return poll


def test_a_cast_does_not_wait_for_another_cast_in_progress(meeting, secretariat, role_groups):
    first, second = make_voters(2)
    poll = _open_poll(meeting, secretariat, [first, second])
    member_id = Member.objects.get(user=first).pk
    side = side_connection()
    side.execute(
        f"""
        CREATE FUNCTION test_stall_cast() RETURNS trigger AS $$
        BEGIN
          IF NEW.voter_id = {member_id} THEN PERFORM pg_advisory_xact_lock_shared({STALL}); END IF;
          RETURN NEW;
        END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER test_stall_cast BEFORE INSERT ON elections_participation
        FOR EACH ROW EXECUTE FUNCTION test_stall_cast();
        """
    )
    side.execute("SELECT pg_advisory_lock(%s)", [STALL])
    try:
        # The first voter's cast stops inside its transaction, after every lock it takes.
        stalled, stalled_outcome = in_thread(
            lambda: ballot_cast(poll=poll, actor=first, choices={"vote": "yes"})
        )
        wait_for_lock_waits(side, 1)
        other, other_outcome = in_thread(
            lambda: ballot_cast(poll=poll, actor=second, choices={"vote": "no"})
        )
        other.join(timeout=15)
        assert not other.is_alive(), "the second cast waited for the first one"
        assert "value" in other_outcome, other_outcome
        assert stalled.is_alive()
    finally:
        side.execute("SELECT pg_advisory_unlock(%s)", [STALL])
        stalled.join(timeout=30)
        side.execute(
            "DROP TRIGGER test_stall_cast ON elections_participation;"
            "DROP FUNCTION test_stall_cast();"
        )
        side.close()
    assert "value" in stalled_outcome, stalled_outcome
    assert Participation.objects.filter(poll=poll).count() == 2


CASTS = 100
WORKERS = 8


def test_casts_racing_a_close_are_either_counted_or_refused(meeting, secretariat, role_groups):
    voters = make_voters(CASTS)
    poll = _open_poll(meeting, secretariat, voters)
    todo = list(voters)
    lock = threading.Lock()
    acknowledged, refused, errors = [], [], []
    started = threading.Event()

    def worker():
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    user = todo.pop()
                    if len(todo) < CASTS - 2 * WORKERS:
                        started.set()
                try:
                    receipt = ballot_cast(poll=poll, actor=user, choices={"vote": "yes"})
                except CastRefused as error:
                    with lock:
                        refused.append(error.code)
                except Exception as error:  # noqa: BLE001 - reported below
                    with lock:
                        errors.append(repr(error))
                else:
                    with lock:
                        acknowledged.append(receipt)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    started.wait(timeout=60)
    closer, closed = in_thread(lambda: poll_close(poll=poll, actor=secretariat))
    for thread in threads:
        thread.join(timeout=120)
    closer.join(timeout=120)

    assert not errors, errors
    assert "value" in closed, closed
    # How many casts land before the close is up to the scheduler (all of them, on a quiet
    # machine, sometimes): whatever the interleaving, every refusal is "late".
    assert acknowledged, refused
    assert set(refused) <= {"late"}
    assert len(acknowledged) + len(refused) == CASTS
    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED
    # Every acknowledged ballot is in the sealed set, and nothing came in after the seal.
    counted = set(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))
    assert counted == set(acknowledged)
    assert Participation.objects.filter(poll=poll).count() == len(acknowledged)
    assert poll.counted_totals["yes"] == len(acknowledged)
