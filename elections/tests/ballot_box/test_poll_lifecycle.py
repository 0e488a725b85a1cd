"""Opening, closing, counting and publishing polls; e-mails; the audit log; adoption."""

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from association.models import Document, Motion
from conftest import analog_motion, check_in, make_voters, run_tasks
from elections.ballot_box.models import AuditEntry, Ballot, Poll, canonical_ballot_set
from elections.ballot_box.services import (
    ballot_cast,
    poll_close,
    poll_open,
    poll_publish,
    poll_totals_enter,
    polls_close_due,
)


def actions(poll):
    return list(
        AuditEntry.objects.filter(poll=poll).order_by("at", "pk").values_list("action", flat=True)
    )


def test_opening_freezes_the_roll_and_emails_every_voter(
    poll,
    meeting,
    individual_member,
    unit_representative,
    secretariat,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        poll_open(poll=poll, actor=secretariat, base_url="https://portal.example.org/")
    run_tasks()

    meeting.refresh_from_db()
    assert meeting.roll_frozen
    assert set(meeting.roll.values_list("user", flat=True)) == {
        individual_member.pk,
        unit_representative.pk,
    }
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [individual_member.email, unit_representative.email]
    )
    message = mail.outbox[0]
    assert poll.subject in message.subject
    assert f"https://portal.example.org/polls/{poll.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    # The association works in Chinese: the e-mail is in Chinese whatever the sender's language.
    assert "表决已开始" in message.subject
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert actions(poll) == [AuditEntry.Action.POLL_OPENED]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLL_FROZEN)
    assert entry.actor == secretariat and entry.meeting == meeting


def test_poll_cannot_open_twice_or_with_an_empty_roll(poll, meeting, secretariat):
    with pytest.raises(ValidationError, match="empty"):
        poll_open(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT
    assert not AuditEntry.objects.filter(poll=poll).exists()


def test_closing_snapshots_attendance_counts_and_seals_the_digest(
    open_poll, individual_member, unit_representative, secretariat
):
    check_in(individual_member, open_poll.meeting)
    check_in(unit_representative, open_poll.meeting)
    ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "yes"})
    ballot_cast(poll=open_poll, actor=unit_representative, choices={"vote": "abstain"})
    assert open_poll.totals() is None  # no running count while voting

    poll_close(poll=open_poll, actor=secretariat)

    open_poll.refresh_from_db()
    assert open_poll.state == Poll.State.CLOSED
    assert (open_poll.roll_count, open_poll.present_count) == (2, 2)
    assert open_poll.totals() == {"yes": 1, "no": 0, "abstain": 1}
    text = canonical_ballot_set(open_poll)
    receipts = sorted(Ballot.objects.filter(poll=open_poll).values_list("receipt", flat=True))
    assert [line.split(" ")[0] for line in text.splitlines()] == receipts
    assert '{"vote":"abstain"}' in text
    assert open_poll.digest == hashlib.sha256(text.encode()).hexdigest()
    assert actions(open_poll) == [AuditEntry.Action.POLL_OPENED, AuditEntry.Action.POLL_CLOSED]


def test_publishing_an_adopted_charter_motion_puts_its_version_in_force(
    open_poll,
    individual_member,
    unit_representative,
    secretariat,
    django_capture_on_commit_callbacks,
):
    for user in (individual_member, unit_representative):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": "yes"})
    poll_close(poll=open_poll, actor=secretariat)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        poll_publish(poll=open_poll, actor=secretariat)
    run_tasks()

    motion = Motion.objects.get(poll=open_poll)
    version = motion.document_version
    version.refresh_from_db()
    document = Document.objects.get(pk=version.document_id)
    assert document.version_in_force == version
    assert version.adopted_by == motion
    assert version.adopted_on == open_poll.meeting.held_on
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VERSION_IN_FORCE, actor=secretariat
    ).exists()
    assert actions(open_poll)[-1] == AuditEntry.Action.RESULTS_PUBLISHED


