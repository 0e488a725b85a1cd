"""A staff role counts only once two-factor login is set up.

Until then a secretariat, superuser or civil-affairs account is an ordinary signed-in
account on every staff-only read: what an outsider (signed in, no role) gets, or a
redirect to the two-factor set-up page, never the staff data itself.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from common.tests.factories import jpeg_upload
from conftest import login, make_voters
from elections.ballot_box.services import poll_close
from elections.board.models import Election, Office, Term, add_years
from elections.board.services import candidate_nominate, election_create
from members import roles
from members.models import Member

pytestmark = pytest.mark.django_db

WITHOUT_TWO_FACTOR = ["secretariat_without_2fa", "superuser_without_2fa", "city_viewer_without_2fa"]


@pytest.fixture
def closed_poll(open_poll, secretariat):
    """An online poll closed and not yet published: results and board are the secretariat's."""
    poll_close(poll=open_poll, actor=secretariat)
    open_poll.refresh_from_db()
    return open_poll


@pytest.fixture
def draft_candidate(meeting, secretariat):
    """A candidate with a photo in an election still in draft."""
    today = timezone.localdate()
    term = Term.objects.create(
        number=1, starts_on=today, ends_on=add_years(today, 5) - datetime.timedelta(days=1)
    )
    election = election_create(
        meeting=meeting,
        term=term,
        title="第一届理事会理事选举",
        mode=Election.Mode.APPROVE,
        seats={Office.COUNCIL_MEMBER: 2},
        actor=secretariat,
        min_surplus=1,
    )
    (voter,) = make_voters(1, prefix="houxuan")
    return candidate_nominate(
        position=election.positions.get(office=Office.COUNCIL_MEMBER),
        member=Member.objects.get(user=voter),
        photo=jpeg_upload(size=(40, 50)),
        actor=secretariat,
    )


@pytest.fixture
def staff_reads(closed_poll, draft_candidate, charter):
    """Every staff-only read: the URLs a secretariat account with two-factor may open."""
    charter.versions.create(label="修订草案", text="第一章 总则\n第一条 修订。", number=2)
    election = draft_candidate.position.election
    return [
        reverse("elections:poll-results", args=[closed_poll.pk]),
        reverse("elections:poll-bulletin", args=[closed_poll.pk]),
        reverse("elections:poll-bulletin-text", args=[closed_poll.pk]),
        reverse("elections:election", args=[election.pk]),
        reverse("elections:candidate-photo", args=[draft_candidate.pk, "photo"]),
        reverse("elections:candidate-photo", args=[draft_candidate.pk, "thumb"]),
        reverse("elections:manage-polls"),
        reverse("elections:audit-log"),
        reverse("association:document", args=[charter.pk]),
        reverse("association:document-version", args=[charter.pk, 1]),
        reverse("association:document-version", args=[charter.pk, 2]),
        reverse("association:document-diff", args=[charter.pk]),
        reverse("association:meeting-attendance", args=[closed_poll.meeting.pk]),
        reverse("members:application-queue"),
        reverse("members:roster"),
        reverse("stations:coverage"),
        reverse("stations:coverage-export"),
        reverse("training:manage"),
        reverse("admin:index"),
        reverse("admin:members_user_changelist"),
    ]


def test_the_secretariat_with_two_factor_reads_them_all(client, staff_reads, secretariat):
    login(client, secretariat)
    for url in staff_reads:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", WITHOUT_TWO_FACTOR)
def test_staff_without_two_factor_read_what_an_ordinary_account_reads(
    client, request, staff_reads, outsider, profile, persona
):
    login(client, outsider)
    ordinary = {url: client.get(url).status_code for url in staff_reads}
    assert 200 not in ordinary.values()
    client.logout()
    login(client, request.getfixturevalue(persona))
    for url in staff_reads:
        response = client.get(url)
        set_up = response.status_code == 302 and response["Location"] == reverse(
            "mfa_activate_totp"
        )
        assert set_up or response.status_code == ordinary[url], url


@pytest.mark.parametrize("persona", WITHOUT_TWO_FACTOR)
def test_staff_roles_count_only_with_two_factor(request, persona):
    user = request.getfixturevalue(persona)
    assert roles.is_staff_role(user) and roles.needs_two_factor_setup(user)
    assert not roles.is_secretariat(user)
    assert not roles.is_civil_affairs(user)
    assert not roles.is_participant(user)
    assert not roles.can_see_training_hours(user)
    with pytest.raises(PermissionDenied):
        roles.scope_of(user)


def test_a_secretariat_member_without_two_factor_is_the_member_it_is(
    client, secretariat_without_2fa, individual_member
):
    member = Member.objects.get(user=individual_member)
    member.user = secretariat_without_2fa
    member.save()
    secretariat_without_2fa.groups.add(*individual_member.groups.all())

    assert roles.is_participant(secretariat_without_2fa)
    assert not roles.is_secretariat(secretariat_without_2fa)
    login(client, secretariat_without_2fa)
    assert client.get(reverse("members:me")).status_code == 200
    page = client.get(reverse("association:home")).content.decode()
    assert reverse("members:application-queue") not in page
