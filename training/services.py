"""Writes of continuing education: registrations and the waiting list, check-in and
corrections, registration periods, hours earned elsewhere, certificates and reminders.

Every function is keyword-only, validates with full_clean() and runs in one transaction;
e-mails go out after the commit through the portal's one sender.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from association.outbox import send_on_commit
from common.checkin import check_in_code_verify
from elections.audit import audit_record
from elections.models import AuditEntry
from members import roles
from members.models import Member
from members.services import member_record_activity

from . import emails
from .models import (
    ZERO,
    Attendance,
    Certificate,
    OutsideHours,
    Registration,
    RegistrationPeriod,
    Reminder,
    Session,
    Training,
    add_months,
    credited_items,
)

# Reminders go this many months before a period ends, to those still short of hours.
REMINDER_MONTHS = (6, 3)


def _locked_training(training):
    return Training.objects.select_for_update().get(pk=training.pk)


def registration_create(*, training, actor, now=None):
    """Register `actor` for the training: a seat while there are seats, else the waiting list.

    Refused when the training is members-only and the actor is not a member, outside the
    registration window, and for a second live registration.
    """
    now = now or timezone.now()
    with transaction.atomic():
        training = _locked_training(training)
        if not training.is_visible_to(actor):
            raise ValidationError(_("This training is not open to you."), code="audience")
        state = training.registration_state(now)
        if state == "not_yet":
            raise ValidationError(_("Registration has not opened yet."), code="not_yet")
        if state == "closed":
            raise ValidationError(_("Registration is closed."), code="closed")
        if training.registrations.filter(user=actor).exclude(status="cancelled").exists():
            raise ValidationError(_("You are already registered."), code="duplicate")
        has_seat = training.capacity is None or training.seats_taken() < training.capacity
        registration = Registration(
            training=training,
            user=actor,
            status=Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITING,
            created_at=now,
            confirmed_at=now if has_seat else None,
        )
        registration.full_clean()
        registration.save()
    return registration


def registration_cancel(*, registration, actor, base_url="", now=None):
    """Cancel a seat or a place on the waiting list, until the training starts.

    A freed seat goes in the same transaction to the first on the waiting list, who is
    e-mailed once it has committed. Returns the registrations moved up.
    """
    now = now or timezone.now()
    with transaction.atomic():
        training = _locked_training(registration.training)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.user_id != actor.pk and not roles.is_secretariat(actor):
            raise PermissionDenied
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="cancelled")
        starts_at = training.starts_at()
        if starts_at is not None and now >= starts_at:
            raise ValidationError(
                _("The training has started; registrations can no longer be cancelled."),
                code="started",
            )
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = training_waiting_list_move_up(training=training, base_url=base_url, now=now)
    return promoted


def training_waiting_list_move_up(*, training, base_url="", now=None):
    """Give free seats to the first in line, until the seats or the list run out.

    Called after a cancellation and when the secretariat raises the capacity; nobody moves
    up once the training has started. Each person moved up is e-mailed after the commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        training = _locked_training(training)
        starts_at = training.starts_at()
        if starts_at is not None and now >= starts_at:
            return []
        free = None if training.capacity is None else training.capacity - training.seats_taken()
        waiting = training.registrations.filter(status=Registration.Status.WAITING).order_by(
            "created_at", "pk"
        )
        if free is not None:
            waiting = waiting[: max(free, 0)]
        promoted = list(waiting.select_related("user"))
        for registration in promoted:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
        if promoted:
            send_on_commit(
                emails.seat_given,
                registrations=[registration.pk for registration in promoted],
                base_url=base_url,
            )
    return promoted


def session_check_in_set_open(*, session, actor, is_open):
    """Open or close self check-in for a session (the code stays the same)."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.check_in_open != is_open:
            session.check_in_open = is_open
            session.save(update_fields=["check_in_open"])
            audit_record(
                actor=actor,
                action=(
                    AuditEntry.Action.CHECK_IN_OPENED
                    if is_open
                    else AuditEntry.Action.CHECK_IN_CLOSED
                ),
                detail=str(session),
            )
    return session


def _record_activity(*, user, session, on):
    """Attending is an activity that keeps the account's memberships in good standing."""
    with translation.override(settings.LANGUAGE_CODE):
        description = _("Continuing education: %(training)s") % {"training": session.training.title}
    for member in Member.objects.active().filter(user=user):
        member_record_activity(member=member, on=on, description=description[:200])


