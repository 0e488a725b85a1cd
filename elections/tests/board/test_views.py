"""Who may use each page of board elections, and what the secretariat's actions do."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tests.factories import image_bytes, jpeg_upload
from conftest import check_in, login, make_user
from elections.ballot_box.models import AuditEntry, Ballot, Participation, Poll, SealedBallot
from elections.board.models import Candidate, Election, Term
from elections.board.services import round_close
from elections.tests.sealed import opened_ballots
from members import roles
from members.models import Member

from .conftest import cast, member_of

pytestmark = pytest.mark.django_db

PERSONAS = ["member", "off_roll_member", "city_viewer", "secretariat"]


@pytest.fixture
def off_roll_member(role_groups):
    """A member in good standing who is not on the roll of the election's meeting."""
    user = make_user("bu-zai@example.org", full_name="不在册", groups=[roles.MEMBER])
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="不在册", number="X-1", user=user)
    return user


def as_persona(client, request, persona):
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    return client


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def url(name, *args):
    return reverse(f"elections:{name}", args=args)


# Public pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_everyone_sees_the_board_and_certified_results(
    client, request, persona, certified_election
):
    as_persona(client, request, persona)
    pk = certified_election.pk
    for name in ("election", "election-results", "election-minutes"):
        response = client.get(url(name, pk))
        assert response.status_code == 200, name
    board = client.get(url("board"))
    assert board.status_code == 200
    assert "第一届理事会理事选举" in board.content.decode()
    xlsx = client.get(url("election-results-xlsx", pk))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("persona", ["member", "off_roll_member", "city_viewer"])
def test_uncertified_results_are_hidden_from_everyone_but_the_secretariat(
    client, request, persona, open_election, secretariat
):
    round_close(board_round=open_election.rounds.get(), actor=secretariat)
    pk = open_election.pk
    as_persona(client, request, persona)
    for name in ("election-results", "election-minutes", "election-results-xlsx"):
        assert client.get(url(name, pk)).status_code == 404, name
    login(client, secretariat)
    for name in ("election-results", "election-minutes", "election-results-xlsx"):
        assert client.get(url(name, pk)).status_code == 200, name


def test_anonymous_visitors_are_sent_to_login_for_uncertified_results(client, open_election):
    for name in ("election-results", "election-minutes", "election-results-xlsx"):
        assert is_login_redirect(client.get(url(name, open_election.pk)))


