"""Motions: default thresholds by body and kind, locking once voting opens, the admin form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from association.models import Document, DocumentVersion, Meeting, Motion
from association.services import motion_save
from conftest import login
from elections.ballot_box.tally import Base, Threshold
from elections.models import Poll


@pytest.mark.parametrize(
    ("body", "kind", "threshold"),
    [
        (Meeting.Body.GENERAL_ASSEMBLY, Motion.Kind.CHARTER, Threshold.AT_LEAST_TWO_THIRDS),
        (Meeting.Body.GENERAL_ASSEMBLY, Motion.Kind.RESOLUTION, Threshold.MORE_THAN_HALF),
        (Meeting.Body.COUNCIL, Motion.Kind.RESOLUTION, Threshold.AT_LEAST_TWO_THIRDS),
        (Meeting.Body.STANDING_COUNCIL, Motion.Kind.RESOLUTION, Threshold.AT_LEAST_TWO_THIRDS),
    ],
)
def test_default_threshold_and_base_follow_the_charter(db, body, kind, threshold):
    meeting = Meeting.objects.create(title="会议", body=body, starts_at=timezone.now())

    motion = motion_save(motion=Motion(meeting=meeting, title="议案", kind=kind))

    assert (motion.threshold, motion.base) == (threshold, Base.PRESENT)
    assert motion.poll.subject == "议案" and motion.poll.state == Poll.State.DRAFT


def test_threshold_and_base_can_be_set_per_motion(meeting):
    motion = motion_save(
        motion=Motion(
            meeting=meeting,
            title="议案",
            kind=Motion.Kind.RESOLUTION,
            threshold=Threshold.AT_LEAST_TWO_THIRDS,
            base=Base.CAST,
        )
    )
    assert (motion.threshold, motion.base) == (Threshold.AT_LEAST_TWO_THIRDS, Base.CAST)


def test_a_motion_adopting_a_charter_must_be_a_charter_motion(meeting, charter):
    with pytest.raises(ValidationError, match="charter motion"):
        motion_save(
            motion=Motion(
                meeting=meeting,
                title="章程",
                kind=Motion.Kind.RESOLUTION,
                document_version=charter.versions.get(),
            )
        )
    assert not Motion.objects.exists() and not Poll.objects.exists()


def test_motion_and_poll_cannot_change_once_voting_opened(open_poll, motion):
    motion.refresh_from_db()
    motion.threshold = Threshold.MORE_THAN_HALF
    with pytest.raises(ValidationError, match="can no longer be changed"):
        motion_save(motion=motion)
    motion.refresh_from_db()
    assert motion.threshold == Threshold.AT_LEAST_TWO_THIRDS


def test_secretariat_creates_a_motion_with_its_poll_in_the_admin(client, meeting, secretariat):
    document = Document.objects.create(title="选举办法", kind=Document.Kind.ELECTION_RULES)
    version = DocumentVersion.objects.create(document=document, text="第一条")
    login(client, secretariat)

    response = client.post(
        reverse("admin:association_motion_add"),
        {
            "meeting": meeting.pk,
            "number": 2,
            "title": "审议《选举办法》",
            "text": "",
            "kind": Motion.Kind.RESOLUTION,
            "threshold": "",
            "base": "",
            "document_version": version.pk,
            "secret": "on",
            "method": Poll.Method.ANALOG,
            "requires_presence": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    motion = Motion.objects.get(title="审议《选举办法》")
    assert motion.threshold == Threshold.MORE_THAN_HALF
    assert motion.poll.method == Poll.Method.ANALOG and motion.poll.secret


def test_motion_is_read_only_in_the_admin_once_voting_opened(
    client, open_poll, motion, secretariat
):
    login(client, secretariat)
    page = client.get(reverse("admin:association_motion_change", args=[motion.pk]))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    response = client.post(
        reverse("admin:association_motion_change", args=[motion.pk]), {"title": "改了"}
    )
    assert response.status_code == 403
    motion.refresh_from_db()
    assert motion.title == "审议《章程（草案）》"


def test_polls_and_audit_log_are_read_only_in_the_admin(client, open_poll, secretariat):
    login(client, secretariat)
    assert client.get(reverse("admin:elections_poll_changelist")).status_code == 200
    assert client.get(reverse("admin:elections_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:elections_poll_add")).status_code == 403
    response = client.post(
        reverse("admin:elections_poll_change", args=[open_poll.pk]), {"subject": "x"}
    )
    assert response.status_code == 403