def attendance_check_in(*, session, user, actor, code=None):
    """Credit `user` with the session's hours. Returns False when already checked in.

    People check themselves in with the session's code while check-in is open, if they hold
    a seat; the secretariat checks in anyone registered (code=None). A session attended
    twice counts once.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("training").get(pk=session.pk)
        registration = (
            session.training.registrations.filter(user=user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if code is not None:
            check_in_code_verify(
                given=code, expected=session.check_in_code, is_open=session.check_in_open
            )
            if registration is None or registration.status != Registration.Status.CONFIRMED:
                raise ValidationError(
                    _("Only people with a seat at this training can check in."),
                    code="not_registered",
                )
        elif registration is None:
            raise ValidationError(
                _("%(name)s is not registered for this training.") % {"name": user},
                code="not_registered",
            )
        if Attendance.objects.filter(session=session, user=user).exists():
            return False
        attendance = Attendance(
            session=session,
            user=user,
            hours=session.hours,
            source=Attendance.Source.SELF if code is not None else Attendance.Source.SECRETARIAT,
            recorded_by=actor,
        )
        attendance.full_clean()
        attendance.save()
        _record_activity(user=user, session=session, on=session.date)
        audit_record(actor=actor, action=AuditEntry.Action.CHECKED_IN, detail=f"{session} · {user}")
    return True


def attendance_correct(*, session, user, hours, reason, actor):
    """Set the hours `user` is credited for `session`, with the reason (audit log).

    0 removes the attendance (checked in by mistake); up to the session's hours records or
    changes it (there but not checked in, or left early). Returns the attendance or None.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    if hours is None or hours < 0 or hours > session.hours:
        raise ValidationError(
            _("Hours must be between 0 and the session's %(hours)s.") % {"hours": session.hours},
            code="hours",
        )
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("training").get(pk=session.pk)
        attendance = Attendance.objects.filter(session=session, user=user).first()
        before = attendance.hours if attendance else ZERO
        if hours == before:
            return attendance
        if hours == 0:
            attendance.delete()
            attendance = None
        else:
            if attendance is None:
                attendance = Attendance(session=session, user=user)
                _record_activity(user=user, session=session, on=session.date)
            attendance.hours = hours
            attendance.source = Attendance.Source.CORRECTION
            attendance.recorded_by = actor
            attendance.full_clean()
            attendance.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ATTENDANCE_CORRECTED,
            detail=_("%(session)s · %(name)s: %(before)s → %(after)s hours (%(reason)s)")
            % {
                "session": session,
                "name": user,
                "before": before,
                "after": hours,
                "reason": reason,
            },
        )
    return attendance


def period_save(*, period, actor):
    """Enter or correct one of the actor's registration periods (level and first day)."""
    if period.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        period.full_clean()
        period.save()
    return period


def outside_hours_submit(*, entry, actor):
    """Submit hours earned elsewhere with their evidence, for the secretariat to review."""
    entry.user = actor
    entry.status = OutsideHours.Status.PENDING
    with transaction.atomic():
        entry.full_clean()
        entry.save()
    return entry


