"""In Chromium: a unit applies from a phone with a scan, the secretariat approves, and the
representative opens the membership page and downloads the certificate; an invited
representative accepts from a phone."""

import re

import pytest

from common.tests.factories import png_bytes
from conftest import PASSWORD, browser_login, fits_the_screen, make_user, run_tasks
from members import services
from members.models import Application, Member

from .conftest import CREDIT_CODE, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_applies_is_admitted_and_downloads_its_certificate(
    phone_page, page, live_server, profile, county, outsider, secretariat, tmp_path
):
    scan = tmp_path / "registration.png"
    scan.write_bytes(png_bytes(size=(1200, 900)))

    # The applicant, on a phone.
    phone = phone_page
    browser_login(phone, live_server.url, outsider)
    phone.goto(live_server.url + "/members/apply/")
    phone.get_by_role("link", name="以单位身份申请").click()
    phone.fill("#id_name", "许昌市向阳社会工作服务中心")
    phone.fill("#id_credit_code", CREDIT_CODE.lower())
    phone.select_option("#id_organisation_type", "social_work")
    phone.fill("#id_legal_representative", "周楠")
    phone.fill("#id_address", "许昌市魏都区向阳路18号")
    phone.select_option("#id_county", str(county.pk))
    phone.fill("#id_contact_phone", "139 3740 0001")
    phone.set_input_files("#id_document", str(scan))
    phone.fill("#id_document_description", "登记证书")
    assert fits_the_screen(phone)
    phone.click("button[name=action][value=submit]")
    phone.wait_for_selector("text=已提交，等待审核")
    assert phone.locator(".documents img").count() == 1
    assert fits_the_screen(phone)
    application = Application.objects.get(applicant=outsider)
    assert application.status == Application.Status.SUBMITTED

    # The secretariat, at a desk: opens the queue and the scan, and approves.
    browser_login(page, live_server.url, secretariat)
    page.goto(live_server.url + "/members/applications/")
    page.get_by_role("link", name="许昌市向阳社会工作服务中心").click()
    # The thumbnail comes through the permission-checked view and really is an image.
    page.wait_for_function(
        "() => { const img = document.querySelector('.documents img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    page.select_option("#id_tier", "council")
    page.click("text=批准入会")
    page.wait_for_selector("text=已批准入会")
    member = Member.objects.get(credit_code=CREDIT_CODE)
    assert member.user == outsider
    assert member.number.startswith("XCSW-")

    # The new representative, on the phone again.
    phone.goto(live_server.url + "/members/me/")
    phone.wait_for_selector(f"text={member.number}")
    assert phone.locator("p.standing-good").inner_text().startswith("会籍正常")
    assert fits_the_screen(phone)
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="下载会员证（PDF）").click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{member.number}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    # Anyone can check the certificate on the public page its QR code points to.
    phone.goto(live_server.url + f"/members/verify/{member.number}/")
    assert phone.locator(".verdict-ok").count() == 1


def test_the_invited_representative_accepts_from_a_phone(
    phone_page, live_server, profile, applicant, mailoutbox, tmp_path
):
    invitee = make_user("daibiao2@example.org", full_name="赵强")
    application = make_application(applicant)
    services.representative_invite(
        application=application,
        email=invitee.email,
        actor=applicant,
        base_url=live_server.url + "/",
    )
    run_tasks()
    [message] = [message for message in mailoutbox if message.to == [invitee.email]]
    link = re.search(r"http://\S+/members/invitations/[^/\s]+/", message.body).group(0)

    # Signed out on the phone, the invitee opens the link from the e-mail and signs in.
    phone = phone_page
    phone.goto(link)
    phone.get_by_role("link", name="登录", exact=True).click()
    phone.fill("input[name=login]", invitee.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form button[type=submit]")
    # Back on the invitation, which now says what it is.
    phone.wait_for_url(link)
    phone.wait_for_selector(f"text={application.name}")
    assert fits_the_screen(phone)
    phone.screenshot(path=str(tmp_path / "invitation.png"), full_page=True)
    phone.get_by_role("button", name="接受").click()
    phone.wait_for_selector("text=您已于")
    assert fits_the_screen(phone)
    phone.screenshot(path=str(tmp_path / "invitation-accepted.png"), full_page=True)

    application.refresh_from_db()
    assert application.representative == invitee
    assert application.representative_invitations.get().state == "accepted"
