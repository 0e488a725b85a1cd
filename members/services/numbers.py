"""Member numbers and membership certificates."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.models import AssociationProfile

from ..models import (
    Certificate,
    Member,
    MemberChange,
    MemberNumberSequence,
)


def _format_number(prefix, year, sequence):
    return f"{prefix}-{year}-{sequence:04d}"


def _highest_existing_number(prefix, year):
    start = f"{prefix}-{year}-"
    highest = 0
    for number in Member.objects.filter(number__startswith=start).values_list("number", flat=True):
        suffix = number[len(start) :]
        if suffix.isdigit():
            highest = max(highest, int(suffix))
    return highest


def member_number_next(*, year):
    """The next free member number of `year`, e.g. XCSW-2026-0001.

    The year's sequence row is locked (SELECT ... FOR UPDATE) until the caller's transaction
    ends, so two admissions at the same moment never get the same number; numbers already
    used (imported members) are skipped. Must run inside a transaction.
    """
    prefix = AssociationProfile.current().member_number_prefix or "SW"
    try:
        with transaction.atomic():
            MemberNumberSequence.objects.get_or_create(
                prefix=prefix,
                year=year,
                defaults={"last": _highest_existing_number(prefix, year)},
            )
    except IntegrityError:
        pass  # Another transaction created the row first; we lock it below.
    sequence = MemberNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    candidate = sequence.last + 1
    while Member.objects.filter(number=_format_number(prefix, year, candidate)).exists():
        candidate += 1
    sequence.last = candidate
    sequence.save(update_fields=["last"])
    return _format_number(prefix, year, candidate)


@transaction.atomic
def certificate_issue(*, member, actor=None, on=None):
    """Issue a new certificate (会员证) for the member, revoking the one it replaces."""
    on = on or timezone.localdate()
    if member.status != Member.Status.ACTIVE or not member.number:
        raise ValidationError(
            _("Only an active member with a member number can be issued a certificate.")
        )
    member.certificates.filter(revoked_on__isnull=True).update(revoked_on=on)
    certificate = Certificate(
        member=member,
        tier=member.tier,
        issued_on=on,
        valid_until=Certificate.validity_end(on, member.member_until),
        issued_by=actor,
    )
    certificate.full_clean()
    certificate.save()
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.CERTIFICATE,
        changed_by=actor,
        details=_("Certificate valid until %(date)s.") % {"date": certificate.valid_until},
    )
    return certificate
