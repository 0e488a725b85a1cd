"""Naming a unit's voting representative is an invitation: e-mailed to the address, answered
from the invitee's own account, naming nobody until it is accepted."""

import datetime
import re
from email.header import decode_header, make_header
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from association.models import OutboxMessage
from conftest import PASSWORD, login, make_user, run_tasks
from members import roles, services
from members.models import Application, Member, RepresentativeInvitation

from .conftest import make_application, unit_form_data

BASE_URL = "https://portal.example.org/"
State = RepresentativeInvitation.State


def token_of(invitation):
    return invitation.link.rstrip("/").rsplit("/", 1)[-1]


def invite(target, email, actor=None, **kwargs):
    if isinstance(target, Application):
        kwargs["application"] = target
        actor = actor or target.applicant
    else:
        kwargs["member"] = target
        actor = actor or target.user
    return services.representative_invite(email=email, actor=actor, base_url=BASE_URL, **kwargs)


def refusal(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.error_list[0].code


@pytest.fixture
def draft(profile, applicant):
    return make_application(applicant, submit=False)


@pytest.fixture
def submitted(profile, applicant):
    return make_application(applicant)


@pytest.fixture
def invitee(db):
    return make_user("daibiao2@example.org", full_name="赵强")


@pytest.fixture
def unit(unit_representative):
    return Member.objects.get(user=unit_representative)


def groups(user):
    return set(user.groups.values_list("name", flat=True))


# The e-mail ------------------------------------------------------------------------------


def test_the_invitation_arrives_by_e_mail_with_a_link_whose_token_is_not_stored(
    draft, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(draft, "  Nobody@Example.ORG ")
    assert smtp_server.received == []
    run_tasks()

    assert smtp_server.addresses() == ["Nobody@example.org"]
    message = smtp_server.received[0]
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert invitation.link in text
    # The link on a line of its own under its label: no ASCII colon after Chinese words.
    assert f"答复邀请\r\n{invitation.link}\r\n" in text
    assert invitation.link.startswith("https://portal.example.org/members/invitations/")
    assert draft.name in text
    assert "会员代表" in message["Subject"] or "会员代表" in text
    token = token_of(invitation)
    assert len(token) >= 40
    stored = RepresentativeInvitation.objects.get()
    assert token not in str(model_to_dict(stored))
    assert stored.token_hash != token
    row = OutboxMessage.objects.get()
    assert (row.state, row.params) == ("sent", {})


def test_an_invitation_replaced_before_the_worker_sends_it_is_not_sent(
    draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(draft, "first@example.org")
        invite(draft, "second@example.org")
    run_tasks()
    assert [message.to for message in mailoutbox] == [["second@example.org"]]


# Accepting and declining -------------------------------------------------------------------


def test_accepting_names_the_application_representative(draft, invitee):
    invitation = invite(draft, "DAIBIAO2@example.org")
    draft.refresh_from_db()
    assert draft.representative is None

    services.representative_invitation_accept(token=token_of(invitation), actor=invitee)

    draft.refresh_from_db()
    assert draft.representative == invitee
    invitation.refresh_from_db()
    assert (invitation.state, invitation.answered_by) == (State.ACCEPTED, invitee)
    assert draft.named_representative_email() == "DAIBIAO2@example.org"


def test_an_address_without_an_account_is_accepted_once_it_has_signed_up(draft):
    invitation = invite(draft, "xinren@example.org")
    newcomer = make_user("xinren@example.org", full_name="新人")
    services.representative_invitation_accept(token=token_of(invitation), actor=newcomer)
    draft.refresh_from_db()
    assert draft.representative == newcomer


def test_the_applicant_may_name_their_own_address_and_accepts_like_anyone(draft, applicant):
    invitation = invite(draft, applicant.email)
    services.representative_invitation_accept(token=token_of(invitation), actor=applicant)
    draft.refresh_from_db()
    assert draft.voting_account() == applicant


@pytest.mark.parametrize("who", ["other_account", "applicant", "unverified"])
def test_only_an_account_with_the_invited_address_verified_may_answer(
    draft, invitee, applicant, who
):
    invitation = invite(draft, invitee.email)
    if who == "unverified":
        EmailAddress.objects.filter(user=invitee).update(verified=False)
        account = invitee
    else:
        account = applicant if who == "applicant" else make_user("other@example.org")
    token = token_of(invitation)

    for answer in (
        services.representative_invitation_accept,
        services.representative_invitation_decline,
    ):
        assert refusal(lambda answer=answer: answer(token=token, actor=account)) == (
            "wrong_account"
        )
    invitation.refresh_from_db()
    draft.refresh_from_db()
    assert invitation.state == State.PENDING
    assert draft.representative is None


def test_a_link_works_once(draft, invitee):
    token = token_of(invite(draft, invitee.email))
    services.representative_invitation_decline(token=token, actor=invitee)
    assert (
        refusal(lambda: services.representative_invitation_accept(token=token, actor=invitee))
        == "closed"
    )
    draft.refresh_from_db()
    assert draft.representative is None
    assert RepresentativeInvitation.objects.get().state == State.DECLINED


def test_an_expired_link_is_refused(draft, invitee):
    invitation = invite(draft, invitee.email)
    RepresentativeInvitation.objects.update(expires_at=timezone.now())
    assert (
        refusal(
            lambda: services.representative_invitation_accept(
                token=token_of(invitation), actor=invitee
            )
        )
        == "expired"
    )


def test_an_unknown_token_is_refused(draft, invitee):
    invite(draft, invitee.email)
    assert (
        refusal(lambda: services.representative_invitation_accept(token="x" * 43, actor=invitee))
        == "unknown"
    )


def test_the_link_expires_after_the_configured_days(draft, settings):
    settings.REPRESENTATIVE_INVITATION_DAYS = 3
    invitation = invite(draft, "a@example.org")
    assert invitation.expires_at - invitation.invited_at == datetime.timedelta(days=3)


# Telling the inviter -----------------------------------------------------------------------


def subject_and_text(message):
    subject = str(make_header(decode_header(message["Subject"])))
    return subject, message.get_payload()[0].get_payload(decode=True).decode()


def answer_in_english(answer, invitation, actor):
    """The invitee answers from pages in English; the e-mails are still in the
    association's language."""
    with translation.override("en"):
        answer(token=token_of(invitation), actor=actor, base_url=BASE_URL)


def test_the_applicant_is_told_in_chinese_when_the_invitee_accepts(
    draft, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invitation = invite(draft, invitee.email)
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_english(services.representative_invitation_accept, invitation, invitee)
    assert smtp_server.received == []
    run_tasks()

    assert smtp_server.addresses() == [draft.applicant.email]
    subject, text = subject_and_text(smtp_server.received[0])
    assert subject.endswith(f"邀请已接受：{draft.name}的会员代表")
    assert f"{invitee.full_name}（{invitee.email}）已接受" in text
    assert f"{BASE_URL.rstrip('/')}{application_url(draft)}" in text


def test_the_applicant_is_told_when_the_invitee_declines_without_their_name(
    draft, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invitation = invite(draft, invitee.email)
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_english(services.representative_invitation_decline, invitation, invitee)
    run_tasks()

    assert smtp_server.addresses() == [draft.applicant.email]
    subject, text = subject_and_text(smtp_server.received[0])
    assert subject.endswith(f"邀请已被谢绝：{draft.name}的会员代表")
    assert invitee.email in text
    assert invitee.full_name not in text


def test_an_inviter_other_than_the_applicant_and_the_applicant_are_both_told(
    draft, invitee, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    invitation = invite(draft, invitee.email, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_english(services.representative_invitation_decline, invitation, invitee)
    run_tasks()
    assert sorted(smtp_server.addresses()) == sorted([secretariat.email, draft.applicant.email])


def test_whoever_answers_their_own_invitation_is_not_told_about_it(
    draft, applicant, smtp_server, django_capture_on_commit_callbacks
):
    invitation = invite(draft, applicant.email)
    with django_capture_on_commit_callbacks(execute=True):
        services.representative_invitation_accept(token=token_of(invitation), actor=applicant)
    run_tasks()
    assert smtp_server.received == []
    assert RepresentativeInvitation.objects.get().state == State.ACCEPTED


def test_a_handover_tells_the_secretariat_that_invited_and_each_account_once(
    unit, invitee, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    previous = unit.user
    invitation = invite(unit, invitee.email, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_english(services.representative_invitation_accept, invitation, invitee)
    run_tasks()

    assert sorted(smtp_server.addresses()) == sorted(
        [secretariat.email, invitee.email, previous.email]
    )
    told = next(m for m in smtp_server.received if m["To"] == secretariat.email)
    subject, text = subject_and_text(told)
    assert subject.endswith(f"邀请已接受：{unit.name}的会员代表")
    assert reverse("members:member-representative", args=[unit.pk]) in text


def test_the_representative_who_invited_gets_only_the_handover_e_mail(
    unit, invitee, smtp_server, django_capture_on_commit_callbacks
):
    previous = unit.user
    invitation = invite(unit, invitee.email)
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_english(services.representative_invitation_accept, invitation, invitee)
    run_tasks()
    assert sorted(smtp_server.addresses()) == sorted([invitee.email, previous.email])
    for message in smtp_server.received:
        assert subject_and_text(message)[0].endswith(f"{unit.name}更换了会员代表")


def test_a_declined_handover_tells_the_representative_who_invited(
    client, unit, invitee, smtp_server, django_capture_on_commit_callbacks
):
    previous = unit.user
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(unit, invitee.email)
    run_tasks()
    smtp_server.received.clear()
    login(client, invitee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urlparse(invitation.link).path, {"answer": "decline"})
    assert response.status_code == 302
    run_tasks()

    assert smtp_server.addresses() == [previous.email]
    subject, text = subject_and_text(smtp_server.received[0])
    assert subject.endswith(f"邀请已被谢绝：{unit.name}的会员代表")
    assert "会员代表不变" in text


# Staff accounts ------------------------------------------------------------------------------

STAFF = ["secretariat", "secretariat_without_2fa", "superuser", "city_viewer"]
STAFF_REASON = "工作人员账户（秘书处、民政或系统管理员）不能担任单位的会员代表"


@pytest.mark.parametrize("persona", STAFF)
def test_a_staff_account_cannot_accept_to_represent_an_applying_unit(draft, persona, request):
    staff = request.getfixturevalue(persona)
    invitation = invite(draft, staff.email)
    assert (
        refusal(
            lambda: services.representative_invitation_accept(
                token=token_of(invitation), actor=staff
            )
        )
        == "staff"
    )
    draft.refresh_from_db()
    invitation.refresh_from_db()
    assert (draft.representative, invitation.state) == (None, State.PENDING)

    services.representative_invitation_decline(token=token_of(invitation), actor=staff)
    invitation.refresh_from_db()
    assert invitation.state == State.DECLINED


def test_a_staff_account_cannot_take_over_a_member_unit(unit, secretariat):
    previous = unit.user
    invitation = invite(unit, secretariat.email)
    assert (
        refusal(
            lambda: services.representative_invitation_accept(
                token=token_of(invitation), actor=secretariat
            )
        )
        == "staff"
    )
    assert (
        refusal(
            lambda: services.representative_change(member=unit, user=secretariat, actor=secretariat)
        )
        == "staff"
    )
    unit.refresh_from_db()
    assert unit.user == previous
    assert unit.representatives.get(until__isnull=True).user == previous
    assert roles.MEMBER not in groups(secretariat)


def test_a_unit_whose_representative_became_staff_is_not_admitted(submitted, invitee, secretariat):
    services.representative_invitation_accept(
        token=token_of(invite(submitted, invitee.email)), actor=invitee
    )
    invitee.groups.add(Group.objects.get(name=roles.CIVIL_AFFAIRS))
    assert (
        refusal(lambda: services.application_approve(application=submitted, actor=secretariat))
        == "staff"
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert not Member.objects.filter(name=submitted.name).exists()


@pytest.mark.parametrize("persona", ["secretariat", "city_viewer"])
def test_the_page_tells_a_staff_account_why_it_may_only_decline(client, draft, persona, request):
    staff = request.getfixturevalue(persona)
    with_link = invite(draft, staff.email)
    link = urlparse(with_link.link).path
    login(client, staff)

    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert STAFF_REASON in html
    assert 'value="accept"' not in html
    assert 'value="decline"' in html

    refused = client.post(link, {"answer": "accept"})
    assert refused.status_code == 403
    assert STAFF_REASON in refused.content.decode()
    draft.refresh_from_db()
    assert draft.representative is None
    assert RepresentativeInvitation.objects.get().state == State.PENDING

    assert client.post(link, {"answer": "decline"}).status_code == 302
    assert RepresentativeInvitation.objects.get().state == State.DECLINED


def test_the_page_offers_an_ordinary_account_both_answers(client, draft, invitee):
    link = urlparse(invite(draft, invitee.email).link).path
    login(client, invitee)
    html = client.get(link).content.decode()
    assert 'value="accept"' in html
    assert STAFF_REASON not in html


# Replacing, cancelling, voiding -------------------------------------------------------------


def test_inviting_again_replaces_the_pending_invitation(draft, invitee):
    first = invite(draft, "first@example.org")
    second = invite(draft, invitee.email)
    first.refresh_from_db()
    assert first.state == State.REPLACED
    assert draft.representative_invitations.pending().get() == second
    other = make_user("first@example.org")
    assert (
        refusal(
            lambda: services.representative_invitation_accept(token=token_of(first), actor=other)
        )
        == "closed"
    )
    services.representative_invitation_accept(token=token_of(second), actor=invitee)
    draft.refresh_from_db()
    assert draft.representative == invitee


def test_the_database_holds_one_pending_invitation_per_application(draft, applicant):
    invite(draft, "first@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentativeInvitation.objects.create(
            application=draft,
            email="b@example.org",
            token_hash="0" * 64,
            invited_by=applicant,
            expires_at=timezone.now(),
        )


def test_representing_the_unit_oneself_cancels_the_invitation(draft, invitee):
    accepted = invite(draft, invitee.email)
    services.representative_invitation_accept(token=token_of(accepted), actor=invitee)
    pending = invite(draft, "later@example.org")

    services.representative_invitation_cancel(application=draft, actor=draft.applicant)

    pending.refresh_from_db()
    draft.refresh_from_db()
    assert pending.state == State.CANCELLED
    assert draft.representative is None
    assert draft.voting_account() == draft.applicant
    assert draft.named_representative_email() == ""


def test_saving_the_application_with_the_same_address_sends_no_new_invitation(
    draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_save(application=draft, representative_email="a@example.org")
        services.application_save(application=draft, representative_email="A@example.org")
        services.application_save(application=draft, representative_email=None)
    run_tasks()
    assert RepresentativeInvitation.objects.count() == 1
    assert len(mailoutbox) == 1
    services.application_save(application=draft, representative_email="")
    assert RepresentativeInvitation.objects.get().state == State.CANCELLED


@pytest.mark.parametrize("close", ["withdraw", "reject"])
def test_closing_the_application_voids_its_invitation(submitted, invitee, secretariat, close):
    invitation = invite(submitted, invitee.email)
    if close == "withdraw":
        services.application_withdraw(application=submitted)
    else:
        services.application_reject(application=submitted, actor=secretariat, reason="材料不全")
    invitation.refresh_from_db()
    assert invitation.state == State.VOID
    assert (
        refusal(
            lambda: services.representative_invitation_accept(
                token=token_of(invitation), actor=invitee
            )
        )
        == "closed"
    )


def test_a_closed_application_cannot_invite(submitted, secretariat):
    services.application_reject(application=submitted, actor=secretariat, reason="材料不全")
    with pytest.raises(ValidationError):
        invite(submitted, "a@example.org")
    assert not RepresentativeInvitation.objects.exists()


# Approval ------------------------------------------------------------------------------


def test_a_pending_invitation_stops_the_approval_until_it_is_accepted(
    submitted, invitee, secretariat
):
    invitation = invite(submitted, invitee.email)
    with pytest.raises(ValidationError) as refused:
        services.application_approve(application=submitted, actor=secretariat)
    assert invitee.email in refused.value.messages[0]
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED

    services.representative_invitation_accept(token=token_of(invitation), actor=invitee)
    member = services.application_approve(application=submitted, actor=secretariat)

    assert member.user == invitee
    assert member.representatives.get(until__isnull=True).user == invitee
    assert roles.MEMBER in groups(invitee)


def test_an_expired_invitation_no_longer_stops_the_approval(submitted, invitee, secretariat):
    invitation = invite(submitted, invitee.email)
    RepresentativeInvitation.objects.update(expires_at=timezone.now())
    member = services.application_approve(application=submitted, actor=secretariat)
    assert member.user == submitted.applicant
    invitation.refresh_from_db()
    assert invitation.state == State.VOID


# A member's handover -------------------------------------------------------------------


def test_a_handover_changes_nothing_until_it_is_accepted_and_the_old_term_ends_then(
    unit, invitee, mailoutbox, django_capture_on_commit_callbacks
):
    previous = unit.user
    invitation = invite(unit, invitee.email, reason="工作调动")
    unit.refresh_from_db()
    assert unit.user == previous
    assert unit.representatives.get(until__isnull=True).user == previous
    assert roles.MEMBER not in groups(invitee)

    with django_capture_on_commit_callbacks(execute=True):
        services.representative_invitation_accept(
            token=token_of(invitation), actor=invitee, base_url=BASE_URL
        )
    run_tasks()

    unit.refresh_from_db()
    invitation.refresh_from_db()
    assert unit.user == invitee
    current = unit.representatives.get(until__isnull=True)
    assert (current.user, current.appointed_by, current.reason) == (invitee, previous, "工作调动")
    former = unit.representatives.get(user=previous)
    assert invitation.invited_at < former.until <= invitation.closed_at
    assert current.since == former.until
    assert roles.MEMBER in groups(invitee)
    assert roles.MEMBER not in groups(previous)
    assert {tuple(message.to) for message in mailoutbox} >= {(invitee.email,), (previous.email,)}


def test_a_declined_handover_leaves_the_representative(unit, invitee):
    previous = unit.user
    invitation = invite(unit, invitee.email)
    services.representative_invitation_decline(token=token_of(invitation), actor=invitee)
    unit.refresh_from_db()
    assert unit.user == previous
    assert unit.representatives.count() == 1


def test_inviting_the_current_representative_is_refused(unit):
    with pytest.raises(ValidationError):
        invite(unit, unit.user.email.upper())
    assert not RepresentativeInvitation.objects.exists()


def test_a_handover_to_a_unit_that_has_left_is_refused_at_acceptance(unit, invitee, secretariat):
    invitation = invite(unit, invitee.email, actor=secretariat)
    Member.objects.filter(pk=unit.pk).update(status=Member.Status.LEFT)
    with pytest.raises(ValidationError):
        services.representative_invitation_accept(token=token_of(invitation), actor=invitee)
    unit.refresh_from_db()
    assert unit.user != invitee
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


def test_the_database_holds_one_pending_invitation_per_member(unit):
    invite(unit, "a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentativeInvitation.objects.create(
            member=unit,
            email="b@example.org",
            token_hash="1" * 64,
            invited_by=unit.user,
            expires_at=timezone.now(),
        )


# The pages ---------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def same_page(html, email):
    """A page as it would read for any address: without its CSRF token and the address
    the inviter typed (which the page echoes back to them)."""
    return CSRF.sub("", html).replace(email, "ADDRESS")


def link_in(message):
    return re.search(r"https?://\S+/members/invitations/[^/\s]+/", message.body).group(0)


def application_url(application, name="application"):
    return reverse(f"members:{name}", args=[application.pk])


def answers_for_each_address(client, post, addresses):
    """For each address: the POST's status and Location, the page it leads to (with the
    address and CSRF token taken out) and the number of queries the POST made."""
    answers = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            response = post(address)
        page = client.get(response["Location"]).content.decode()
        answers.append(
            (response.status_code, response["Location"], same_page(page, address), len(queries))
        )
    return answers


def test_the_application_answers_alike_for_an_account_no_account_and_ones_own(
    client, applicant, profile, other_member
):
    application = make_application(applicant, submit=False)
    login(client, applicant)
    addresses = [other_member.email, "nobody@example.org", applicant.email]

    answers = answers_for_each_address(
        client,
        lambda email: client.post(
            application_url(application, "application-representative"), {"email": email}
        ),
        addresses,
    )

    assert answers[0][0] == 302
    assert answers[0][1] == application_url(application)
    assert answers[0] == answers[1] == answers[2]
    assert "邀请已发送，等待接受" in answers[0][2]
    assert "ADDRESS" in answers[0][2]
    assert other_member.full_name not in answers[0][2]
    assert list(
        application.representative_invitations.order_by("pk").values_list("email", "state")
    ) == [
        (other_member.email, "replaced"),
        ("nobody@example.org", "replaced"),
        (applicant.email, "pending"),
    ]


def test_the_application_form_answers_alike_for_any_address(
    client, outsider, profile, other_member
):
    login(client, outsider)
    addresses = [other_member.email, "nobody@example.org", outsider.email]
    answers = []
    for address in addresses:
        Application.objects.filter(applicant=outsider).delete()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                reverse("members:apply"), unit_form_data(representative_email=address)
            )
        page = client.get(response["Location"]).content.decode()
        pk = Application.objects.get(applicant=outsider).pk
        answers.append(
            (
                response.status_code,
                response["Location"].replace(str(pk), "PK"),
                same_page(page, address).replace(f"/{pk}/", "/PK/"),
                len(queries),
            )
        )
    assert answers[0][0] == 302
    assert answers[0] == answers[1] == answers[2]
    assert other_member.full_name not in answers[0][2]


def test_a_handover_answers_alike_for_any_address(client, unit, other_member, outsider):
    login(client, unit.user)
    addresses = [other_member.email, "nobody@example.org", outsider.email]
    answers = answers_for_each_address(
        client,
        lambda email: client.post(
            reverse("members:member-representative", args=[unit.pk]), {"email": email}
        ),
        addresses,
    )
    assert answers[0][0] == 302
    assert answers[0] == answers[1] == answers[2]
    assert other_member.full_name not in answers[0][2]
    assert outsider.full_name not in answers[0][2]


def test_the_name_shows_only_after_acceptance(client, submitted, invitee, secretariat):
    invitation = invite(submitted, invitee.email)
    for viewer in (submitted.applicant, secretariat):
        login(client, viewer)
        page = client.get(application_url(submitted)).content.decode()
        assert "邀请已发送，等待接受" in page
        assert invitee.email in page
        assert invitee.full_name not in page

    services.representative_invitation_accept(token=token_of(invitation), actor=invitee)

    for viewer in (submitted.applicant, secretariat):
        login(client, viewer)
        page = client.get(application_url(submitted)).content.decode()
        assert "邀请已发送，等待接受" not in page
        assert invitee.full_name in page


def test_the_review_page_says_a_pending_invitation_stops_the_approval(
    client, submitted, invitee, secretariat
):
    invite(submitted, invitee.email)
    login(client, secretariat)
    page = client.get(application_url(submitted)).content.decode()
    assert "暂时不能批准此申请" in page
    assert application_url(submitted, "application-approve") not in page

    response = client.post(application_url(submitted, "application-approve"), {"tier": "member"})
    assert response.status_code == 302
    assert response["Location"] == application_url(submitted)
    page = client.get(response["Location"]).content.decode()
    assert "尚未得到答复" in page
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_the_applicant_may_represent_the_unit_after_all(client, submitted, invitee):
    invitation = invite(submitted, invitee.email)
    login(client, submitted.applicant)
    response = client.post(
        application_url(submitted, "application-representative"), {"myself": "1"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == State.CANCELLED


# Who may invite -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["outsider", "secretariat", "individual_member", "unit_representative"]
)
def test_only_the_applicant_invites_for_an_application(client, submitted, persona, request):
    login(client, request.getfixturevalue(persona))
    response = client.post(
        application_url(submitted, "application-representative"), {"email": "a@example.org"}
    )
    assert response.status_code == 404
    assert not RepresentativeInvitation.objects.exists()


def test_inviting_for_an_application_needs_a_login_and_a_post(client, submitted):
    target = application_url(submitted, "application-representative")
    assert reverse("account_login") in client.post(target, {"email": "a@example.org"})["Location"]
    login(client, submitted.applicant)
    assert client.get(target).status_code == 405
    assert not RepresentativeInvitation.objects.exists()


def test_an_individual_application_has_no_representative_to_invite(client, applicant, profile):
    application = make_application(applicant, kind=Member.Kind.INDIVIDUAL, submit=False)
    login(client, applicant)
    response = client.post(
        application_url(application, "application-representative"), {"email": "a@example.org"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["unit_representative", "secretariat"])
def test_the_unit_and_the_secretariat_invite_for_a_member(client, unit, persona, request):
    login(client, request.getfixturevalue(persona))
    response = client.post(
        reverse("members:member-representative", args=[unit.pk]), {"email": "a@example.org"}
    )
    assert response.status_code == 302
    assert unit.representative_invitations.get().email == "a@example.org"


def test_a_secretariat_account_without_two_factor_cannot_invite(
    client, unit, secretariat_without_2fa
):
    login(client, secretariat_without_2fa)
    response = client.post(
        reverse("members:member-representative", args=[unit.pk]), {"email": "a@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not RepresentativeInvitation.objects.exists()


# Answering from the link ----------------------------------------------------------------


@pytest.fixture
def sent(draft, mailoutbox, django_capture_on_commit_callbacks):
    """An invitation to the invitee's address, sent; its link."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(draft, "daibiao2@example.org")
    run_tasks()
    return link_in(mailoutbox[-1])


def test_signed_out_the_link_asks_to_sign_in_and_comes_back_after_the_login(
    client, sent, invitee, draft
):
    page = client.get(sent)
    assert page.status_code == 200
    text = page.content.decode()
    assert "登录" in text and "注册" in text
    assert draft.name not in text  # nothing is looked up for a visitor

    response = client.post(reverse("account_login"), {"login": invitee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == urlparse(sent).path


def test_the_invitee_accepts_from_their_own_account(client, sent, invitee, draft):
    login(client, invitee)
    page = client.get(sent)
    assert page.status_code == 200
    assert draft.name in page.content.decode()
    draft.refresh_from_db()
    assert draft.representative is None  # opening the link answers nothing

    response = client.post(sent, {"answer": "accept"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.representative == invitee
    outcome = client.get(sent)
    assert outcome.status_code == 200
    assert "您已于" in outcome.content.decode()


def test_another_account_is_refused_with_a_page_and_nothing_changes(
    client, sent, draft, other_member
):
    login(client, other_member)
    for response in (client.get(sent), client.post(sent, {"answer": "accept"})):
        assert response.status_code == 403
        assert "没有验证过该邮箱" in response.content.decode()
    draft.refresh_from_db()
    assert draft.representative is None
    assert RepresentativeInvitation.objects.get().state == State.PENDING


def test_a_used_link_gives_a_clear_page(client, sent, invitee, draft, other_member):
    login(client, invitee)
    client.post(sent, {"answer": "decline"})
    response = client.post(sent, {"answer": "accept"})
    assert response.status_code == 410
    assert "链接只能使用一次" in response.content.decode()
    draft.refresh_from_db()
    assert draft.representative is None
    assert RepresentativeInvitation.objects.get().state == State.DECLINED
    # Whoever answered sees their answer again; anyone else only that the link is used.
    assert "您已于" in client.get(sent).content.decode()
    login(client, other_member)
    assert client.get(sent).status_code == 410


def test_an_expired_link_gives_a_clear_page(client, sent, invitee):
    RepresentativeInvitation.objects.update(expires_at=timezone.now())
    login(client, invitee)
    for response in (client.get(sent), client.post(sent, {"answer": "accept"})):
        assert response.status_code == 410
        assert "此邀请已过期" in response.content.decode()


def test_an_unknown_link_gives_a_clear_page(client, invitee):
    login(client, invitee)
    response = client.get(reverse("members:invitation", args=["nonsense"]))
    assert response.status_code == 404
    assert "此邀请链接无效" in response.content.decode()


def test_a_post_without_an_answer_changes_nothing(client, sent, invitee):
    login(client, invitee)
    response = client.post(sent, {"answer": "maybe"})
    assert response.status_code == 400
    assert RepresentativeInvitation.objects.get().state == State.PENDING


def test_the_back_office_lists_invitations_read_only(client, draft, secretariat):
    invite(draft, "a@example.org")
    login(client, secretariat)
    listing = client.get(reverse("admin:members_representativeinvitation_changelist"))
    assert listing.status_code == 200
    assert "a@example.org" in listing.content.decode()
    invitation = RepresentativeInvitation.objects.get()
    change = client.get(
        reverse("admin:members_representativeinvitation_change", args=[invitation.pk])
    )
    assert change.status_code == 200
    assert invitation.token_hash not in change.content.decode()
    assert client.get(reverse("admin:members_representativeinvitation_add")).status_code == 403


def test_an_address_without_an_account_signs_up_and_comes_back_to_accept(
    client, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(draft, "xinren@example.org")
    run_tasks()
    link = urlparse(link_in(mailoutbox[-1])).path

    signup_page = client.get(link).content.decode()
    assert reverse("account_signup") in signup_page
    password = "Shequ-fuwu-2026"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup") + "?next=" + link,
            {
                "email": "xinren@example.org",
                "full_name": "林晓",
                "consent": "on",
                "password1": password,
                "password2": password,
            },
        )
    run_tasks()
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    client.post(urlparse(confirm).path)
    response = client.post(
        reverse("account_login"), {"login": "xinren@example.org", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == link

    assert client.post(link, {"answer": "accept"}).status_code == 302
    draft.refresh_from_db()
    assert draft.representative.email == "xinren@example.org"


def test_an_applicant_sends_a_limited_number_of_invitations_a_day(client, draft, settings):
    settings.REPRESENTATIVE_INVITATIONS_PER_DAY = 2
    login(client, draft.applicant)
    target = application_url(draft, "application-representative")
    for index in range(2):
        client.post(target, {"email": f"a{index}@example.org"})
    page = client.get(client.post(target, {"email": "a2@example.org"})["Location"])
    assert "最多只能发送" in page.content.decode()
    assert RepresentativeInvitation.objects.count() == 2
    RepresentativeInvitation.objects.update(invited_at=timezone.now() - datetime.timedelta(days=1))
    client.post(target, {"email": "a2@example.org"})
    assert RepresentativeInvitation.objects.count() == 3


def test_the_secretariat_is_not_limited(unit, secretariat, settings):
    settings.REPRESENTATIVE_INVITATIONS_PER_DAY = 1
    for index in range(3):
        invite(unit, f"a{index}@example.org", actor=secretariat)
    assert unit.representative_invitations.count() == 3
