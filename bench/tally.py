"""Benchmark: closing, counting and publishing 10,000 ballots, against plain SQL.

Builds N voters (default 10,000) on a frozen roll, all checked in, with an open secret motion
and an open first round of a council election (19 seats, 20 candidates, 同意 / 不同意 / 弃权
per candidate) at the same meeting, and has every voter cast both ballots through
`ballot_cast`, the service the cast page calls, in random order of voters: the first 500 one
cast at a time, the rest from two threads (one per poll). Then, each as a ratio against a
baseline measured in the same run:

1. One cast: the median time of an election ballot's `ballot_cast` ÷ a motion ballot's,
   over the first 500 voters, alternating which of the two goes first.
2. `poll_close` of the motion ÷ the baseline: opening the same sealed boxes in a bare loop
   (when ballots are sealed) plus the same ballots counted by one SQL GROUP BY.
3. `poll_close` of the election round ÷ its baseline: one GROUP BY over the candidates' marks
   in the ballots' jsonb, JIT off (plus opening the boxes likewise).
4. Counting a closed poll again (the ballot kind's count_ballots) ÷ the GROUP BY alone.
5. The bulletin board page ÷ the results page of each closed poll (the secretariat's preview,
   through Django's test client, median of 10 requests).

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and creates and drops its own test database (test_<name>):

    .venv/bin/python bench/tally.py [--ballots 10000]
"""

import argparse
import random
import statistics
import sys
import threading
import time

from _django import start  # noqa: E402

start("portal_bench")

from _measure import timed  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

from bench.ballot_box import build  # noqa: E402
from elections.ballot_box.services import ballot_cast, poll_close  # noqa: E402
from elections.board.models import Round  # noqa: E402

try:  # ballots sealed while the poll is open (issue 11): their opening is in the baseline
    from elections.ballot_box import sealing
except ImportError:
    sealing = None
from elections.models import Ballot, Poll  # noqa: E402

SEATS, CANDIDATES = 19, 20
MARKS = ("yes", "no", "abstain")
PAGE_REQUESTS = 10
TIMED_CASTS = 500  # voters whose two casts are timed one at a time


def best_of(runs, function, *args):
    """The fastest of `runs` calls: the baseline's own cost, without the machine's noise."""
    return min(timed(function, *args)[0] for _ in range(runs))


def open_in_a_bare_loop(poll):
    """Seconds to open every sealed box of an open poll in a plain loop (0 while ballots are
    stored in the clear): what any close of sealed ballots must spend at least."""
    if sealing is None or not hasattr(poll, "sealed_ballots"):
        return 0.0
    start = time.perf_counter()
    open_box = sealing.opener(sealing.unwrap(poll.wrapped_key))
    for box in poll.sealed_ballots.values_list("box", flat=True).iterator(2000):
        open_box(box)
    return time.perf_counter() - start


def motion_group_by(poll):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT choices->>'vote', count(*) FROM {Ballot._meta.db_table} "  # noqa: S608
            "WHERE poll_id = %s GROUP BY 1",
            [poll.pk],
        )
        return cursor.fetchall()


def election_group_by(poll):
    """Every candidate's marks counted in SQL from the ballots' jsonb, JIT off."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            "SELECT p.key, m.key, m.value, count(*) "
            f"FROM {Ballot._meta.db_table} b, "  # noqa: S608
            "jsonb_each(b.choices->'positions') p, jsonb_each_text(p.value) m "
            "WHERE b.poll_id = %s GROUP BY 1, 2, 3",
            [poll.pk],
        )
        return cursor.fetchall()


def page_time(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(PAGE_REQUESTS):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=10_000, help="voters, each casting two")
    args = parser.parse_args()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        setup_test_environment(debug=False)
        actor = build.secretariat()
        users = build.voters(args.ballots)
        assembly = build.meeting(actor=actor)
        motion = build.open_motion(assembly, actor=actor)
        election = build.open_election(
            assembly, actor=actor, seats=SEATS, candidates=users[:CANDIDATES]
        )
        specs = Round.objects.get(poll=election).specs()
        rng = random.Random(11)

        def election_choices():
            return {
                "positions": {
                    spec.key: {key: rng.choice(MARKS) for key in spec.candidates} for spec in specs
                }
            }

        motion_casts, election_casts = [], []
        order = list(users)
        rng.shuffle(order)
        ballots = [(user, {"vote": rng.choice(MARKS)}, election_choices()) for user in order]
        started = time.perf_counter()
        # The first voters one at a time, both ballots, in alternating order: the cast ratio.
        timed_voters, rest = ballots[:TIMED_CASTS], ballots[TIMED_CASTS:]
        for number, (user, vote, marks) in enumerate(timed_voters):
            pair = [(motion, vote, motion_casts), (election, marks, election_casts)]
            if number % 2:
                pair.reverse()
            for poll, choices, times in pair:
                seconds, _ = timed(ballot_cast, poll=poll, actor=user, choices=choices)
                times.append(seconds)

        # The rest as fast as the box takes them: one thread per poll.
        def fill(poll, index):
            try:
                for user, *choices in rest:
                    ballot_cast(poll=poll, actor=user, choices=choices[index])
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=fill, args=(motion, 0)),
            threading.Thread(target=fill, args=(election, 1)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"  {2 * len(ballots):,} ballots cast in {time.perf_counter() - started:.0f} s")

        figures = {}
        for name, poll, group_by in (
            ("motion", motion, motion_group_by),
            ("election", election, election_group_by),
        ):
            opening = open_in_a_bare_loop(Poll.objects.get(pk=poll.pk))
            close_seconds, _ = timed(poll_close, poll=poll, actor=actor)
            poll = Poll.objects.get(pk=poll.pk)
            assert Ballot.objects.filter(poll=poll).count() == args.ballots
            group_by_seconds = best_of(3, group_by, poll)
            baseline = opening + group_by_seconds
            count_seconds = min(timed(poll.kind_handler().count_ballots, poll)[0] for _ in range(3))
            client = Client()
            client.force_login(actor)
            results = page_time(client, reverse("elections:poll-results", args=[poll.pk]))
            board = page_time(client, reverse("elections:poll-bulletin", args=[poll.pk]))
            figures[name] = (
                close_seconds,
                baseline,
                group_by_seconds,
                count_seconds,
                results,
                board,
            )

        motion_cast = statistics.median(motion_casts)
        election_cast = statistics.median(election_casts)
        print(
            f"ballots: {args.ballots:,} motion, {args.ballots:,} election ({CANDIDATES} candidates)"
        )
        print(
            f"one cast (ballot_cast, median of {len(motion_casts)}): election "
            f"{election_cast * 1000:.1f} ms, motion {motion_cast * 1000:.1f} ms: "
            f"{election_cast / motion_cast:.2f}× (target ≤ 1.3×)"
        )
        for name, figure in figures.items():
            close_seconds, baseline, group_by_seconds, count_seconds, results, board = figure
            print(
                f"{name} poll_close: {close_seconds:.2f} s, baseline {baseline * 1000:.0f} ms "
                f"(opening the boxes {(baseline - group_by_seconds) * 1000:.0f} ms): "
                f"{close_seconds / baseline:.1f}× (target ≤ 3×)"
            )
            print(
                f"{name} count_ballots again: {count_seconds * 1000:.0f} ms, "
                f"{count_seconds / group_by_seconds:.1f}× the GROUP BY alone"
            )
            print(
                f"{name} bulletin board {board * 1000:.0f} ms ÷ results {results * 1000:.0f} ms: "
                f"{board / results:.1f}× (target ≤ 2×)"
            )
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
