"""In Chromium: a member checks in and votes on a phone, keeps the receipt, and after the
secretariat closes the poll finds the receipt on the bulletin board."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login, check_in, fits_the_screen
from elections.ballot_box.models import Ballot, Participation, Poll, SealedBallot
from elections.tests.sealed import opened_ballots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_checks_in_votes_on_a_phone_and_finds_the_receipt_on_the_bulletin(
    phone_page,
    page,
    live_server,
    open_poll,
    motion,
    individual_member,
    unit_representative,
    secretariat,
):
    meeting = open_poll.meeting
    phone = phone_page

    # The member, on a phone: checks in with the code shown in the room.
    browser_login(phone, live_server.url, individual_member)
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    phone.fill("#check-in-code", meeting.check_in_code.lower())
    phone.click("#check-in")
    phone.wait_for_selector("#checked-in")
    assert fits_the_screen(phone)
    # The quorum box refreshes itself (static/elections/live.js) when others check in.
    assert phone.locator("#quorum-present").inner_text() == "1"
    check_in(unit_representative, meeting)
    expect(phone.locator("#quorum-present")).to_have_text("2", timeout=15_000)

    # Votes: large options, a confirmation step, then the receipt.
    phone.click(f"#vote-{motion.pk}")
    option = phone.locator("label.vote-yes")
    box = option.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    assert fits_the_screen(phone)
    option.tap()
    phone.click("#to-confirm")
    phone.wait_for_selector("text=确认您的投票")
    assert phone.locator(".confirm-answer").inner_text() == "赞成"
    assert not SealedBallot.objects.exists()  # nothing stored before confirming
    phone.click("#cast")
    receipt = phone.locator("#receipt").inner_text().strip()
    assert [code for code, _choices in opened_ballots(open_poll)] == [receipt]
    assert not Ballot.objects.exists()  # sealed until the close
    assert Participation.objects.filter(poll=open_poll).count() == 1
    assert fits_the_screen(phone)
    # receipts.js stores the code after the page shows it, and then marks the receipt.
    expect(phone.locator("#receipt")).to_have_attribute("data-stored", "true")
    stored = phone.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('ballot-receipts:'))"
        ".map(k => localStorage.getItem(k)).join('')"
    )
    assert receipt in stored

    # The secretariat, at a desk, closes the poll from the control panel.
    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/polls/manage/{open_poll.pk}/")
    assert page.locator("#turnout-voted").inner_text() == "1"
    page.click("#close-poll")
    page.wait_for_selector("#publish-poll")
    open_poll.refresh_from_db()
    assert open_poll.state == Poll.State.CLOSED

    # The member finds the receipt this phone kept, and looks it up on the bulletin board
    # with a POST: the code never appears in a URL.
    phone.goto(f"{live_server.url}/polls/mine/")
    slot = phone.locator(f"[data-receipt-for-poll='{open_poll.pk}']")
    expect(slot.locator("code.receipt-inline")).to_have_text(receipt)  # from localStorage
    requests = []
    phone.on("request", lambda request: requests.append((request.method, request.url)))
    slot.locator("form.find-on-board button").click()
    phone.wait_for_selector("#found-receipt")
    assert ("POST", f"{live_server.url}/polls/{open_poll.pk}/board/") in requests
    assert not any(receipt in url for _method, url in requests)
    assert receipt not in phone.url
    assert receipt in phone.locator("#found-receipt").inner_text()
    assert "赞成" in phone.locator("#found-receipt").inner_text()
    assert phone.locator("#digest").inner_text() == open_poll.digest
    assert fits_the_screen(phone)
