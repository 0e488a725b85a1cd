"""The secretariat's queue: open, approve (one transaction), reject, send back."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login, run_tasks
from members import roles, services
from members.models import (
    Application,
    Certificate,
    Member,
    MemberChange,
    MemberNumberSequence,
    Representative,
)

from .conftest import CREDIT_CODE, make_application

QUEUE = reverse("members:application-queue")


def action(name, application):
    return reverse(f"members:application-{name}", args=[application.pk])


def groups(user):
    return set(user.groups.values_list("name", flat=True))


# The queue -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_the_queue(client, db):
    assert reverse("account_login") in client.get(QUEUE)["Location"]


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "individual_member", "other_member", "county_viewer"]
)
def test_queue_is_forbidden_to_everyone_but_the_secretariat(client, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403


def test_secretariat_without_two_factor_is_sent_to_set_it_up(client, secretariat_without_2fa):
    login(client, secretariat_without_2fa)
    assert client.get(QUEUE)["Location"] == reverse("mfa_activate_totp")


def test_queue_lists_submitted_applications_by_default(
    client, secretariat, submitted_application, outsider, django_assert_max_num_queries
):
    make_application(outsider, kind=Member.Kind.INDIVIDUAL, submit=False)
    login(client, secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert list(response.context["page"]) == [submitted_application]
    assert "许昌市向阳社会工作服务中心" in response.content.decode()
    drafts = client.get(QUEUE, {"status": "draft"})
    assert [a.kind for a in drafts.context["page"]] == [Member.Kind.INDIVIDUAL]


def test_queue_query_count_does_not_grow_with_rows(
    client, secretariat, profile, role_groups, django_assert_max_num_queries
):
    from conftest import make_user

    for index in range(15):
        user = make_user(f"a{index}@example.org")
        make_application(user, kind=Member.Kind.INDIVIDUAL)
    login(client, secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE, {"status": "all"})
    assert len(response.context["page"]) == 15


# Approval --------------------------------------------------------------------------------


def test_approval_admits_the_unit_in_one_go(
    client,
    secretariat,
    submitted_application,
    mailoutbox,
    county,
    django_capture_on_commit_callbacks,
):
    applicant = submitted_application.applicant
    login(client, secretariat)
    assert client.get(action("approve", submitted_application)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action("approve", submitted_application), {"tier": "council"})
    run_tasks()
    assert response.status_code == 302

    submitted_application.refresh_from_db()
    member = submitted_application.member
    assert submitted_application.status == Application.Status.APPROVED
    assert submitted_application.decided_by == secretariat
    assert member.number.startswith("XCSW-")
    assert member.credit_code == CREDIT_CODE
    assert member.tier == Member.Tier.COUNCIL
    assert member.county == county
    assert member.user == applicant
    assert member.representatives.get(until__isnull=True).user == applicant
    assert member.certificates.get().valid_until > member.member_since
    assert member.changes.filter(action=MemberChange.Action.ADMITTED).exists()
    assert groups(applicant) == {roles.MEMBER}
    assert mailoutbox[-1].to == [applicant.email]
    assert member.number in mailoutbox[-1].body
    assert "欢迎" in mailoutbox[-1].subject


def test_approval_gives_the_vote_to_the_named_representative(
    secretariat, profile, applicant, other_member
):
    application = make_application(applicant, representative=other_member)
    member = services.application_approve(application=application, actor=secretariat)
    assert member.user == other_member
    assert member.representatives.get().user == other_member
    assert roles.MEMBER in groups(other_member)
    assert roles.APPLICANT not in groups(applicant)
    assert roles.MEMBER not in groups(applicant)


def test_approval_of_an_individual(secretariat, profile, outsider):
    application = make_application(outsider, kind=Member.Kind.INDIVIDUAL, qualification="none")
    member = services.application_approve(application=application, actor=secretariat)
    assert member.kind == Member.Kind.INDIVIDUAL
    assert member.user == outsider
    assert member.phone == "13937400002"
    assert not member.representatives.exists()
    assert member.is_in_good_standing()


def test_approval_rolls_back_entirely_when_the_unit_joined_meanwhile(
    client, secretariat, submitted_application
):
    Member.objects.create(kind=Member.Kind.UNIT, name="同一单位", credit_code=CREDIT_CODE)
    before = (Member.objects.count(), Certificate.objects.count(), Representative.objects.count())
    login(client, secretariat)
    response = client.post(
        action("approve", submitted_application), {"tier": "member"}, follow=True
    )
    assert "该统一社会信用代码的单位已是会员" in response.content.decode()
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.SUBMITTED
    assert submitted_application.member is None
    after = (Member.objects.count(), Certificate.objects.count(), Representative.objects.count())
    assert after == before
    assert not MemberNumberSequence.objects.filter(last__gt=0).exists()
    assert roles.MEMBER not in groups(submitted_application.applicant)


def test_draft_cannot_be_approved(secretariat, profile, applicant):
    application = make_application(applicant, submit=False)
    with pytest.raises(ValidationError):
        services.application_approve(application=application, actor=secretariat)
    assert not Member.objects.exists()


def test_approving_twice_admits_once(client, secretariat, submitted_application):
    login(client, secretariat)
    client.post(action("approve", submitted_application), {"tier": "member"})
    client.post(action("approve", submitted_application), {"tier": "member"})
    assert Member.objects.count() == 1


@pytest.mark.parametrize("persona", ["applicant", "individual_member", "county_viewer"])
def test_only_the_secretariat_decides(client, submitted_application, persona, request):
    login(client, request.getfixturevalue(persona))
    for name in ("approve", "reject", "return"):
        response = client.post(
            action(name, submitted_application),
            {"reject-reason": "x", "return-reason": "x", "tier": "member"},
        )
        assert response.status_code == 403
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.SUBMITTED


def test_anonymous_cannot_decide(client, submitted_application):
    response = client.post(action("approve", submitted_application), {"tier": "member"})
    assert reverse("account_login") in response["Location"]
    assert not Member.objects.exists()


# Rejection and sending back --------------------------------------------------------------


def test_rejection_needs_a_reason(client, secretariat, submitted_application):
    login(client, secretariat)
    response = client.post(
        action("reject", submitted_application), {"reject-reason": ""}, follow=True
    )
    assert response.status_code == 200
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_emails_are_in_the_association_language_whatever_the_officer_chose(
    client,
    secretariat,
    submitted_application,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
):
    login(client, secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action("approve", submitted_application), {"tier": "member"}, follow=True
        )
    run_tasks()
    # The officer's own page follows their choice; the applicant's e-mail does not.
    page = response.content.decode()
    assert ("is admitted with member number" in page) == (language == "en")
    message = mailoutbox[-1]
    assert message.subject.endswith("欢迎入会：您的入会申请已获批准")
    assert "Welcome" not in message.subject + message.body
    assert "会员编号" in message.body


def test_rejection_tells_the_applicant_why(
    client, secretariat, submitted_application, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = submitted_application.applicant
    login(client, secretariat)
    reason = "申请单位尚未开展社会工作服务。"
    assert client.get(action("reject", submitted_application)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action("reject", submitted_application), {"reject-reason": reason})
    run_tasks()
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.REJECTED
    assert submitted_application.decision_reason == reason
    assert roles.APPLICANT not in groups(applicant)
    assert mailoutbox[-1].to == [applicant.email]
    assert reason in mailoutbox[-1].body
    assert reason in mailoutbox[-1].alternatives[0][0]
    login(client, applicant)
    page = client.get(reverse("members:application", args=[submitted_application.pk]))
    assert reason in page.content.decode()


def test_sending_back_lets_the_applicant_correct_and_resubmit(
    client, secretariat, submitted_application, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = submitted_application.applicant
    login(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action("return", submitted_application), {"return-reason": "请补充登记证书副本。"}
        )
    run_tasks()
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.RETURNED
    assert roles.APPLICANT in groups(applicant)
    assert "需要修改" in mailoutbox[-1].subject

    login(client, applicant)
    edit = reverse("members:application-edit", args=[submitted_application.pk])
    page = client.get(edit)
    assert "请补充登记证书副本。" in page.content.decode()
    client.post(action("submit", submitted_application))
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.SUBMITTED
