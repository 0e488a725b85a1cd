"""A member's standing: status, profile changes, tier, dues and activity."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Activity,
    DuesPayment,
    Member,
    MemberChange,
)
from .accounts import account_roles_sync
from .numbers import certificate_issue


@transaction.atomic
def member_status_change(*, member, status, reason, actor, on=None):
    """Suspend, reinstate, record a departure or an expulsion, with its date and reason.

    Leaving or expulsion ends the membership that day (member_until) and revokes the
    certificate; the voting account loses the member role unless it has another membership.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if status == member.status:
        raise ValidationError({"status": _("The member already has this status.")})
    if status != Member.Status.ACTIVE and not reason:
        raise ValidationError({"reason": _("Give the reason for this change.")})
    previous = member.get_status_display()
    member.status = status
    member.status_since = on
    member.status_reason = reason
    if status in (Member.Status.LEFT, Member.Status.EXPELLED):
        member.member_until = max(on, member.member_since)
        member.certificates.filter(revoked_on__isnull=True).update(revoked_on=on)
    elif status == Member.Status.ACTIVE and member.member_until and member.member_until < on:
        member.member_until = None
    member.full_clean()
    member.save()
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.STATUS,
        changed_by=actor,
        details=f"{previous} → {member.get_status_display()}",
        reason=reason,
    )
    if member.user_id:
        account_roles_sync(user=member.user)
    return member


@transaction.atomic
def member_update(*, member, changes, actor, reason="", action=MemberChange.Action.PROFILE):
    """Apply field changes (a dict) to a member and record which fields changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = []
    for field, value in changes.items():
        if getattr(member, field) != value:
            changed.append(str(Member._meta.get_field(field).verbose_name))
            setattr(member, field, value)
    if not changed:
        return member
    # Validate what changes (and the constraints): an old gap elsewhere in an imported record
    # must not stop a member from correcting their phone number.
    untouched = [field.name for field in Member._meta.fields if field.name not in changes]
    member.full_clean(exclude=untouched)
    member.save()
    MemberChange.objects.create(
        member=member,
        action=action,
        changed_by=actor,
        details=_("Changed: %(fields)s") % {"fields": "、".join(changed)},
        reason=reason,
    )
    return member


@transaction.atomic
def member_tier_change(*, member, tier, actor, reason=""):
    """Move a member to another tier (e.g. elected to the council) and reissue the
    certificate, which shows the tier."""
    if tier == member.tier:
        raise ValidationError({"tier": _("The member already has this tier.")})
    previous = member.get_tier_display()
    member = member_update(
        member=member,
        changes={"tier": tier},
        actor=actor,
        reason=reason,
        action=MemberChange.Action.TIER,
    )
    change = member.changes.first()
    change.details = f"{previous} → {member.get_tier_display()}"
    change.save(update_fields=["details"])
    if member.status == Member.Status.ACTIVE and member.number:
        certificate_issue(member=member, actor=actor)
    return member


@transaction.atomic
def dues_record(*, member, year, amount, paid_on, receipt_number, actor, note=""):
    """Record a dues payment and the receipt the secretariat issued for it."""
    payment = DuesPayment(
        member=member,
        year=year,
        amount=amount,
        paid_on=paid_on,
        receipt_number=(receipt_number or "").strip(),
        note=note,
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def member_record_activity(*, member, on, description):
    """Record that the member joined an activity on `on` (e.g. checked in to a meeting).

    Activities keep a member in good standing (see Member.is_in_good_standing). Recording
    the same activity twice is harmless: the existing record is returned.
    """
    description = (description or "").strip()
    activity = Activity.objects.filter(member=member, on=on, description=description).first()
    if activity is not None:
        return activity
    activity = Activity(member=member, on=on, description=description)
    activity.full_clean()
    activity.save()
    return activity
