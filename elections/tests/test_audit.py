"""audit_record: the one writer of the audit log, for meetings, polls and elections alike."""

from elections.audit import audit_record
from elections.ballot_box.models import AuditEntry


def test_an_entry_on_a_poll_belongs_to_the_poll_meeting(poll, secretariat):
    entry = audit_record(actor=secretariat, action=AuditEntry.Action.POLL_OPENED, poll=poll)
    entry.refresh_from_db()
    assert (entry.actor, entry.poll, entry.meeting) == (secretariat, poll, poll.meeting)
    assert entry.election is None


def test_an_entry_names_its_meeting_when_given_and_may_have_no_actor(meeting):
    entry = audit_record(
        actor=None, action=AuditEntry.Action.ROLL_FROZEN, meeting=meeting, detail="x" * 400
    )
    entry.refresh_from_db()
    assert entry.meeting == meeting and entry.actor is None
    assert entry.detail == "x" * 300  # cut to the column's length, never refused
