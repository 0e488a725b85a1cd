"""Meetings: freezing the roll, checking in (code, QR code, secretariat), live quorum."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from association.models import CouncilMembership, Meeting, RollEntry
from association.services import meeting_roll_freeze
from conftest import check_in, login, make_user, make_voters
from elections.ballot_box.services import ballot_cast
from elections.models import AuditEntry
from members.models import Activity, Member


def url(name, meeting, *extra):
    return reverse(f"association:{name}", args=[meeting.pk, *extra])


# The roll -----------------------------------------------------------------------------------


def test_roll_lists_members_in_good_standing_with_an_account(
    meeting, individual_member, unit_representative, secretariat
):
    lapsed = Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        name="停权会员",
        status=Member.Status.SUSPENDED,
        user=make_user("tingquan@example.org"),
    )
    Member.objects.create(kind=Member.Kind.UNIT, name="无代表单位")  # no voting account

    count = meeting_roll_freeze(meeting=meeting, actor=secretariat)

    assert count == 2
    on_roll = set(meeting.roll.values_list("member__user", flat=True))
    assert on_roll == {individual_member.pk, unit_representative.pk}
    assert lapsed.pk not in set(meeting.roll.values_list("member", flat=True))
    meeting.refresh_from_db()
    assert meeting.check_in_open
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLL_FROZEN)
    assert entry.actor == secretariat and "2" in entry.detail


def test_roll_is_frozen_once(frozen_meeting, secretariat):
    from django.core.exceptions import ValidationError

    make_voters(3)
    with pytest.raises(ValidationError, match="already frozen"):
        meeting_roll_freeze(meeting=frozen_meeting, actor=secretariat)
    assert frozen_meeting.roll.count() == 2


def test_member_who_joins_after_the_meeting_day_is_not_on_its_roll(db, role_groups, secretariat):
    past = Meeting.objects.create(
        title="成立大会",
        body=Meeting.Body.GENERAL_ASSEMBLY,
        starts_at=timezone.now() - datetime.timedelta(days=20),
    )
    make_voters(2)  # members since 30 days ago
    (newcomer,) = make_voters(1, prefix="new")
    Member.objects.filter(user=newcomer).update(member_since=timezone.localdate())

    meeting_roll_freeze(meeting=past, actor=secretariat)

    assert past.roll.count() == 2
    assert not past.roll.filter(user=newcomer).exists()


def test_one_account_holding_two_memberships_gets_one_seat(meeting, individual_member, secretariat):
    Member.objects.create(
        kind=Member.Kind.UNIT, name="某社工机构", number="XCSW-2025-0099", user=individual_member
    )

    meeting_roll_freeze(meeting=meeting, actor=secretariat)

    assert meeting.roll.filter(user=individual_member).count() == 1


def test_council_meeting_roll_comes_from_current_council_seats(
    db, individual_member, unit_representative, secretariat
):
    council = Meeting.objects.create(
        title="第一届理事会第一次会议", body=Meeting.Body.COUNCIL, starts_at=timezone.now()
    )
    standing = Meeting.objects.create(
        title="常务理事会", body=Meeting.Body.STANDING_COUNCIL, starts_at=timezone.now()
    )
    today = timezone.localdate()
    CouncilMembership.objects.create(
        member=Member.objects.get(user=individual_member),
        body=CouncilMembership.Body.STANDING_COUNCIL,
        starts_on=today - datetime.timedelta(days=100),
    )
    CouncilMembership.objects.create(
        member=Member.objects.get(user=unit_representative),
        starts_on=today - datetime.timedelta(days=100),
    )
    (former,) = make_voters(1, prefix="former")
    CouncilMembership.objects.create(
        member=Member.objects.get(user=former),
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=1),
    )

    meeting_roll_freeze(meeting=council, actor=secretariat)
    meeting_roll_freeze(meeting=standing, actor=secretariat)

    assert set(council.roll.values_list("user", flat=True)) == {
        individual_member.pk,
        unit_representative.pk,
    }
    assert list(standing.roll.values_list("user", flat=True)) == [individual_member.pk]


# Checking in ------------------------------------------------------------------------------


def test_member_checks_in_with_the_code_and_it_counts_as_activity(
    client, frozen_meeting, individual_member
):
    login(client, individual_member)

    response = client.post(
        url("meeting-check-in", frozen_meeting), {"code": frozen_meeting.check_in_code.lower()}
    )

    assert response.status_code == 302
    entry = RollEntry.objects.get(meeting=frozen_meeting, user=individual_member)
    assert entry.present_at is not None and entry.checked_in_by == individual_member
    member = Member.objects.get(user=individual_member)
    assert Activity.objects.filter(member=member, on=timezone.localdate()).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CHECKED_IN, actor=individual_member
    ).exists()


def test_wrong_code_is_refused_with_a_clear_message(client, frozen_meeting, individual_member):
    login(client, individual_member)

    response = client.post(url("meeting-check-in", frozen_meeting), {"code": "WRONG1"})

    assert response.status_code == 400
    assert "check-in code is not right" in response.content.decode()
    assert not RollEntry.objects.filter(present_at__isnull=False).exists()


def test_self_check_in_is_refused_when_closed(
    client, frozen_meeting, individual_member, secretariat
):
    frozen_meeting.check_in_open = False
    frozen_meeting.save()
    login(client, individual_member)

    response = client.post(
        url("meeting-check-in", frozen_meeting), {"code": frozen_meeting.check_in_code}
    )

    assert response.status_code == 400
    assert "Check-in is closed." in response.content.decode()


def test_member_off_the_roll_cannot_check_in(client, frozen_meeting, role_groups):
    (late,) = make_voters(1, prefix="late")
    login(client, late)

    response = client.post(
        url("meeting-check-in", frozen_meeting), {"code": frozen_meeting.check_in_code}
    )

    assert response.status_code == 403
    assert "not on the roll" in response.content.decode()


def test_qr_link_fills_in_the_code_but_does_not_check_in_by_itself(
    client, frozen_meeting, individual_member
):
    login(client, individual_member)

    response = client.get(
        url("meeting-check-in", frozen_meeting), {"code": frozen_meeting.check_in_code}
    )

    assert response.status_code == 200
    assert f'value="{frozen_meeting.check_in_code}"' in response.content.decode()
    assert not RollEntry.objects.filter(present_at__isnull=False).exists()


def test_qr_code_is_an_svg_of_the_check_in_link_for_the_secretariat(
    client, frozen_meeting, secretariat, individual_member
):
    login(client, individual_member)
    assert client.get(url("meeting-qr", frozen_meeting)).status_code == 403
    login(client, secretariat)

    response = client.get(url("meeting-qr", frozen_meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]


def test_secretariat_checks_people_in_and_undoes_a_mistake(
    client, frozen_meeting, secretariat, individual_member
):
    entry = RollEntry.objects.get(meeting=frozen_meeting, user=individual_member)
    login(client, secretariat)

    client.post(url("roll-entry-check-in", frozen_meeting, entry.pk))
    entry.refresh_from_db()
    assert entry.present_at is not None and entry.checked_in_by == secretariat

    client.post(url("roll-entry-undo", frozen_meeting, entry.pk))
    entry.refresh_from_db()
    assert entry.present_at is None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditEntry.Action.CHECKED_IN, AuditEntry.Action.CHECK_IN_UNDONE} <= actions


def test_attendance_desk_shows_the_count_and_a_named_button_per_row(
    client, frozen_meeting, secretariat, individual_member
):
    check_in(individual_member, frozen_meeting)
    login(client, secretariat)

    page = client.get(url("meeting-attendance", frozen_meeting)).content.decode()

    assert "Checked in 1 / entitled 2" in page
    desk = page.index('id="check-in-desk"')
    assert desk < page.index('id="desk-count"') < page.index('id="roll-search"')
    # The code card comes after the roll: at the door the roll is what is needed first.
    assert page.index('id="roll-results"') < page.index('id="shown-code"')
    waiting = RollEntry.objects.get(meeting=frozen_meeting, user__email="daibiao@example.org")
    assert f'id="check-in-{waiting.pk}"' in page
    assert 'Check in<span class="visually-hidden"> 许昌市阳光社会工作服务中心</span>' in page
    assert 'Undo<span class="visually-hidden"> 陈静</span>' in page
    assert "attendance.js" in page


def test_attendance_count_reads_in_chinese(client, frozen_meeting, secretariat):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    login(client, secretariat)

    page = client.get(url("meeting-attendance", frozen_meeting)).content.decode()

    assert "已签到 0 / 应到 2" in page
    assert (
        client.get(url("meeting-quorum", frozen_meeting)).json()["checked_in"]
        == "已签到 0 / 应到 2"
    )


def test_attendance_search_filters_the_roll_without_script(client, frozen_meeting, secretariat):
    login(client, secretariat)

    response = client.get(url("meeting-attendance", frozen_meeting), {"q": "陈"})

    names = [entry.member.name for entry in response.context["page"].object_list]
    assert names == ["陈静"]
    assert 'value="陈"' in response.content.decode()


def test_check_in_from_a_filtered_roll_comes_back_to_it(
    client, frozen_meeting, secretariat, individual_member
):
    entry = RollEntry.objects.get(meeting=frozen_meeting, user=individual_member)
    filtered = url("meeting-attendance", frozen_meeting) + "?q=%E9%99%88"
    login(client, secretariat)

    response = client.post(url("roll-entry-check-in", frozen_meeting, entry.pk), {"next": filtered})

    assert response.status_code == 302 and response["Location"] == filtered
    page = client.get(filtered).content.decode()
    assert "陈静 is checked in." in page
    assert f'id="undo-{entry.pk}"' in page
    assert "Checked in 1 / entitled 2" in page


def test_check_in_cannot_be_undone_after_voting(client, open_poll, secretariat, individual_member):
    entry = check_in(individual_member, open_poll.meeting)
    ballot_cast(poll=open_poll, actor=individual_member, choices={"vote": "yes"})
    login(client, secretariat)

    response = client.post(url("roll-entry-undo", open_poll.meeting, entry.pk), follow=True)

    assert "has already voted at this meeting" in response.content.decode()
    entry.refresh_from_db()
    assert entry.present_at is not None


def test_secretariat_freezes_the_roll_and_closes_self_check_in(
    client, meeting, secretariat, individual_member
):
    login(client, secretariat)
    page = client.get(url("meeting-attendance", meeting))
    assert 'id="freeze-roll"' in page.content.decode()

    client.post(url("meeting-freeze-roll", meeting))
    client.post(url("meeting-check-in-state", meeting), {"open": "0"})

    meeting.refresh_from_db()
    assert meeting.roll_frozen and not meeting.check_in_open
    assert meeting.roll.count() == 1


# Quorum ----------------------------------------------------------------------------------


def test_quorum_is_computed_live_from_attendance(
    client, frozen_meeting, individual_member, unit_representative
):
    login(client, individual_member)
    before = client.get(url("meeting-quorum", frozen_meeting)).json()
    check_in(individual_member, frozen_meeting)
    halfway = client.get(url("meeting-quorum", frozen_meeting)).json()
    check_in(unit_representative, frozen_meeting)
    after = client.get(url("meeting-quorum", frozen_meeting)).json()

    assert (before["present"], before["entitled"], before["reached"]) == (0, 2, False)
    assert (halfway["required"], halfway["reached"]) == (2, False)
    assert halfway["arithmetic"] == "1 < 2/3 × 2 = 1.33 → no quorum yet"
    assert after["reached"] and after["arithmetic"] == "2 ≥ 2/3 × 2 = 1.33 → quorum reached"


def test_meeting_page_shows_quorum_without_javascript_and_loads_the_live_script(
    client, frozen_meeting, individual_member
):
    login(client, individual_member)
    response = client.get(url("meeting", frozen_meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="quorum-present">0<' in html
    assert "elections/live.js" in html
    assert 'id="check-in-code"' in html


def test_quorum_rule_is_a_setting_of_the_meeting(frozen_meeting, individual_member):
    from elections.ballot_box.tally import Threshold

    check_in(individual_member, frozen_meeting)
    frozen_meeting.quorum = Threshold.MORE_THAN_HALF
    assert not frozen_meeting.quorum_now().passed  # 1 of 2 is not more than half
    frozen_meeting.quorum = Threshold.AT_LEAST_TWO_THIRDS
    assert frozen_meeting.quorum_now().required == 2


# Permissions -----------------------------------------------------------------------------

MEMBER_PAGES = ["meeting", "meeting-quorum", "meeting-check-in"]
SECRETARIAT_GET = ["meeting-attendance", "meeting-qr"]
SECRETARIAT_POST = ["meeting-freeze-roll", "meeting-check-in-state"]


def test_anonymous_is_sent_to_login_from_meeting_pages(client, frozen_meeting):
    pages = [reverse("association:meetings")]
    pages += [url(name, frozen_meeting) for name in MEMBER_PAGES + SECRETARIAT_GET]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["city_viewer", "outsider", "applicant"])
def test_non_members_get_403_on_meeting_pages(client, frozen_meeting, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("association:meetings")).status_code == 403
    for name in MEMBER_PAGES + SECRETARIAT_GET:
        assert client.get(url(name, frozen_meeting)).status_code == 403
    entry = frozen_meeting.roll.first()
    for name in SECRETARIAT_POST:
        assert client.post(url(name, frozen_meeting)).status_code == 403
    assert client.post(url("roll-entry-check-in", frozen_meeting, entry.pk)).status_code == 403


def test_members_see_meetings_but_not_the_attendance_desk(
    client, frozen_meeting, individual_member
):
    login(client, individual_member)
    assert client.get(reverse("association:meetings")).status_code == 200
    assert client.get(url("meeting", frozen_meeting)).status_code == 200
    for name in SECRETARIAT_GET:
        assert client.get(url(name, frozen_meeting)).status_code == 403
    entry = frozen_meeting.roll.get(user=individual_member)
    assert client.post(url("roll-entry-check-in", frozen_meeting, entry.pk)).status_code == 403
    entry.refresh_from_db()
    assert entry.present_at is None


def test_post_only_meeting_actions_refuse_get_with_405(client, frozen_meeting, secretariat):
    login(client, secretariat)
    entry = frozen_meeting.roll.first()
    for page in [url(name, frozen_meeting) for name in SECRETARIAT_POST] + [
        url("roll-entry-check-in", frozen_meeting, entry.pk),
        url("roll-entry-undo", frozen_meeting, entry.pk),
    ]:
        assert client.get(page).status_code == 405


def test_roll_entry_of_another_meeting_is_404(client, frozen_meeting, secretariat):
    other = Meeting.objects.create(
        title="另一次会议", body=Meeting.Body.GENERAL_ASSEMBLY, starts_at=timezone.now()
    )
    entry = frozen_meeting.roll.first()
    login(client, secretariat)
    assert client.post(url("roll-entry-check-in", other, entry.pk)).status_code == 404


def test_attendance_and_meeting_list_have_fixed_query_budgets(
    client, meeting, secretariat, role_groups, django_assert_max_num_queries
):
    make_voters(40)
    meeting_roll_freeze(meeting=meeting, actor=secretariat)
    login(client, secretariat)
    with django_assert_max_num_queries(14):
        response = client.get(url("meeting-attendance", meeting))
    assert len(response.context["page"].object_list) == 40
    with django_assert_max_num_queries(10):
        client.get(reverse("association:meetings"))
