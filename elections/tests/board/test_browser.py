"""In Chromium: a tie at the last seat, the run-off (one voter on a phone), certification, and
the board page."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login, check_in, fits_the_screen
from elections.ballot_box.models import Poll
from elections.board.models import BoardSeat, Election
from elections.board.services import election_open
from elections.tests.board.test_flow import vote_for_a_tie
from elections.tests.sealed import opened_ballots

from .conftest import cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tie_runoff_certification_and_the_board(
    page, phone_page, live_server, council_election, council_candidates, voters, secretariat
):
    a, b, c = council_candidates
    first = election_open(election=council_election, actor=secretariat)
    vote_for_a_tie(first, voters, council_candidates)

    # The secretariat closes the vote and finds the tie in the tally.
    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/elections/{council_election.pk}/manage/")
    page.click("#close-round")
    page.wait_for_selector("#start-runoff")
    page.goto(f"{live_server.url}/elections/{council_election.pk}/results/")

    def status_of(candidate):
        row = page.locator(f"tr[data-candidate='{candidate.person_name}']")
        return row.get_attribute("data-status")

    assert [status_of(a), status_of(b), status_of(c)] == ["elected", "runoff", "runoff"]
    page.click("#start-runoff")
    page.wait_for_selector("#close-round")
    second = council_election.rounds.get(number=2)
    assert second.poll.state == Poll.State.OPEN

    # A voter, on a phone: the browser stops two "yes" marks for the one seat left.
    voter = voters[0]
    voter.set_password(PASSWORD)
    voter.save()
    EmailAddress.objects.create(user=voter, email=voter.email, verified=True, primary=True)
    check_in(voter, council_election.meeting)
    browser_login(phone_page, live_server.url, voter)
    phone_page.goto(f"{live_server.url}/polls/{second.poll.pk}/")
    assert phone_page.locator(f"input[name='c{a.pk}']").count() == 0
    phone_page.locator(f"label[for='id_c{b.pk}_0']").tap()
    phone_page.locator(f"label[for='id_c{c.pk}_0']").tap()
    # static/elections/ballot-limit.js shows the warning and, on sending, keeps the form
    # and moves the focus to it: wait for what the script does, then check the page stayed.
    warning = phone_page.locator("[data-ballot-warning]")
    expect(warning).to_be_visible()
    phone_page.click("#to-confirm")
    expect(warning).to_be_focused()
    assert "/confirm/" not in phone_page.url  # the form was not sent
    assert fits_the_screen(phone_page)
    phone_page.locator(f"label[for='id_c{c.pk}_1']").tap()
    expect(warning).to_be_hidden()
    phone_page.click("#to-confirm")
    phone_page.wait_for_selector("#cast")
    phone_page.click("#cast")
    receipt = phone_page.locator("#receipt").inner_text().strip()
    assert [code for code, _choices in opened_ballots(second.poll)] == [receipt]

    for user in voters[1:4]:
        cast(user, second, {b.position: {b: "yes"}})
    for user in voters[4:6]:
        cast(user, second, {c.position: {c: "yes"}})

    # The secretariat closes the run-off and certifies; the board shows the two elected.
    page.goto(f"{live_server.url}/elections/{council_election.pk}/manage/")
    page.click("#close-round")
    page.wait_for_selector("#certify")
    page.click("#certify")
    page.wait_for_selector(".message-success")
    assert page.locator("#election-state").inner_text() == "结果已确认"
    council_election.refresh_from_db()
    assert council_election.state == Election.State.CERTIFIED
    assert sorted(s.candidate_id for s in BoardSeat.objects.all()) == sorted([a.pk, b.pk])

    phone_page.goto(f"{live_server.url}/board/")
    names = phone_page.locator(".person-name").all_inner_texts()
    assert sorted(names) == sorted([a.person_name, b.person_name])
    assert fits_the_screen(phone_page)
