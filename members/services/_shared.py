"""What several kinds of member writes share: the staff refusals, locking an application."""

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .. import roles
from ..models import (
    Application,
    Member,
)

STAFF_CANNOT_APPLY = gettext_lazy(
    "A staff account cannot apply for membership. Sign up with a personal account to apply."
)


STAFF_CANNOT_REPRESENT = gettext_lazy(
    "A staff account (secretariat, civil affairs or administrator) cannot be a unit's voting "
    "representative: staff run or oversee the votes it would cast. The unit's representative "
    "needs a personal account."
)


# Members in these states still hold the member role (they see their page); only active
# members in good standing may vote.
MEMBER_ROLE_STATUSES = (Member.Status.ACTIVE, Member.Status.SUSPENDED)


def _refuse_staff_applicant(user):
    """Staff accounts (secretariat, civil affairs, the admin's) never apply: they would
    review or oversee their own admission. A person applies from a personal account."""
    if roles.is_staff_role(user):
        raise ValidationError(STAFF_CANNOT_APPLY, code="staff")


def _refuse_staff_representative(user):
    """No staff account represents a unit (roles.may_represent_a_unit says why)."""
    if not roles.may_represent_a_unit(user):
        raise ValidationError(STAFF_CANNOT_REPRESENT, code="staff")


def _locked(application, allowed, message):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


def _normalise_email(email):
    return BaseUserManager.normalize_email((email or "").strip())
