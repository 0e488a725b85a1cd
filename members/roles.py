"""Roles: one small check per role, and a decorator per check for views.

Roles are groups; the civil-affairs viewer's scope is `User.civil_affairs_scope`, data on
the account and not a group name.

A staff role (secretariat, civil affairs, superuser) counts only once the account has set
up two-factor login: until then `is_secretariat`, `is_civil_affairs` and `scope_of` answer
as for an ordinary signed-in user, so no page, file or service that asks them grants a
stolen password anything. The decorators send such accounts to the set-up page, where a
staff account enrols only through an e-mailed enrolment link (members.enrolment).
"""

import contextlib
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SECRETARIAT = "secretariat"
CIVIL_AFFAIRS = "civil_affairs"
MEMBER = "member"
APPLICANT = "applicant"
ROLES = [SECRETARIAT, CIVIL_AFFAIRS, MEMBER, APPLICANT]
# Not a role of its own: a grant the secretariat gives civil-affairs viewers in the admin.
TRAINING_HOURS_GROUP = "training_hours"
TRAINING_HOURS_PERMISSION = "training.view_hours_report"


def _in_group(user, name):
    if not user.is_authenticated:
        return False
    # Cache the user's group names on the instance: navigation asks several times a page.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return name in names


def remember(user, *, names, two_factor):
    """Fill the caches of _in_group and has_two_factor with answers read with the account
    (members.backends), so that the checks of its request ask the database nothing."""
    user._role_names = set(names)
    user._has_two_factor = bool(two_factor)


def has_two_factor(user):
    """Whether the account has a TOTP authenticator (cached on the instance, as the roles are:
    navigation asks several times a page)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_two_factor", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_two_factor = cached
    return cached


def forget_two_factor(user):
    """Forget the cached answer of has_two_factor (after an authenticator is added or removed)."""
    # delattr, not __dict__: request.user is a lazy proxy that forwards attribute deletion.
    with contextlib.suppress(AttributeError):
        del user._has_two_factor


def holds_secretariat_role(user):
    """The secretariat role as granted, before two-factor: for who-may-be-granted-what
    questions only (the admin, enrolment links). Privileges ask is_secretariat."""
    return user.is_authenticated and (user.is_superuser or _in_group(user, SECRETARIAT))


def is_secretariat(user):
    return holds_secretariat_role(user) and has_two_factor(user)


def is_civil_affairs(user):
    return (
        _in_group(user, CIVIL_AFFAIRS)
        and user.civil_affairs_scope_id is not None
        and has_two_factor(user)
    )


def is_member(user):
    return _in_group(user, MEMBER)


def is_applicant(user):
    return _in_group(user, APPLICANT)


def can_see_training_hours(user):
    """The secretariat, and civil-affairs viewers the secretariat has given access to the
    continuing-education hours (the TRAINING_HOURS permission, on the account or through the
    TRAINING_HOURS_GROUP group, both set in the admin). Without it a civil-affairs viewer
    sees nothing of continuing education beyond its public pages."""
    return is_secretariat(user) or (
        is_civil_affairs(user) and user.has_perm(TRAINING_HOURS_PERMISSION)
    )


def is_staff_role(user):
    """Secretariat, civil affairs, superusers or anyone allowed into the admin, as granted
    and whether or not two-factor is set up yet: the accounts two-factor applies to."""
    return user.is_authenticated and (
        user.is_staff or holds_secretariat_role(user) or _in_group(user, CIVIL_AFFAIRS)
    )


def may_represent_a_unit(user):
    """Whether the account may be a unit's voting representative (会员代表): never a staff
    account (secretariat, civil affairs, superuser or admin user, with two-factor or not).

    Decided as staff may not apply for membership (services.application_save): the
    secretariat runs the meetings, polls and elections a representative votes in, sees
    who has voted and certifies the results, and civil-affairs staff oversee the
    association from outside; a staff account casting a unit's vote would count its own
    ballots. A person who is both staff and a unit's representative votes from a personal
    account with another address. Checked wherever a representative is named: accepting
    an invitation, a handover (also from the back office) and the admission of a unit.
    Representatives named before this rule keep their terms until the next handover."""
    return not is_staff_role(user)


def may_be_an_individual_members_account(user):
    """Whether the account may be an individual member's own (its votes, dues and
    certificates): never a staff account, for the reasons of may_represent_a_unit, and as
    staff may not apply. A person who is both uses a personal account with another
    address. Checked where the back office links an account to an individual member."""
    return not is_staff_role(user)


def is_superuser(user):
    """A superuser, counted (like every staff role) only with two-factor login."""
    return user.is_authenticated and user.is_superuser and has_two_factor(user)


def may_manage_account(actor, account):
    """Whether `actor` may change or delete `account` (its password too): superusers any,
    the secretariat only accounts without a staff role (members, applicants, others), so
    that no staff account changes but by a superuser and nobody grants themselves more."""
    if is_superuser(actor):
        return True
    return is_secretariat(actor) and not is_staff_role(account)


def needs_two_factor_setup(user):
    return is_staff_role(user) and not has_two_factor(user)


def redirect_to_two_factor_setup(request):
    messages.warning(request, _("Staff accounts must set up two-factor login first."))
    return redirect("mfa_activate_totp")


def role_required(check, *, staff=False):
    """Decorator: anonymous users go to login, users failing `check` get 403.

    With staff=True a staff account that fails `check` only because it has not set up
    two-factor login yet is sent to set it up instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                if staff and needs_two_factor_setup(request.user):
                    return redirect_to_two_factor_setup(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_two_factor(view):
    """Pages that show the secretariat other people's data need its two-factor login too.

    Applicants and members reach the same pages for their own records without it.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and needs_two_factor_setup(request.user):
            return redirect_to_two_factor_setup(request)
        return view(request, *args, **kwargs)

    return wrapped


secretariat_required = role_required(is_secretariat, staff=True)
# Civil-affairs pages are open to the secretariat too; views narrow by scope (see scope_of).
civil_affairs_required = role_required(
    lambda user: is_secretariat(user) or is_civil_affairs(user), staff=True
)
member_required = role_required(is_member)
training_hours_required = role_required(can_see_training_hours, staff=True)


def is_participant(user):
    """Who may use the meeting and voting pages: members (voters) and the secretariat."""
    return is_member(user) or is_secretariat(user)


# staff=True: a secretariat account without two-factor is sent to set it up; when it is also a
# member it passes as the member it is.
participant_required = role_required(is_participant, staff=True)


def is_on_roll(user, meeting):
    """Whether the user sits on the roll of entitled voters of `meeting`."""
    return user.is_authenticated and meeting.roll.filter(user=user).exists()


def scope_of(user):
    """The division a staff user may see: None means everything (the secretariat)."""
    if is_secretariat(user):
        return None
    if is_civil_affairs(user):
        return user.civil_affairs_scope
    raise PermissionDenied
