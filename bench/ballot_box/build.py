"""Builders of the ballot-box benchmarks: voters on a frozen roll, a motion, an election.

Everything goes through the product's services (motion_save, poll_open, election_create,
candidate_nominate, election_open), so the polls are what a secretariat would open.
"""

import datetime
from importlib import import_module

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from association.models import Meeting, Motion, RollEntry
from association.services import meeting_roll_freeze, motion_save
from elections.ballot_box.services import poll_open
from elections.board.models import Election, Office, Term, add_years
from elections.board.services import candidate_nominate, election_create, election_open
from members import roles
from members.demo import members_in_good_standing
from members.models import Member, User


def secretariat():
    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user(
        username="bench-secretariat", email="bench-secretariat@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    TOTP.activate(user, generate_totp_secret())  # staff privileges need two-factor login
    return user


def voters(count, *, prefix="voter"):
    """`count` individual members in good standing, each with an account."""
    return members_in_good_standing(count, prefix=prefix)


def meeting(*, actor, title="第一届会员代表大会第二次会议"):
    """A general assembly now, its roll frozen (everyone in good standing) and checked in."""
    assembly = Meeting.objects.create(
        title=title,
        body=Meeting.Body.GENERAL_ASSEMBLY,
        starts_at=timezone.now(),
        place="许昌市魏都区示范路1号",
        mode=Meeting.Mode.HYBRID,
    )
    meeting_roll_freeze(meeting=assembly, actor=actor)
    RollEntry.objects.filter(meeting=assembly).update(present_at=timezone.now())
    return assembly


def open_motion(assembly, *, actor, number=1):
    """An open secret poll on a resolution of `assembly`."""
    motion = motion_save(
        motion=Motion(
            meeting=assembly,
            number=number,
            title=f"关于第{number}号议案的决议",
            text="请各位会员代表审议。",
            kind=Motion.Kind.RESOLUTION,
        )
    )
    return poll_open(poll=motion.poll, actor=actor, notify=False)


def open_election(assembly, *, actor, seats, candidates):
    """An open first round electing `seats` council members among the `candidates` (users),
    each marked 同意 / 不同意 / 弃权."""
    today = timezone.localdate()
    term = Term.objects.create(
        number=1, starts_on=today, ends_on=add_years(today, 5) - datetime.timedelta(days=1)
    )
    election = election_create(
        meeting=assembly,
        term=term,
        title="第一届理事会理事选举",
        mode=Election.Mode.APPROVE,
        seats={Office.COUNCIL_MEMBER: seats},
        actor=actor,
        min_surplus=1,
    )
    position = election.positions.get(office=Office.COUNCIL_MEMBER)
    for user in candidates:
        member = Member.objects.get(user=user)
        candidate_nominate(
            position=position, member=member, statement=f"{member.name}的竞选陈述", actor=actor
        )
    return election_open(election=election, actor=actor, notify=False).poll


def sessions(users):
    """{user pk: session key} of a logged-in session for each user, as login() leaves it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    keys = {}
    for user in users:
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys[user.pk] = session.session_key
    return keys
