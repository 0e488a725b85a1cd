"""Fixtures for the ballot box, meetings and motions (shared with association's tests)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from association.models import Document, DocumentVersion, Meeting, Motion, RollEntry
from association.services import meeting_roll_freeze, motion_save, roll_entry_check_in
from elections.models import Poll
from elections.services import poll_open
from members import roles
from members.models import Member, User


@pytest.fixture
def meeting(db):
    """A general assembly today."""
    return Meeting.objects.create(
        title="第一届会员代表大会第二次会议",
        body=Meeting.Body.GENERAL_ASSEMBLY,
        starts_at=timezone.now(),
        place="许昌市魏都区示范路1号",
        mode=Meeting.Mode.HYBRID,
    )


@pytest.fixture
def frozen_meeting(meeting, individual_member, unit_representative, secretariat):
    """The meeting with its roll frozen: the two member personas are on it, nobody present."""
    meeting_roll_freeze(meeting=meeting, actor=secretariat)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def charter(db):
    document = Document.objects.create(title="章程", kind=Document.Kind.CHARTER)
    DocumentVersion.objects.create(
        document=document,
        label="草案",
        text="第一章 总则\n第一条 本会名称为许昌市社会工作行业协会。",
    )
    return document


@pytest.fixture
def motion(meeting, charter):
    return motion_save(
        motion=Motion(
            meeting=meeting,
            number=1,
            title="审议《章程（草案）》",
            text="请各位会员代表审议。",
            kind=Motion.Kind.CHARTER,
            document_version=charter.versions.get(),
        )
    )


@pytest.fixture
def poll(motion):
    return motion.poll


@pytest.fixture
def open_poll(poll, frozen_meeting, secretariat):
    poll_open(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    return poll


def check_in(user, meeting, actor=None):
    entry = RollEntry.objects.get(meeting=meeting, user=user)
    roll_entry_check_in(entry=entry, actor=actor or user)
    return entry


def make_voters(count, *, prefix="voter"):
    """`count` individual members in good standing with accounts (for big rolls)."""
    group = Group.objects.get(name=roles.MEMBER)
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.org", full_name=f"代表{i}")
            for i in range(count)
        ]
    )
    group.user_set.add(*users)
    Member.objects.bulk_create(
        [
            Member(
                kind=Member.Kind.INDIVIDUAL,
                name=f"代表{i}",
                number=f"T-{prefix}-{i:04d}",
                user=user,
                member_since=timezone.localdate() - datetime.timedelta(days=30),
            )
            for i, user in enumerate(users)
        ]
    )
    return users


def analog_motion(meeting, *, kind=Motion.Kind.RESOLUTION, number=1, **rule):
    return motion_save(
        motion=Motion(meeting=meeting, number=number, title=f"议案{number}", kind=kind, **rule),
        method=Poll.Method.ANALOG,
    )


@pytest.fixture(autouse=True)
def english(request):
    """Tests read English messages: the test client asks for English with the language
    cookie, and code run outside a request speaks English too. (Chinese, the default, is
    tested on its own.)"""
    from django.conf import settings
    from django.utils import translation

    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
