"""The audit log's one writer, used by every app: who did what, when, and to what.

Services write the entry inside the transaction of the change it records, so the log holds
a change exactly when the change happened. Ballots are never logged (a Participation records
that someone voted, nothing records how).
"""

from .ballot_box.models import AuditEntry

DETAIL_LENGTH = AuditEntry._meta.get_field("detail").max_length


def audit_record(*, actor, action, meeting=None, poll=None, election=None, detail=""):
    """Record `action` (an AuditEntry.Action) by `actor` (None: the portal on its own, such
    as a poll closing at its time) on a meeting, poll or election.

    Without a meeting, the entry gets the election's or the poll's, so that every entry can
    be found from the meeting it belongs to. A long detail is cut to fit.
    """
    if meeting is not None:
        meeting_id = meeting.pk
    else:
        source = election if election is not None else poll
        meeting_id = source.meeting_id if source is not None else None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        meeting_id=meeting_id,
        poll=poll,
        election=election,
        detail=str(detail)[:DETAIL_LENGTH],
    )
