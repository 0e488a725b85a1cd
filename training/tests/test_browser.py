"""In Chromium, on a 390×844 phone: a member registers, checks in with the code the
secretariat shows, sees the hours on their record and downloads a certificate that the
public check page confirms; a full training's waiting list moves up; hours from elsewhere
are submitted with a scan and refused with a reason."""

import pytest

from common.tests.factories import png_bytes
from conftest import browser_login, fits_the_screen, make_user
from training.models import Attendance, Certificate, OutsideHours, Registration
from training.services import registration_cancel, registration_create

from .conftest import make_training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_check_in_and_download_the_certificate(
    phone_page, page, live_server, profile, individual_member, secretariat, expert, tmp_path
):
    training = make_training(title="社区治理专题讲座", days=(1,), hours="3.0", capacity=30)
    session = training.sessions.get()
    session.speakers.add(expert)

    phone = phone_page
    browser_login(phone, live_server.url, individual_member)
    phone.goto(f"{live_server.url}/training/")
    phone.get_by_role("link", name="社区治理专题讲座").click()
    phone.wait_for_selector("#register")
    assert fits_the_screen(phone)
    phone.click("#register")
    phone.wait_for_selector("#registration-state")
    assert phone.locator("#registration-state").inner_text() == "您已报名。"
    assert Registration.objects.get(user=individual_member).status == "confirmed"

    # The secretariat opens self check-in on the session page and reads out the code.
    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/training/manage/sessions/{session.pk}/")
    page.click("#open-check-in")
    page.wait_for_selector("#close-check-in")
    code = page.locator("#shown-code").inner_text()
    page.wait_for_function(
        "() => { const img = document.querySelector('img.qr');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )

    # The member types it in on the phone (lower case and spaces are forgiven).
    phone.reload()
    phone.get_by_role("link", name="签到").click()
    phone.fill("#check-in-code", code.lower())
    assert fits_the_screen(phone)
    phone.click("#check-in")
    phone.wait_for_selector("text=签到成功：已计入 3.0 学时。")
    assert Attendance.objects.get(user=individual_member).hours == 3

    # The record shows the hours; the certificate downloads and the check page confirms it.
    phone.goto(f"{live_server.url}/training/mine/")
    phone.wait_for_selector("#credited-items")
    assert "社区治理专题讲座" in phone.locator("#credited-items").inner_text()
    assert fits_the_screen(phone)
    phone.goto(f"{live_server.url}/training/{training.pk}/")
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="下载培训证明（PDF）").click()
    download = download_info.value
    certificate = Certificate.objects.get(user=individual_member)
    assert download.suggested_filename == f"{certificate.number}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    phone.goto(f"{live_server.url}/training/verify/{certificate.number}/")
    assert phone.locator(".verdict-ok").count() == 1
    assert phone.locator("#holder-name").inner_text() == individual_member.full_name
    assert phone.locator("#certificate-hours").inner_text() == "3.0 学时"


def test_a_full_training_moves_the_waiting_list_up(phone_page, live_server, profile, outsider):
    training = make_training(title="心理危机干预专题讲座", capacity=1)
    holder = make_user("holder@example.org", full_name="李想")
    seat = registration_create(training=training, actor=holder)

    phone = phone_page
    browser_login(phone, live_server.url, outsider)
    phone.goto(f"{live_server.url}/training/{training.pk}/")
    assert phone.locator("#register").inner_text() == "加入候补名单"
    phone.click("#register")
    phone.wait_for_selector("#registration-state")
    assert "候补名单中排第 1 位" in phone.locator("#registration-state").inner_text()
    assert fits_the_screen(phone)

    registration_cancel(registration=seat, actor=holder)
    phone.reload()
    phone.wait_for_selector("#registration-state")
    assert phone.locator("#registration-state").inner_text() == "您已报名。"
    assert Registration.objects.get(user=outsider).status == "confirmed"


def test_hours_from_elsewhere_submitted_from_a_phone_and_refused_with_a_reason(
    phone_page, page, live_server, profile, outsider, secretariat, tmp_path
):
    scan = tmp_path / "certificate.png"
    scan.write_bytes(png_bytes(size=(900, 1200)))
    phone = phone_page
    browser_login(phone, live_server.url, outsider)
    phone.goto(f"{live_server.url}/training/mine/")
    phone.click("#submit-outside")
    phone.fill("#id_title", "河南省社会工作者网络课程")
    phone.fill("#id_provider", "河南省民政厅")
    phone.fill("#id_completed_on", "2026-03-01")
    phone.fill("#id_hours", "12")
    phone.set_input_files("#id_evidence", str(scan))
    assert fits_the_screen(phone)
    phone.click("#submit-hours")
    phone.wait_for_selector("text=学时已提交，秘书处将审核证明材料。")
    entry = OutsideHours.objects.get(user=outsider)

    browser_login(page, live_server.url, secretariat)
    page.goto(f"{live_server.url}/training/manage/outside/")
    page.get_by_role("link", name="河南省社会工作者网络课程").click()
    page.wait_for_function(
        "() => { const img = document.querySelector('img.evidence');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    page.fill("#id_reason", "证明材料未加盖公章")
    page.click("#refuse")
    page.wait_for_selector("text=学时不予认定，已告知申报人原因。")
    entry.refresh_from_db()
    assert entry.status == "refused"

    phone.reload()
    phone.wait_for_selector("text=证明材料未加盖公章")
    assert phone.locator(".status-refused").inner_text() == "不予认定"
