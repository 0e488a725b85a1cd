"""Poll states say what happened: 已结束, 公布后生效, no "→ 通过" without quorum, and opening
a poll at a meeting without quorum asks the secretariat to confirm."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from association.models import Motion
from association.services import motion_save
from conftest import analog_motion, check_in, login
from elections.ballot_box.services import poll_close, poll_open, poll_totals_enter
from elections.models import Poll


def _counted(meeting, secretariat, *present, yes, kind=Motion.Kind.RESOLUTION):
    """An analog motion at `meeting`, closed with `present` checked in and `yes` votes."""
    poll = analog_motion(meeting, kind=kind).poll
    poll_open(poll=poll, actor=secretariat)
    for user in present:
        check_in(user, meeting)
    poll_close(poll=poll, actor=secretariat)
    poll_totals_enter(poll=poll, actor=secretariat, totals={"yes": yes, "no": 0, "abstain": 0})
    poll.refresh_from_db()
    return poll


def test_closed_poll_badge_reads_ended_in_chinese(frozen_meeting, secretariat):
    poll = analog_motion(frozen_meeting).poll
    poll_open(poll=poll, actor=secretariat)
    poll_close(poll=poll, actor=secretariat)
    poll.refresh_from_db()

    with translation.override("zh-hans"):
        assert poll.get_state_display() == "已结束"


def test_results_preview_says_the_version_takes_effect_on_publication(
    client, frozen_meeting, charter, secretariat, individual_member, unit_representative
):
    motion = Motion.objects.create(
        meeting=frozen_meeting,
        number=5,
        title="审议章程",
        kind=Motion.Kind.CHARTER,
        document_version=charter.versions.get(),
    )
    poll = motion_save(motion=motion, method=Poll.Method.ANALOG).poll
    poll_open(poll=poll, actor=secretariat)
    check_in(individual_member, frozen_meeting)
    check_in(unit_representative, frozen_meeting)
    poll_close(poll=poll, actor=secretariat)
    poll_totals_enter(poll=poll, actor=secretariat, totals={"yes": 2, "no": 0, "abstain": 0})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, secretariat)

    page = client.get(reverse("elections:poll-results", args=[poll.pk])).content.decode()

    assert "公布后生效" in page
    assert "已生效" not in page
    assert "结束于 <time" in page


def test_result_refused_for_lack_of_quorum_is_not_shown_as_passed(
    client, frozen_meeting, secretariat, individual_member
):
    # One of two present: no quorum (2/3), though the one vote cast is yes.
    poll = _counted(frozen_meeting, secretariat, individual_member, yes=1)
    result = Motion.objects.get(poll=poll).result()

    assert not result.adopted
    assert result.vote.passed  # the count alone would pass
    assert result.vote_arithmetic == "1 > 1/2 × 1 = 0.50 → not considered: no quorum"
    with translation.override("zh-hans"):
        assert result.vote_arithmetic.endswith("→ 未审议：不足法定人数")
    login(client, secretariat)
    page = client.get(reverse("elections:poll-results", args=[poll.pk])).content.decode()
    assert "→ passed" not in page
    assert "not considered: no quorum" in page


def test_result_with_quorum_still_shows_passed(
    frozen_meeting, secretariat, individual_member, unit_representative
):
    poll = _counted(frozen_meeting, secretariat, individual_member, unit_representative, yes=2)

    assert Motion.objects.get(poll=poll).result().vote_arithmetic.endswith("→ passed")


@pytest.fixture
def draft_poll(frozen_meeting):
    return analog_motion(frozen_meeting).poll


def test_opening_a_poll_without_quorum_asks_to_confirm(client, draft_poll, secretariat):
    login(client, secretariat)
    panel = reverse("elections:manage-poll", args=[draft_poll.pk])
    page = client.get(panel).content.decode()
    assert 'id="no-quorum-warning"' in page and 'name="without_quorum"' in page

    refused = client.post(reverse("elections:poll-open", args=[draft_poll.pk]), follow=True)

    assert "The meeting has no quorum yet." in refused.content.decode()
    draft_poll.refresh_from_db()
    assert draft_poll.state == Poll.State.DRAFT

    client.post(reverse("elections:poll-open", args=[draft_poll.pk]), {"without_quorum": "1"})
    draft_poll.refresh_from_db()
    assert draft_poll.state == Poll.State.OPEN


def test_opening_a_poll_with_quorum_needs_no_confirmation(
    client, draft_poll, frozen_meeting, secretariat, individual_member, unit_representative
):
    check_in(individual_member, frozen_meeting)
    check_in(unit_representative, frozen_meeting)
    login(client, secretariat)
    assert (
        'name="without_quorum"'
        not in client.get(reverse("elections:manage-poll", args=[draft_poll.pk])).content.decode()
    )

    client.post(reverse("elections:poll-open", args=[draft_poll.pk]))

    draft_poll.refresh_from_db()
    assert draft_poll.state == Poll.State.OPEN


def test_poll_page_shows_that_casting_closed_at_the_closing_time(
    client, open_poll, individual_member
):
    check_in(individual_member, open_poll.meeting)
    Poll.objects.filter(pk=open_poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, individual_member)

    page = client.get(reverse("elections:poll", args=[open_poll.pk])).content.decode()

    open_poll.refresh_from_db()
    assert open_poll.state == Poll.State.OPEN  # not closed yet by the secretariat or worker
    assert '<span class="state state-closed" id="poll-state">投票已截止</span>' in page
    assert "投票已于" in page and 'id="ballot-form"' not in page
