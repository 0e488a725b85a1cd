"""Forms that forgive what people paste and say what happened: the credit code pasted with
gaps, a chosen file lost after an error, an unknown certificate number, download names."""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.urls import reverse

from common.tests.factories import png_upload
from conftest import login
from members.models import Application

from .conftest import CREDIT_CODE, unit_form_data

APPLY = reverse("members:apply")


def test_credit_code_pasted_with_spaces_and_dashes_is_normalised(client, outsider, profile):
    login(client, outsider)
    pasted = "9135 0100-M000 100Y－43".lower()  # lower case, a full-width dash too

    response = client.post(APPLY, unit_form_data(credit_code=pasted))

    assert response.status_code == 302, response.content.decode()
    assert Application.objects.get().credit_code == CREDIT_CODE


def test_credit_code_field_lets_a_pasted_code_in_whole(client, outsider, profile):
    login(client, outsider)
    page = client.get(APPLY, {"kind": "unit"}).content.decode()
    field = page[page.index('name="credit_code"') - 200 : page.index('name="credit_code"') + 200]
    assert "maxlength" not in field


def test_credit_code_of_the_wrong_length_gets_our_chinese_message(client, outsider, profile):
    login(client, outsider)

    page = client.post(APPLY, unit_form_data(credit_code="9135 0100 M000 100Y 43 77")).content

    text = page.decode()
    assert "统一社会信用代码应为 18 位，此处为 20 位。" in text
    assert "确保该变量" not in text and "at most" not in text  # not Django's generic one
    assert not Application.objects.exists()


def test_a_file_chosen_on_a_form_with_errors_must_be_chosen_again(client, outsider, profile):
    login(client, outsider)
    upload = png_upload()

    page = client.post(
        APPLY,
        unit_form_data(credit_code="123", document=upload, document_description="登记证书"),
    ).content.decode()

    assert f"您选择的文件（{upload.name}）未能保存：请重新选择后再保存。" in page
    assert not Application.objects.exists()


def test_unknown_certificate_number_says_so_with_404(client, db, profile):
    response = client.get(reverse("members:verify", args=["XCSW-0000-9999"]))

    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到该编号的有效会员证" in text
    assert "XCSW-0000-9999" in text


def test_supporting_document_downloads_under_its_original_name(
    client, submitted_application, applicant
):
    document = submitted_application.documents.get()
    document.original_name = "营业执照 扫描件.PNG"
    document.save(update_fields=["original_name"])
    login(client, applicant)

    response = client.get(
        reverse("members:application-document", args=[submitted_application.pk, document.pk])
    )

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    # The uploader's name, with the extension of the file as stored (scans are re-encoded).
    assert quote("营业执照 扫描件" + PurePosixPath(document.file.name).suffix) in disposition
    assert document.file.name.rsplit("/", 1)[-1] not in disposition
