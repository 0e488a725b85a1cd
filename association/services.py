"""Writes that touch several models: meetings' rolls and attendance, motions, documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.checkin import check_in_code_verify
from elections.audit import audit_record
from elections.models import AuditEntry, Participation, Poll
from members.models import Member
from members.services import member_record_activity

from .models import CouncilMembership, DocumentVersion, Meeting, Motion, RollEntry


def entitled_members(meeting):
    """Who may sit on the meeting's roll: members in good standing on the meeting's day with a
    voting account; for council meetings only those holding a council seat that day."""
    on = meeting.held_on
    members = Member.objects.in_good_standing(on).filter(user__isnull=False)
    if meeting.body != Meeting.Body.GENERAL_ASSEMBLY:
        seats = CouncilMembership.objects.current(body=meeting.body, on=on)
        members = members.filter(pk__in=seats.values("member_id"))
    return members


def meeting_roll_freeze(*, meeting, actor):
    """Freeze the roll of entitled voters and open check-in. Returns the number of entries.

    The roll stores each member with the account voting for it at this moment, so a later
    change of a unit's representative does not move a seat during the meeting. An account
    that holds several memberships gets one seat (one person, one vote).
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.roll_frozen:
            raise ValidationError(_("The roll of this meeting is already frozen."), code="frozen")
        seen = set()
        entries = []
        for member_id, user_id in (
            entitled_members(meeting).order_by("number", "pk").values_list("pk", "user_id")
        ):
            if user_id in seen:
                continue
            seen.add(user_id)
            entries.append(RollEntry(meeting=meeting, member_id=member_id, user_id=user_id))
        RollEntry.objects.bulk_create(entries)
        meeting.roll_frozen_at = timezone.now()
        meeting.check_in_open = True
        meeting.save(update_fields=["roll_frozen_at", "check_in_open"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ROLL_FROZEN,
            meeting=meeting,
            detail=_("%(count)s entitled voters") % {"count": len(entries)},
        )
    return len(entries)


def meeting_check_in_set_open(*, meeting, actor, is_open):
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.roll_frozen:
            raise ValidationError(_("Freeze the roll before opening check-in."), code="not_frozen")
        if meeting.check_in_open == is_open:
            return meeting
        meeting.check_in_open = is_open
        meeting.save(update_fields=["check_in_open"])
        audit_record(
            actor=actor,
            action=(
                AuditEntry.Action.CHECK_IN_OPENED if is_open else AuditEntry.Action.CHECK_IN_CLOSED
            ),
            meeting=meeting,
        )
    return meeting


def roll_entry_check_in(*, entry, actor, code=None):
    """Mark a voter present. Voters check themselves in with the meeting's code while check-in
    is open; the secretariat checks anyone in (code=None). Returns False if already present.

    Attendance is an activity that keeps the member in good standing.
    """
    with transaction.atomic():
        entry = (
            RollEntry.objects.select_for_update()
            .select_related("meeting", "member")
            .get(pk=entry.pk)
        )
        meeting = entry.meeting
        if code is not None:
            check_in_code_verify(
                given=code, expected=meeting.check_in_code, is_open=meeting.check_in_open
            )
        if entry.present_at is not None:
            return False
        entry.present_at = timezone.now()
        entry.checked_in_by = actor
        entry.save(update_fields=["present_at", "checked_in_by"])
        with translation.override(settings.LANGUAGE_CODE):
            description = _("Attended %(meeting)s") % {"meeting": meeting.title}
        member_record_activity(
            member=entry.member, on=timezone.localdate(entry.present_at), description=description
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHECKED_IN,
            meeting=meeting,
            detail=entry.member.name,
        )
    return True


def roll_entry_check_in_undo(*, entry, actor):
    """Undo a check-in made by mistake, unless the voter has already voted at this meeting."""
    with transaction.atomic():
        entry = (
            RollEntry.objects.select_for_update()
            .select_related("meeting", "member")
            .get(pk=entry.pk)
        )
        if entry.present_at is None:
            return False
        if Participation.objects.filter(poll__meeting=entry.meeting, voter=entry.member).exists():
            raise ValidationError(
                _("%(name)s has already voted at this meeting, so the check-in stays.")
                % {"name": entry.member.name},
                code="voted",
            )
        entry.present_at = None
        entry.checked_in_by = None
        entry.save(update_fields=["present_at", "checked_in_by"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHECK_IN_UNDONE,
            meeting=entry.meeting,
            detail=entry.member.name,
        )
    return True


def motion_save(
    *,
    motion,
    secret=True,
    method=Poll.Method.ONLINE,
    requires_presence=True,
    opens_at=None,
    closes_at=None,
):
    """Create or change a motion together with its poll (the ballot box that will count it).

    Once voting has opened, neither the motion nor its poll may change: a threshold or a
    wording changed during the vote would change what the voters voted on.
    """
    with transaction.atomic():
        poll = motion.poll
        if poll is not None:
            poll = Poll.objects.select_for_update().get(pk=poll.pk)
            if poll.state != Poll.State.DRAFT:
                raise ValidationError(
                    _("Voting on this motion has opened; it can no longer be changed."),
                    code="locked",
                )
        else:
            poll = Poll(kind=Poll.Kind.MOTION)
        motion.full_clean(exclude=["poll"])
        poll.meeting = motion.meeting
        poll.subject = motion.title
        poll.secret = secret
        poll.method = method
        poll.requires_presence = requires_presence
        poll.opens_at = opens_at
        poll.closes_at = closes_at
        poll.full_clean()
        poll.save()
        motion.poll = poll
        motion.save()
    return motion


def document_version_put_in_force(*, version, motion, actor):
    """Make `version` the document's wording in force, adopted by `motion` on its voting day.

    The only way a version comes into force: there is no field for it in the admin.
    """
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update()
            .select_related("document")
            .get(pk=version.pk)
        )
        document = version.document
        closed_at = motion.poll.closed_at if motion.poll else None
        version.adopted_on = timezone.localdate(closed_at) if closed_at else timezone.localdate()
        version.adopted_by = motion
        version.save(update_fields=["adopted_on", "adopted_by"])
        document.version_in_force = version
        document.save(update_fields=["version_in_force"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.VERSION_IN_FORCE,
            meeting=motion.meeting,
            poll=motion.poll,
            detail=str(version),
        )
    return version


def motion_result_apply(*, motion, actor):
    """After publication: an adopted motion puts its document version in force."""
    motion = Motion.objects.select_related("meeting", "poll", "document_version").get(pk=motion.pk)
    result = motion.result()
    if result is not None and result.adopted and motion.document_version is not None:
        document_version_put_in_force(version=motion.document_version, motion=motion, actor=actor)
    return result
