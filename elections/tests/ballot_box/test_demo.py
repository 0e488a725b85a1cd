"""The demo: the founding assembly with its documents, roll, attendance and three votes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from association.demo_meetings import MEETING_TITLE, SECOND_MEETING_TITLE
from association.models import Document, Meeting
from elections.ballot_box.models import Poll, ballot_set_digest
from elections.ballot_box.services import voter_check
from members.models import User

pytestmark = pytest.mark.django_db


def test_demo_has_the_founding_assembly_with_documents_in_force_and_an_open_vote(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert meeting.held_on == datetime.date(2023, 7, 15)
    assert meeting.roll.count() >= 2
    assert meeting.roll.filter(present_at__isnull=False).exists()
    assert Document.objects.count() == 3
    in_force = Document.objects.in_force()
    assert {d.kind for d in in_force} == {Document.Kind.CHARTER, Document.Kind.ELECTION_RULES}
    for document in in_force:
        version = document.version_in_force
        assert version.adopted_on == datetime.date(2023, 7, 15)
        assert version.adopted_by.result().adopted
    assert Document.objects.get(kind=Document.Kind.CHARTER).versions.count() == 2

    # The motions' polls (the founding council election's poll is board elections' demo).
    published = Poll.objects.filter(
        meeting=meeting, state=Poll.State.PUBLISHED, kind=Poll.Kind.MOTION
    )
    assert published.count() == 2
    for poll in published.filter(method=Poll.Method.ONLINE):
        assert poll.ballots.exists()
        assert ballot_set_digest(poll) == poll.digest
    # The vote still open belongs to a meeting of today: nothing from 2023 is left open.
    assert not Poll.objects.filter(meeting=meeting, state=Poll.State.OPEN).exists()
    open_poll = Poll.objects.get(state=Poll.State.OPEN)
    today = timezone.localdate()
    assert open_poll.meeting.title == SECOND_MEETING_TITLE
    assert open_poll.meeting.held_on == today
    assert timezone.localdate(open_poll.opened_at) == today
    assert open_poll.closes_at > timezone.now()
    member = User.objects.get(email="huiyuan@example.org")
    assert voter_check(poll=open_poll, user=member)[0] is None  # the persona can try voting