def test_publishing_a_rejected_motion_leaves_the_document_as_it_was(
    open_poll, individual_member, unit_representative, secretariat
):
    for user, vote in ((individual_member, "yes"), (unit_representative, "no")):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": vote})
    poll_close(poll=open_poll, actor=secretariat)
    poll_publish(poll=open_poll, actor=secretariat)

    motion = Motion.objects.get(poll=open_poll)
    assert not motion.result().adopted  # 1 of 2 is less than 2/3
    assert Document.objects.get().version_in_force is None


def test_state_changes_in_the_wrong_order_are_refused(poll, open_poll, secretariat):
    with pytest.raises(ValidationError):
        poll_publish(poll=open_poll, actor=secretariat)
    with pytest.raises(ValidationError):
        poll_open(poll=open_poll, actor=secretariat)
    poll_close(poll=open_poll, actor=secretariat)
    with pytest.raises(ValidationError):
        poll_close(poll=open_poll, actor=secretariat)
    with pytest.raises(ValidationError, match="Online polls"):
        poll_totals_enter(
            poll=open_poll, actor=secretariat, totals={"yes": 1, "no": 0, "abstain": 0}
        )


def _analog_poll_61_present(meeting, secretariat, *, kind=Motion.Kind.CHARTER):
    make_voters(61)
    poll = analog_motion(meeting, kind=kind).poll
    poll_open(poll=poll, actor=secretariat)
    meeting.roll.update(present_at=meeting.starts_at)
    poll_close(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    return poll


@pytest.mark.parametrize(("yes", "adopted"), [(41, True), (40, False)])
def test_analog_charter_vote_61_present_at_the_two_thirds_edge(
    meeting, secretariat, role_groups, yes, adopted
):
    poll = _analog_poll_61_present(meeting, secretariat)
    assert poll.present_count == 61

    poll_totals_enter(
        poll=poll, actor=secretariat, totals={"yes": yes, "no": 61 - yes, "abstain": 0}
    )
    poll_publish(poll=poll, actor=secretariat)

    result = Motion.objects.get(poll=poll).result()
    assert result.adopted is adopted
    expected = "41 ≥ 2/3 × 61 = 40.67 → passed" if adopted else "40 < 2/3 × 61 = 40.67 → failed"
    assert result.vote_arithmetic == expected
    entry = AuditEntry.objects.get(poll=poll, action=AuditEntry.Action.TOTALS_ENTERED)
    assert str(yes) in entry.detail


def test_analog_totals_larger_than_those_present_are_refused(meeting, secretariat, role_groups):
    poll = _analog_poll_61_present(meeting, secretariat)

    with pytest.raises(ValidationError, match="62 ballots, more than the 61"):
        poll_totals_enter(poll=poll, actor=secretariat, totals={"yes": 60, "no": 1, "abstain": 1})
    with pytest.raises(ValidationError):
        poll_totals_enter(poll=poll, actor=secretariat, totals={"yes": -1, "no": 0, "abstain": 0})
    with pytest.raises(ValidationError):
        poll_totals_enter(poll=poll, actor=secretariat, totals={"yes": "many"})
    with pytest.raises(ValidationError, match="Enter the counted totals"):
        poll_publish(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    assert poll.counted_totals is None


def test_scheduled_closing_closes_due_polls_without_an_actor(open_poll):
    from datetime import timedelta

    from django.utils import timezone

    Poll.objects.filter(pk=open_poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    closed = polls_close_due()

    assert [poll.pk for poll in closed] == [open_poll.pk]
    entry = AuditEntry.objects.get(poll=open_poll, action=AuditEntry.Action.POLL_CLOSED)
    assert entry.actor is None


def test_casting_is_never_logged(open_poll, individual_member):
    check_in(individual_member, open_poll.meeting)
    before = AuditEntry.objects.count()
    ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "yes"})
    assert AuditEntry.objects.count() == before


def test_close_polls_command_closes_due_polls(open_poll):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    Poll.objects.filter(pk=open_poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()

    call_command("close_polls", stdout=out)

    open_poll.refresh_from_db()
    assert open_poll.state == Poll.State.CLOSED
    assert f"closed poll {open_poll.pk}" in out.getvalue()
