"""Roles: one small check per role, and a decorator per check for views.

Roles are groups; the civil-affairs viewer's scope is `User.civil_affairs_scope`, data on
the account and not a group name. Staff roles (secretariat, civil affairs) must have set up
two-factor login before they reach any staff page: the decorators send them to set it up.
"""

from functools import wraps

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


def is_secretariat(user):
    return user.is_authenticated and (user.is_superuser or _in_group(user, SECRETARIAT))


def is_civil_affairs(user):
    return _in_group(user, CIVIL_AFFAIRS) and user.civil_affairs_scope_id is not None


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
    """Secretariat, civil affairs, or anyone allowed into the admin: two-factor applies."""
    return user.is_authenticated and (
        user.is_staff or is_secretariat(user) or _in_group(user, CIVIL_AFFAIRS)
    )


def has_two_factor(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_two_factor_setup(user):
    return is_staff_role(user) and not has_two_factor(user)


def redirect_to_two_factor_setup(request):
    messages.warning(request, _("Staff accounts must set up two-factor login first."))
    return redirect("mfa_activate_totp")


def role_required(check, *, staff=False):
    """Decorator: anonymous users go to login, users failing `check` get 403.

    With staff=True the user must also have two-factor login set up.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            if staff and needs_two_factor_setup(request.user):
                return redirect_to_two_factor_setup(request)
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


# staff=True: the secretariat must have two-factor login; members are not staff, so for them
# it changes nothing.
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
