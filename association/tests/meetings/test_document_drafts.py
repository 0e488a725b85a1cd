"""Drafts are not public: the public reads the versions in force and those once in force;
a version never adopted is for the secretariat and, while it is on a meeting's agenda, for
the members entitled at that meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from association.models import Document, DocumentVersion, Meeting, Motion
from association.services import document_version_put_in_force, motion_save
from conftest import login, make_user
from members import roles
from members.models import Member

pytestmark = pytest.mark.django_db

NOBODY_ENTITLED = ["anonymous", "outsider", "applicant", "city_viewer", "lapsed_member"]


@pytest.fixture
def lapsed_member(role_groups):
    """A member who joined long ago and has neither paid nor taken part since: not entitled."""
    user = make_user("guoqi@example.org", full_name="过期", groups=[roles.MEMBER])
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        name="过期",
        number="XCSW-2023-0009",
        user=user,
        member_since=timezone.localdate() - datetime.timedelta(days=800),
    )
    return user


@pytest.fixture
def in_force_with_draft(charter, meeting):
    """The charter with v1 in force and a revision v2 (修订草案) on no agenda."""
    v1 = charter.versions.get()
    adopting = motion_save(
        motion=Motion(
            meeting=meeting,
            number=9,
            title="通过章程",
            kind=Motion.Kind.CHARTER,
            document_version=v1,
        )
    )
    document_version_put_in_force(version=v1, motion=adopting, actor=None)
    DocumentVersion.objects.create(document=charter, label="修订草案", text="第一条 修订。")
    return Document.objects.get(pk=charter.pk)


def as_persona(client, request, persona):
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    return client


def urls(document):
    return {
        "document": reverse("association:document", args=[document.pk]),
        "v1": reverse("association:document-version", args=[document.pk, 1]),
        "v2": reverse("association:document-version", args=[document.pk, 2]),
        "compare": reverse("association:document-diff", args=[document.pk]) + "?from=1&to=2",
    }


@pytest.mark.parametrize("persona", [*NOBODY_ENTITLED, "individual_member"])
def test_a_never_adopted_version_is_not_public(client, request, in_force_with_draft, persona):
    as_persona(client, request, persona)
    pages = urls(in_force_with_draft)

    document = client.get(pages["document"])
    assert document.status_code == 200
    assert document.context["version_numbers"] == [(1, "草案")]
    assert "修订草案" not in document.content.decode()
    assert client.get(pages["v1"]).status_code == 200
    assert client.get(pages["v2"]).status_code == 404
    compare = client.get(pages["compare"])
    assert compare.context["rows"] == [] and compare.context["error"]
    assert "修订" not in compare.content.decode()


def test_the_secretariat_reads_every_draft(client, in_force_with_draft, secretariat):
    login(client, secretariat)
    pages = urls(in_force_with_draft)

    assert client.get(pages["v2"]).status_code == 200
    assert client.get(pages["compare"]).context["rows"]
    assert "修订草案" in client.get(pages["document"]).content.decode()


@pytest.mark.parametrize("persona", NOBODY_ENTITLED)
def test_a_draft_document_does_not_exist_for_those_not_entitled(client, request, motion, persona):
    as_persona(client, request, persona)
    charter = motion.document_version.document

    assert client.get(reverse("association:document", args=[charter.pk])).status_code == 404
    version = reverse("association:document-version", args=[charter.pk, 1])
    assert client.get(version).status_code == 404
    assert charter.title not in client.get(reverse("association:documents")).content.decode()


def test_a_draft_on_the_agenda_is_for_the_members_entitled_at_the_meeting(
    client, motion, individual_member, unit_representative, lapsed_member
):
    charter = motion.document_version.document
    version = reverse("association:document-version", args=[charter.pk, 1])
    # Before the roll is frozen: the members who would sit on it.
    for user in (individual_member, unit_representative):
        login(client, user)
        assert client.get(version).status_code == 200
        assert charter.title in client.get(reverse("association:documents")).content.decode()
    login(client, lapsed_member)
    assert client.get(version).status_code == 404


def test_once_the_roll_is_frozen_the_draft_is_for_those_on_it(
    client, frozen_meeting, motion, individual_member, role_groups
):
    charter = motion.document_version.document
    version = reverse("association:document-version", args=[charter.pk, 1])
    latecomer = make_user("wandao@example.org", full_name="晚到", groups=[roles.MEMBER])
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="晚到", number="X-9", user=latecomer)

    login(client, individual_member)
    assert client.get(version).status_code == 200
    login(client, latecomer)  # in good standing, but joined after the roll was frozen
    assert client.get(version).status_code == 404


def test_a_draft_for_the_council_is_for_the_council_only(client, charter, individual_member):
    council = Meeting.objects.create(
        title="理事会会议", body=Meeting.Body.COUNCIL, starts_at=timezone.now(), place="会议室"
    )
    motion_save(
        motion=Motion(
            meeting=council,
            number=1,
            title="审议章程",
            kind=Motion.Kind.CHARTER,
            document_version=charter.versions.get(),
        )
    )
    login(client, individual_member)

    assert client.get(reverse("association:document", args=[charter.pk])).status_code == 404


def test_versions_once_in_force_stay_public(client, in_force_with_draft, meeting):
    v2 = in_force_with_draft.versions.get(number=2)
    adopting = motion_save(
        motion=Motion(
            meeting=meeting,
            number=10,
            title="修订章程",
            kind=Motion.Kind.CHARTER,
            document_version=v2,
        )
    )
    document_version_put_in_force(version=v2, motion=adopting, actor=None)
    pages = urls(in_force_with_draft)

    assert client.get(pages["v1"]).status_code == 200
    assert client.get(pages["v2"]).status_code == 200
    assert client.get(pages["compare"]).context["rows"]
