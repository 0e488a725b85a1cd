"""Racing ballots: several attempts by one voter, released at the same moment."""

import threading

from django.db import connections

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
