"""The close of a poll in the database: open the sealed ballots, write them out in random
order with fresh keys, delete the sealed rows, and digest the ballot set.

Python touches each ballot once, to open its box (the key must never reach the database);
everything else is SQL: one read of the boxes, one COPY of the opened ballots into a
temporary table, one INSERT … SELECT … ORDER BY random() into the ballots, one DELETE.
"""

import hashlib
import json
import uuid

from django.db import connection

from . import sealing
from .models import Ballot, SealedBallot, canonical_line

STAGING = "ballot_box_opened"


def open_sealed_ballots(poll, private_key):
    """Replace the poll's sealed ballots with plaintext Ballots; return (number, digest).
    Runs inside the close's transaction, with the poll locked."""
    open_box = sealing.opener(private_key)
    with connection.cursor() as cursor:
        # Read in the order of the boxes' random keys, not of their casting.
        cursor.execute(
            f"SELECT box FROM {SealedBallot._meta.db_table} WHERE poll_id = %s ORDER BY id",  # noqa: S608
            [poll.pk],
        )
        opened = [open_box(box) for (box,) in cursor.fetchall()]
        rows = [(uuid.uuid4().hex, receipt, _json(choices)) for receipt, choices in opened]
        key = "uuid" if connection.vendor == "postgresql" else "char(32)"
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} (id {key}, receipt text, choices text)")
        try:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {STAGING} (id, receipt, choices) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                choices = "choices::jsonb"
            else:
                cursor.executemany(f"INSERT INTO {STAGING} VALUES (%s, %s, %s)", rows)  # noqa: S608
                choices = "choices"
            # Fresh random keys, and a physical order that is random too.
            cursor.execute(
                f"""
                INSERT INTO {Ballot._meta.db_table} (id, poll_id, receipt, choices)
                SELECT id, %s, receipt, {choices} FROM {STAGING} ORDER BY random()
                """,  # noqa: S608
                [poll.pk],
            )
        finally:
            cursor.execute(f"DROP TABLE {STAGING}")
        cursor.execute(
            f"DELETE FROM {SealedBallot._meta.db_table} WHERE poll_id = %s",  # noqa: S608
            [poll.pk],
        )
    digest = hashlib.sha256()
    for receipt, choices in sorted(opened, key=lambda ballot: ballot[0]):
        digest.update(canonical_line(receipt, choices).encode())
    return len(opened), digest.hexdigest()


def _json(choices):
    return json.dumps(choices, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def empty_digest():
    return hashlib.sha256(b"").hexdigest()
