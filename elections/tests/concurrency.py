"""Racing ballots and closes: several attempts by one voter released at the same moment,
work in a thread with a connection of its own, and a side connection to steer the race."""

import threading

import psycopg
from django.db import connection, connections

from elections.ballot_box.services import AlreadyVoted, ballot_cast


def cast_at_once(poll, actor, choices):
    """Cast each of `choices` for `actor` in a thread of its own, all at once, and return
    the outcomes: ("cast", receipt), ("already", None) or ("error", what went wrong)."""
    barrier = threading.Barrier(len(choices))
    outcomes = []
    lock = threading.Lock()

    def attempt(marked):
        try:
            barrier.wait()
            outcome = ("cast", ballot_cast(poll=poll, actor=actor, choices=marked))
        except AlreadyVoted:
            outcome = ("already", None)
        except Exception as error:  # noqa: BLE001 - the test reports it as a failure
            outcome = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(marked,)) for marked in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def side_connection():
    """A connection to the test database outside Django, in autocommit: to hold advisory
    locks, add test triggers and watch pg_stat_activity while the threads race."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        autocommit=True,
    )


def in_thread(target):
    """Start `target` in a thread with its own database connection; return the thread and
    the dict that receives its "value" or its "error"."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as error:  # noqa: BLE001 - the test reports it
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_for_lock_waits(side, count):
    """Until `count` sessions of this test database wait on a lock (the state the test
    needs, not a time); other databases' tests on the same server are not counted."""
    for _attempt in range(400):
        waiting = side.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()[0]
        if waiting >= count:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"fewer than {count} sessions ever waited on a lock")