def test_results_are_not_previewed_while_the_first_round_is_open(
    client, secretariat, open_election
):
    login(client, secretariat)
    assert client.get(url("election-results", open_election.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["member", "off_roll_member", "city_viewer"])
def test_a_draft_election_is_hidden_from_everyone_but_the_secretariat(
    client, request, persona, council_election, council_candidates, secretariat
):
    as_persona(client, request, persona)
    assert client.get(url("election", council_election.pk)).status_code == 404
    login(client, secretariat)
    assert client.get(url("election", council_election.pk)).status_code == 200


def test_candidate_photos_follow_the_election(client, council_election, voters, secretariat):
    position = council_election.positions.get()
    from elections.board.services import candidate_nominate

    candidate = candidate_nominate(
        position=position,
        member=member_of(voters[0]),
        photo=jpeg_upload(size=(40, 50)),
        actor=secretariat,
    )
    assert client.get(url("candidate-photo", candidate.pk, "thumb")).status_code == 404
    login(client, secretariat)
    response = client.get(url("candidate-photo", candidate.pk, "photo"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    council_election.state = Election.State.VOTING
    council_election.save()
    response = client.get(url("candidate-photo", candidate.pk, "thumb"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")


# The secretariat's pages ------------------------------------------------------------------------


def secretariat_urls(election, candidate):
    pk = election.pk
    return {
        "get": [
            url("manage-elections"),
            url("election-create"),
            url("manage-election", pk),
            url("election-nominate", pk),
        ],
        "post": [
            url("candidate-withdraw", pk, candidate.pk),
            url("election-open", pk),
            url("election-close-round", pk),
            url("election-runoff", pk),
            url("election-certify", pk),
        ],
    }


def test_anonymous_visitors_are_sent_to_login_from_the_secretariat_pages(
    client, council_election, council_candidates
):
    urls = secretariat_urls(council_election, council_candidates[0])
    for address in urls["get"]:
        assert is_login_redirect(client.get(address)), address
    for address in urls["post"]:
        assert is_login_redirect(client.post(address)), address


@pytest.mark.parametrize("persona", ["member", "off_roll_member", "city_viewer"])
def test_other_roles_get_403_from_the_secretariat_pages(
    client, request, persona, council_election, council_candidates
):
    as_persona(client, request, persona)
    urls = secretariat_urls(council_election, council_candidates[0])
    for address in urls["get"]:
        assert client.get(address).status_code == 403, address
    for address in urls["post"]:
        assert client.post(address).status_code == 403, address
    assert Candidate.objects.count() == 3
    council_election.refresh_from_db()
    assert council_election.state == Election.State.DRAFT


def test_secretariat_without_two_factor_is_sent_to_set_it_up(
    client, secretariat_without_2fa, council_election
):
    login(client, secretariat_without_2fa)
    response = client.get(url("manage-elections"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_post_only_actions_refuse_get_with_405(
    client, secretariat, council_election, council_candidates
):
    login(client, secretariat)
    for address in secretariat_urls(council_election, council_candidates[0])["post"]:
        assert client.get(address).status_code == 405, address


def test_secretariat_lists_creates_and_nominates(client, secretariat, meeting, voters):
    login(client, secretariat)
    assert client.get(url("manage-elections")).status_code == 200
    today = datetime.date.today()
    response = client.post(
        url("election-create"),
        {
            "meeting": meeting.pk,
            "title": "第一届理事会理事选举",
            "new_term_number": 1,
            "new_term_starts_on": today.isoformat(),
            "new_term_ends_on": (today + datetime.timedelta(days=5 * 365)).isoformat(),
            "council_seats": 2,
            "mode": "approve",
            "min_surplus": 1,
            "max_consecutive_terms": 2,
            "age_limit": 70,
            "president_secretary_distinct": "on",
            "secretary_general_full_time": "on",
        },
    )
    election = Election.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("manage-election", election.pk)
    assert Term.objects.get().number == 1
    assert list(election.positions.values_list("office", "seats")) == [("", 2)]

    position = election.positions.get()
    response = client.post(
        url("election-nominate", election.pk),
        {"position": position.pk, "member": member_of(voters[0]).pk, "statement": "服务会员"},
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.person_name, candidate.statement) == (member_of(voters[0]).name, "服务会员")

    page = client.get(url("manage-election", election.pk)).content.decode()
    assert "Voting cannot open yet" in page
    assert "Council member: 1 candidate for 2 seats" in page


def test_create_refuses_officers_at_a_general_assembly_and_long_terms(client, secretariat, meeting):
    login(client, secretariat)
    today = datetime.date.today()
    response = client.post(
        url("election-create"),
        {
            "meeting": meeting.pk,
            "title": "会长选举",
            "new_term_number": 1,
            "new_term_starts_on": today.isoformat(),
            "new_term_ends_on": (today + datetime.timedelta(days=6 * 365)).isoformat(),
            "president_seats": 1,
            "mode": "mark",
            "min_surplus": 1,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "elected by the council" in page
    assert "at most five years" in page
    assert not Election.objects.exists() and not Term.objects.exists()


def test_nomination_refusal_is_shown_on_the_form(client, secretariat, council_election, voters):
    member = member_of(voters[0])
    member.status = Member.Status.SUSPENDED
    member.save()
    login(client, secretariat)
    response = client.post(
        url("election-nominate", council_election.pk),
        {"position": council_election.positions.get().pk, "member": member.pk},
    )
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_open_close_and_certify_through_the_pages(
    client, secretariat, council_election, council_candidates, voters
):
    login(client, secretariat)
    response = client.post(url("election-open", council_election.pk), follow=True)
    assert "Voting is open." in response.content.decode()
    board_round = council_election.rounds.get()
    a, b, c = council_candidates
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "yes", c: "no"}})
    response = client.post(url("election-close-round", council_election.pk), follow=True)
    assert "ballots are counted" in response.content.decode()
    response = client.post(url("election-runoff", council_election.pk), follow=True)
    assert "No position has a tie" in response.content.decode()
    response = client.post(url("election-certify", council_election.pk), follow=True)
    assert "certified" in response.content.decode()
    council_election.refresh_from_db()
    assert council_election.state == Election.State.CERTIFIED


# Voting through the ballot box ------------------------------------------------------------------


def test_member_votes_on_the_board_ballot_with_confirmation_and_receipt(
    client, open_election, council_candidates, member
):
    a, b, c = council_candidates
    poll = open_election.rounds.get().poll
    check_in(member, open_election.meeting)
    login(client, member)
    page = client.get(url("poll", poll.pk)).content.decode()
    assert 'data-max-marks="2"' in page
    assert f'name="c{a.pk}"' in page and "ballot-limit.js" in page

    too_many = client.post(
        url("poll-confirm", poll.pk), {f"c{a.pk}": "yes", f"c{b.pk}": "yes", f"c{c.pk}": "yes"}
    )
    assert too_many.status_code == 200
    assert "you marked 3 candidates, but there are only 2 seats" in too_many.content.decode()

    confirm = client.post(url("poll-confirm", poll.pk), {f"c{a.pk}": "yes", f"c{b.pk}": "no"})
    described = dict(confirm.context["described"])
    assert described == {"Council member (2 seats)": f"Yes: {a}; No: {b}; Abstain: {c}"}
    assert not SealedBallot.objects.exists()

    receipt = client.post(url("poll-cast", poll.pk), {"ticket": confirm.context["ticket"]})
    assert receipt.status_code == 200
    ((code, choices),) = opened_ballots(poll)
    assert choices == {"positions": {str(a.position_id): {str(a.pk): "yes", str(b.pk): "no"}}}
    assert code in receipt.content.decode()


def test_a_blank_board_ballot_can_be_cast(client, open_election, member):
    poll = open_election.rounds.get().poll
    check_in(member, open_election.meeting)
    login(client, member)
    confirm = client.post(url("poll-confirm", poll.pk), {})
    assert "blank" in dict(confirm.context["described"])["Council member (2 seats)"]
    client.post(url("poll-cast", poll.pk), {"choices": confirm.context["choices_json"]})
    assert Participation.objects.filter(poll=poll).count() == 1


def test_off_roll_member_cannot_vote_in_the_election(client, open_election, off_roll_member):
    poll = open_election.rounds.get().poll
    login(client, off_roll_member)
    page = client.get(url("poll", poll.pk)).content.decode()
    assert "not on the roll" in page
    response = client.post(url("poll-cast", poll.pk), {"choices": '{"positions": {}}'}, follow=True)
    assert "not on the roll" in response.content.decode()
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()
    assert Poll.objects.get(pk=poll.pk).state == Poll.State.OPEN


def test_the_ballot_box_pages_show_an_election_round(
    client, certified_election, council_candidates
):
    a, b, c = council_candidates
    poll = certified_election.rounds.get().poll
    results = client.get(url("poll-results", poll.pk)).content.decode()
    assert "2 × 7 = 14 &gt; 7 → majority" in results
    bulletin = client.get(url("poll-bulletin", poll.pk)).content.decode()
    assert f"Yes: {a}, {b}; No: {c}" in bulletin
    assert poll.digest in bulletin


def test_election_list_stays_within_a_query_budget(
    client, secretariat, council_election, council_candidates, django_assert_max_num_queries
):
    login(client, secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(url("manage-elections"))
    assert council_election.title in response.content.decode()


def test_admin_checks_candidates_with_the_nomination_rules(
    client, secretariat, council_election, voters
):
    login(client, secretariat)
    add = reverse("admin:elections_candidate_add")
    position = council_election.positions.get()
    member = member_of(voters[0])
    member.status = Member.Status.LEFT
    member.save()
    response = client.post(add, {"position": position.pk, "member": member.pk, "statement": ""})
    assert response.status_code == 200
    assert "Only active members can stand for election." in response.content.decode()
    assert not Candidate.objects.exists()

    response = client.post(
        add, {"position": position.pk, "member": member_of(voters[1]).pk, "statement": "x"}
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.person_name, candidate.number) == (member_of(voters[1]).name, 1)
    assert candidate.nominated_by == secretariat


def test_admin_edit_of_a_candidate_is_checked_saved_and_logged(
    client, secretariat, council_election, council_candidates
):
    login(client, secretariat)
    candidate = council_candidates[0]
    change = reverse("admin:elections_candidate_change", args=[candidate.pk])
    form = {"position": candidate.position_id, "member": candidate.member_id, "statement": "新"}

    refused = client.post(
        change, {**form, "photo": SimpleUploadedFile("x.jpg", b"no image", "image/jpeg")}
    )
    assert refused.status_code == 200
    assert "photo" in refused.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.statement != "新" and not candidate.photo

    assert client.post(change, form).status_code == 302
    candidate.refresh_from_db()
    assert candidate.statement == "新"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.CANDIDATE_NOMINATED).first()
    assert (entry.election, entry.actor) == (council_election, secretariat)
    assert entry.detail == f"edited in the back office: {candidate}"


def test_admin_cannot_change_candidates_once_voting_opens(
    client, secretariat, open_election, council_candidates
):
    login(client, secretariat)
    change = reverse("admin:elections_candidate_change", args=[council_candidates[0].pk])
    response = client.post(change, {"statement": "改过了"})
    assert response.status_code == 403
    council_candidates[0].refresh_from_db()
    assert council_candidates[0].statement != "改过了"


def test_admin_shows_a_candidate_read_only_once_voting_opens(
    client, secretariat, open_election, council_candidates
):
    candidate = council_candidates[0]
    candidate.photo.save("portrait.png", ContentFile(image_bytes((40, 40))))
    login(client, secretariat)
    change = reverse("admin:elections_candidate_change", args=[candidate.pk])

    response = client.get(change)

    assert response.status_code == 200
    html = response.content.decode()
    assert candidate.person_name in html
    assert candidate.photo.name.rsplit("/", 1)[-1] in html
    assert "/media/" not in html


def test_admin_change_page_of_a_candidate_with_a_photo_names_the_file(
    client, secretariat, council_election, council_candidates
):
    candidate = council_candidates[0]
    candidate.photo.save("portrait.png", ContentFile(image_bytes((40, 40))))
    login(client, secretariat)

    response = client.get(reverse("admin:elections_candidate_change", args=[candidate.pk]))

    assert response.status_code == 200
    assert candidate.photo.name in response.content.decode()


def test_tally_and_minutes_read_valid_ballots_not_validity_in_chinese(
    client, certified_election, settings
):
    # "Valid" is 有效票 in a tally and 有效期 on a certificate: one msgid, two contexts.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for name in ("election-results", "election-minutes"):
        page = client.get(url(name, certified_election.pk)).content.decode()
        assert "<dt>有效票</dt>" in page, name
        assert "有效期" not in page, name
