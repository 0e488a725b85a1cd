"""Demo accounts, one per role, with the passwords the README lists (development only)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from stations.models import Division

from . import roles
from .models import Member, User

DEMO_PASSWORD = "demo-2026-pass"

# (e-mail, full name, role group, is_staff, civil-affairs scope: None, "city" or "county")
DEMO_USERS = [
    ("mishu@example.org", "王敏", roles.SECRETARIAT, True, None),
    ("minzheng@example.org", "赵强", roles.CIVIL_AFFAIRS, False, "city"),
    ("weidu@example.org", "孙丽", roles.CIVIL_AFFAIRS, False, "county"),
    ("huiyuan@example.org", "陈静", roles.MEMBER, False, None),
    ("shenqing@example.org", "周楠", roles.APPLICANT, False, None),
]


def demo_user(email, full_name, *, group=None, is_staff=False, scope=None):
    """Create or refresh one verified demo account."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0]}
    )
    user.full_name = full_name
    user.is_staff = is_staff
    user.civil_affairs_scope = scope
    user.consent_at = user.consent_at or timezone.now()
    if created:
        user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def seed(*, log):
    city = Division.objects.filter(level=Division.Level.CITY).order_by("code").first()
    county = Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()
    scopes = {None: None, "city": city, "county": county}
    users = {}
    for email, full_name, group, is_staff, scope in DEMO_USERS:
        users[group] = demo_user(
            email, full_name, group=group, is_staff=is_staff, scope=scopes[scope]
        )
    Member.objects.update_or_create(
        number="XCSW-2023-0001",
        defaults={
            "kind": Member.Kind.INDIVIDUAL,
            "name": "陈静",
            "county": county,
            "user": users[roles.MEMBER],
        },
    )
    log(f"members: {len(DEMO_USERS)} demo accounts (password {DEMO_PASSWORD})")
