"""In Chromium: the browser makes the receipt code and keeps it, so a response lost after
the ballot box took the ballot loses no receipt.

The lost response is played by Playwright's router: the cast request reaches the server
(which commits the ballot), and the phone gets a 502 from "the proxy" instead of the receipt
page, as when a worker dies after the commit. Every wait is for a state the page or the
script sets, never for time.
"""

import pytest
from playwright.sync_api import expect

from conftest import browser_login, check_in
from elections.ballot_box.models import Ballot, Participation
from elections.ballot_box.services import RECEIPT_FORMAT, poll_close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOST = "<!DOCTYPE html><title>502</title><h1 id='lost'>502 Bad Gateway</h1>"


def confirm_yes(phone, base_url, poll):
    phone.goto(f"{base_url}/polls/{poll.pk}/")
    phone.locator("label.vote-yes").tap()
    phone.click("#to-confirm")
    # receipts.js marks the cast form once it will make the code on submit.
    expect(phone.locator("#cast-form")).to_have_attribute("data-receipt-ready", "true")


def held_receipts(phone):
    return phone.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('ballot-receipts:'))"
        ".map(k => localStorage.getItem(k)).join('')"
    )


def test_receipt_survives_a_response_lost_after_the_commit(
    phone_page, live_server, open_poll, individual_member, secretariat
):
    phone = phone_page
    check_in(individual_member, open_poll.meeting)
    browser_login(phone, live_server.url, individual_member)
    confirm_yes(phone, live_server.url, open_poll)

    def commit_then_lose(route):
        route.fetch()  # the server casts the ballot and answers; the phone never sees it
        route.fulfill(status=502, content_type="text/html", body=LOST)

    phone.route("**/cast/", commit_then_lose)
    phone.click("#cast")
    expect(phone.locator("#lost")).to_be_visible()
    phone.unroute("**/cast/")
    assert Participation.objects.filter(poll=open_poll).count() == 1

    # The voter tries again: "already voted", with the code this phone made and kept.
    phone.goto(f"{live_server.url}/polls/{open_poll.pk}/")
    expect(phone.locator("#refusal")).to_have_attribute("data-refusal", "already_voted")
    held = phone.locator("#held-receipt")
    expect(held).to_have_attribute("data-shown", "true")
    code = held.locator("[data-held-code]").inner_text().strip()
    assert RECEIPT_FORMAT.fullmatch(code)
    bulletin = held.locator("a")
    assert bulletin.get_attribute("href") == f"/polls/{open_poll.pk}/board/"
    assert code not in phone.url

    # It is the code on the ballot: the bulletin board will list it.
    poll_close(poll=open_poll, actor=secretariat)
    assert Ballot.objects.get(poll=open_poll).receipt == code


def test_code_of_a_cast_that_never_arrived_is_forgotten_and_the_next_cast_keeps_its_own(
    phone_page, live_server, open_poll, individual_member, secretariat
):
    phone = phone_page
    check_in(individual_member, open_poll.meeting)
    browser_login(phone, live_server.url, individual_member)
    confirm_yes(phone, live_server.url, open_poll)

    # The request dies before it reaches the server: nothing is cast.
    phone.route("**/cast/", lambda route: route.fulfill(status=502, body=LOST))
    phone.click("#cast")
    expect(phone.locator("#lost")).to_be_visible()
    phone.unroute("**/cast/")
    assert not Participation.objects.exists()

    # Back on the ballot, the kept code is no one's: the script forgets it.
    confirm_yes(phone, live_server.url, open_poll)
    assert "pending" not in held_receipts(phone)
    phone.click("#cast")
    receipt = phone.locator("#receipt")
    expect(receipt).to_have_attribute("data-stored", "true")
    code = receipt.get_attribute("data-receipt")
    assert code in held_receipts(phone) and "pending" not in held_receipts(phone)

    poll_close(poll=open_poll, actor=secretariat)
    assert Ballot.objects.get(poll=open_poll).receipt == code