def outside_hours_decide(*, entry, actor, approve, reason="", base_url=""):
    """Approve or refuse (with a reason) hours earned elsewhere; the person is e-mailed."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(_("Give the reason for the refusal."), code="reason")
    with transaction.atomic():
        entry = OutsideHours.objects.select_for_update().select_related("user").get(pk=entry.pk)
        if entry.status != OutsideHours.Status.PENDING:
            raise ValidationError(_("These hours have already been decided."), code="decided")
        entry.status = OutsideHours.Status.APPROVED if approve else OutsideHours.Status.REFUSED
        entry.reason = "" if approve else reason
        entry.decided_at = timezone.now()
        entry.decided_by = actor
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            action=(
                AuditEntry.Action.OUTSIDE_HOURS_APPROVED
                if approve
                else AuditEntry.Action.OUTSIDE_HOURS_REFUSED
            ),
            detail=f"{entry.user} · {entry.title} · {entry.hours}",
        )
        send_on_commit(emails.outside_hours_decided, entry=entry.pk, base_url=base_url)
    return entry


def _holder_name(user):
    return (user.full_name or user.email)[:60]


def _issue(*, current, fields, lookup):
    """The current certificate if it states `fields`; else a new one that replaces it."""
    if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
        return current
    now = timezone.now()
    if current is not None:
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    certificate = Certificate(**lookup, **fields, issued_at=now)
    certificate.full_clean()
    certificate.save()
    return certificate


def certificate_for_training(*, user, training):
    """The attendance certificate of `user` for `training`, issued when first asked for and
    again (with a new number) when the hours credited have changed since."""
    with transaction.atomic():
        attended = list(
            Attendance.objects.filter(user=user, session__training=training)
            .select_related("session")
            .select_for_update()
        )
        if not attended:
            raise ValidationError(_("No attended session of this training."), code="none")
        current = (
            Certificate.objects.select_for_update()
            .filter(user=user, training=training, replaced_at__isnull=True)
            .first()
        )
        fields = {
            "holder_name": _holder_name(user),
            "hours": sum((row.hours for row in attended), ZERO),
            "covers_from": min(row.session.date for row in attended),
            "covers_until": max(row.session.date for row in attended),
        }
        lookup = {"kind": Certificate.Kind.ATTENDANCE, "user": user, "training": training}
        return _issue(current=current, fields=fields, lookup=lookup)


def certificate_for_period(*, period):
    """The hours certificate (继续教育学时证明) of a registration period, with its items.

    Returns (certificate, items); a new number replaces the old one when the hours changed.
    """
    with transaction.atomic():
        period = (
            RegistrationPeriod.objects.select_for_update().select_related("user").get(pk=period.pk)
        )
        items = credited_items(period.user, since=period.starts_on, until=period.ends_on)
        current = (
            Certificate.objects.select_for_update()
            .filter(period=period, replaced_at__isnull=True)
            .first()
        )
        fields = {
            "holder_name": _holder_name(period.user),
            "hours": sum((item.hours for item in items), ZERO),
            "covers_from": period.starts_on,
            "covers_until": period.ends_on,
        }
        lookup = {"kind": Certificate.Kind.PERIOD, "user": period.user, "period": period}
        return _issue(current=current, fields=fields, lookup=lookup), items


def _reminder_due(period, today):
    """The reminders due for `period` on `today`: each from its day until the period ends."""
    return [
        months
        for months in REMINDER_MONTHS
        if add_months(period.ends_on, -months) <= today <= period.ends_on
    ]


def reminders_send(*, today=None, base_url=""):
    """E-mail those still short of hours six and three months before their period ends.

    Idempotent: each reminder is recorded and sent once per period. When a run comes late
    (both reminders due), only the nearer one is sent and both are recorded. Returns the
    number of e-mails queued.
    """
    today = today or timezone.localdate()
    horizon = add_months(today, max(REMINDER_MONTHS))
    periods = (
        RegistrationPeriod.objects.with_hours()
        .short()
        .filter(starts_on__lte=today, ends_on__gte=today, ends_on__lte=horizon)
        .select_related("user")
        .prefetch_related("reminders")
    )
    sent = 0
    for period in periods:
        due = _reminder_due(period, today)
        done = {reminder.months_before for reminder in period.reminders.all()}
        nearer = min(due) if due else None
        if nearer is None or nearer in done:
            continue
        with transaction.atomic():
            for months in due:
                Reminder.objects.get_or_create(period=period, months_before=months)
            send_on_commit(
                emails.hours_reminder, period=period.pk, months=nearer, base_url=base_url
            )
        sent += 1
    return sent
