"""Counting a board election round in the database: per position the ballots cast, invalid
and blank, and each candidate's "yes" and "no" on the valid ballots, by one pass of
PostgreSQL over the ballots' JSON (board.tally decides from these counts). Elsewhere (SQLite,
the quick start) the same counts are made in Python by tally.count_position.
"""

import json

from django.db import connection

from elections.ballot_box.models import Ballot

from . import tally

# marks: one row per (ballot, position, candidate) mark; judged: per (ballot, position)
# whether it is invalid (more "yes" than seats). A ballot with no mark for a position has no
# row: it is blank there. Then per position (invalid, marked at all), and per candidate
# (yes, no) on the valid ballots.
_COUNT = f"""
    WITH seats AS (
        SELECT key AS position, value::int AS seats FROM jsonb_each_text(%s::jsonb)
    ),
    marks AS (
        SELECT b.id AS ballot, p.key AS position, m.key AS candidate, m.value #>> '{{}}' AS mark
        FROM {Ballot._meta.db_table} b
        CROSS JOIN LATERAL jsonb_each(b.choices -> 'positions') p
        CROSS JOIN LATERAL jsonb_each(p.value) m
        WHERE b.poll_id = %s AND jsonb_typeof(p.value) = 'object'
    ),
    judged AS (
        SELECT k.ballot, k.position, count(*) FILTER (WHERE k.mark = 'yes') > s.seats AS invalid
        FROM marks k JOIN seats s USING (position)
        GROUP BY k.ballot, k.position, s.seats
    )
    SELECT position, NULL, count(*) FILTER (WHERE invalid), count(*), 0
    FROM judged GROUP BY position
    UNION ALL
    SELECT k.position, k.candidate, count(*) FILTER (WHERE k.mark = 'yes'),
           count(*) FILTER (WHERE k.mark = 'no'), 1
    FROM marks k JOIN judged j USING (ballot, position)
    WHERE NOT j.invalid
    GROUP BY k.position, k.candidate
"""  # noqa: S608 - the table name comes from the model


def count_round(poll, specs):
    """(cast, {position key: tally.PositionCounts}) for the ballots of a closed round."""
    specs = list(specs)
    if connection.vendor != "postgresql":
        ballots = list(poll.ballots.values_list("choices", flat=True))
        return len(ballots), {s.key: tally.count_position(s, ballots) for s in specs}
    seats = json.dumps({spec.key: spec.seats for spec in specs})
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [seats, poll.pk])
        rows = cursor.fetchall()
    cast = poll.ballots.count()
    marked, marks = {}, {}
    for position, candidate, first, second, is_candidate in rows:
        if is_candidate:
            marks.setdefault(position, {})[candidate] = (first, second)
        else:
            marked[position] = (first, second)  # invalid, marked at all
    counts = {}
    for spec in specs:
        invalid, any_mark = marked.get(spec.key, (0, 0))
        counts[spec.key] = tally.PositionCounts(
            cast=cast,
            invalid=invalid,
            blank=cast - any_mark,
            marks={c: marks.get(spec.key, {}).get(c, (0, 0)) for c in spec.candidates},
        )
    return cast, counts


def stored_counts(poll, specs):
    """(cast, {position key: tally.PositionCounts}) as the close stored them in the poll's
    counted_totals (BoardElectionKind.count_ballots), or None where they are not all there
    (a round closed before the marks were stored, or not closed yet)."""
    totals = poll.counted_totals if poll.is_finished else None
    if not isinstance(totals, dict) or not isinstance(totals.get("positions"), dict):
        return None
    counts = {}
    for spec in specs:
        stored = totals["positions"].get(spec.key)
        if not isinstance(stored, dict) or not isinstance(stored.get("marks"), dict):
            return None
        counts[spec.key] = tally.PositionCounts(
            cast=totals["cast"],
            invalid=stored["invalid"],
            blank=stored["blank"],
            marks={c: tuple(stored["marks"].get(c, (0, 0))) for c in spec.candidates},
        )
    return totals["cast"], counts


def count_tally(poll, specs, *, mode):
    """The round's tally (board.tally.BoardTally), counted from its ballots by the
    database: what the close stores."""
    specs = list(specs)
    cast, counts = count_round(poll, specs)
    return tally.tally_counted(specs, cast, counts, mode=mode)


def tally_round(poll, specs, *, mode):
    """The round's tally for the pages and exports: decided from the counts stored at the
    close, which never change once it is closed, else counted (count_tally). A results
    page of 10,000 ballots used to count them again on every view."""
    specs = list(specs)
    stored = stored_counts(poll, specs)
    if stored is None:
        return count_tally(poll, specs, mode=mode)
    return tally.tally_counted(specs, *stored, mode=mode)
