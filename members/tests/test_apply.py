"""Applying online: drafts, documents, submitting, withdrawing; bad input saves nothing."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.tests.factories import noise_png_bytes, pdf_upload, png_upload
from conftest import login, run_tasks
from members import roles, services
from members.models import Application, ApplicationDocument, Member

from .conftest import (
    CREDIT_CODE,
    OTHER_CREDIT_CODE,
    individual_form_data,
    make_application,
    unit_form_data,
)

APPLY = reverse("members:apply")


def post_unit(client, **overrides):
    return client.post(APPLY, unit_form_data(**overrides))


def groups(user):
    return set(user.groups.values_list("name", flat=True))


# Who may apply ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


STAFF = [
    "secretariat",
    "secretariat_without_2fa",
    "city_viewer",
    "city_viewer_without_2fa",
    "county_viewer",
    "superuser",
]


@pytest.mark.parametrize("persona", STAFF)
def test_staff_accounts_cannot_apply(client, persona, request, profile):
    user = request.getfixturevalue(persona)
    login(client, user)

    page = client.get(APPLY)
    assert page.status_code == 403
    assert "工作人员账户不能申请入会" in page.content.decode()
    assert APPLY + "?kind=unit" not in page.content.decode()
    for data in (unit_form_data(action="submit"), individual_form_data(action="submit")):
        assert client.post(APPLY, data).status_code == 403

    assert not Application.objects.filter(applicant=user).exists()
    assert roles.APPLICANT not in groups(user)
    home = client.get(reverse("association:home")).content.decode()
    assert f'href="{APPLY}"' not in home


@pytest.mark.parametrize("persona", ["secretariat", "city_viewer_without_2fa"])
def test_the_services_refuse_a_staff_applicant(persona, request, profile):
    user = request.getfixturevalue(persona)

    with pytest.raises(ValidationError) as refused:
        make_application(user, submit=False)

    assert refused.value.error_list[0].code == "staff"
    assert not Application.objects.filter(applicant=user).exists()
    assert roles.APPLICANT not in groups(user)


def test_an_applicant_made_staff_cannot_submit(applicant, role_groups, profile):
    application = make_application(applicant, submit=False)
    applicant.groups.add(role_groups[roles.CIVIL_AFFAIRS])
    applicant._role_names = None

    with pytest.raises(ValidationError):
        services.application_submit(application=application)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


@pytest.mark.parametrize(
    "persona",
    [
        "outsider",
        "applicant",
        "individual_member",
        "unit_representative",
    ],
)
def test_any_signed_in_user_sees_the_choice_of_kind(client, persona, request, profile):
    login(client, request.getfixturevalue(persona))
    response = client.get(APPLY)
    assert response.status_code == 200
    assert reverse("members:apply") + "?kind=unit" in response.content.decode()


def test_unit_form_asks_for_the_credit_code(client, outsider, profile):
    login(client, outsider)
    response = client.get(APPLY, {"kind": "unit"})
    assert response.status_code == 200
    assert 'name="credit_code"' in response.content.decode()


def test_individual_form_is_prefilled_from_the_account(client, outsider, profile):
    login(client, outsider)
    response = client.get(APPLY, {"kind": "individual"})
    assert response.context["form"].initial["name"] == "吴凡"
    assert response.context["form"].initial["email"] == "waibu@example.org"


def test_put_is_not_allowed(client, outsider):
    login(client, outsider)
    assert client.put(APPLY).status_code == 405


# Drafts and submission --------------------------------------------------------------------


def test_saving_a_draft_makes_the_user_an_applicant(client, outsider, profile):
    login(client, outsider)
    response = post_unit(client)
    application = Application.objects.get(applicant=outsider)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:application", args=[application.pk])
    assert application.status == Application.Status.DRAFT
    assert application.credit_code == CREDIT_CODE
    assert application.representative is None
    assert roles.APPLICANT in groups(outsider)


def test_submitting_with_a_scan_sends_it_to_the_secretariat(
    client, outsider, profile, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_unit(
            client,
            action="submit",
            document=png_upload(),
            document_description="登记证书",
        )
    run_tasks()
    application = Application.objects.get(applicant=outsider)
    assert response.status_code == 302
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    document = application.documents.get()
    assert document.file_type == ApplicationDocument.FileType.IMAGE
    assert document.thumbnail
    assert document.original_name == "scan.png"
    assert [message.to for message in mailoutbox] == [["waibu@example.org"]]
    assert "入会申请" in mailoutbox[0].subject


def test_submitting_without_any_document_is_refused_and_saves_nothing(client, outsider, profile):
    login(client, outsider)
    response = post_unit(client, action="submit")
    assert response.status_code == 200
    assert "请至少上传一份证明材料" in response.content.decode()
    assert not Application.objects.exists()


def test_naming_a_representative_sends_an_invitation_and_names_nobody_yet(
    client, outsider, profile, other_member
):
    login(client, outsider)
    post_unit(client, representative_email="GEREN2@example.org")
    application = Application.objects.get(applicant=outsider)
    assert application.representative is None
    invitation = application.representative_invitations.get()
    assert (invitation.email, invitation.state) == ("GEREN2@example.org", "pending")


def test_an_unknown_representative_address_is_invited_like_any_other(client, outsider, profile):
    login(client, outsider)
    response = post_unit(client, representative_email="nobody@example.org")
    assert response.status_code == 302
    application = Application.objects.get(applicant=outsider)
    assert application.representative_invitations.get().email == "nobody@example.org"


def test_individual_application_with_a_pdf(client, outsider, profile):
    login(client, outsider)
    response = client.post(
        APPLY,
        individual_form_data(
            action="submit", document=pdf_upload(), document_description="资格证书"
        ),
    )
    assert response.status_code == 302
    application = Application.objects.get(applicant=outsider)
    assert application.kind == Member.Kind.INDIVIDUAL
    assert application.status == Application.Status.SUBMITTED
    document = application.documents.get()
    assert document.file_type == ApplicationDocument.FileType.PDF
    assert document.file.name.endswith(".pdf")
    assert not document.thumbnail


def test_qualified_individual_needs_the_certificate_number(client, outsider, profile):
    login(client, outsider)
    response = client.post(APPLY, individual_form_data(certificate_number=""))
    assert response.status_code == 200
    assert "certificate_number" in response.context["form"].errors
    assert not Application.objects.exists()


# Bad input: a clear error in Chinese and nothing half-saved -----------------------------


def test_wrong_credit_code_is_refused_in_chinese(client, outsider, profile):
    login(client, outsider)
    response = post_unit(client, credit_code="91350100M000100Y44")
    assert response.status_code == 200
    assert "统一社会信用代码有误" in response.content.decode()
    assert not Application.objects.exists()
    assert roles.APPLICANT not in groups(outsider)


def test_unit_that_is_already_a_member_cannot_apply_again(client, outsider, profile):
    Member.objects.create(kind=Member.Kind.UNIT, name="已入会单位", credit_code=CREDIT_CODE)
    login(client, outsider)
    response = post_unit(client, credit_code=CREDIT_CODE.lower())
    assert response.status_code == 200
    assert "该统一社会信用代码的单位已是会员" in response.content.decode()
    assert not Application.objects.exists()


def test_unit_already_under_review_cannot_be_submitted_twice(client, applicant, outsider, profile):
    make_application(applicant)
    login(client, outsider)
    response = post_unit(
        client, action="submit", document=png_upload(), document_description="证书"
    )
    assert response.status_code == 200
    assert "正在审核" in response.content.decode()
    assert Application.objects.count() == 1


def test_oversized_image_is_refused(client, outsider, profile, settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    big = SimpleUploadedFile("big.png", noise_png_bytes(), "image/png")
    login(client, outsider)
    response = post_unit(client, action="submit", document=big, document_description="证书")
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_decompression_bomb_is_refused(client, outsider, profile, settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    login(client, outsider)
    response = post_unit(
        client,
        action="submit",
        document=png_upload(size=(1000, 1000)),
        document_description="证书",
    )
    assert response.status_code == 200
    assert "图片尺寸过大" in response.content.decode()
    assert not Application.objects.exists()


def test_fake_image_is_refused(client, outsider, profile):
    fake = SimpleUploadedFile("scan.jpg", b"<?php echo 'not an image'; ?>", "image/jpeg")
    login(client, outsider)
    response = post_unit(client, action="submit", document=fake, document_description="证书")
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Application.objects.exists()


def test_pdf_that_is_not_a_pdf_is_refused(client, outsider, profile):
    fake = SimpleUploadedFile(
        "letter.pdf", b"Just some text pretending to be a PDF", "application/pdf"
    )
    login(client, outsider)
    response = post_unit(client, action="submit", document=fake, document_description="申请书")
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert response.context["form"].errors["document"] == ["该文件不是 PDF 文档。"]


def test_truncated_pdf_is_refused(client, outsider, profile):
    truncated = SimpleUploadedFile(
        "letter.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
    )
    login(client, outsider)
    response = post_unit(client, action="submit", document=truncated, document_description="申请书")
    assert response.status_code == 200
    assert "PDF 文档不完整或已损坏" in response.content.decode()
    assert not Application.objects.exists()


def test_second_open_application_is_refused_by_the_page(client, applicant, profile):
    first = make_application(applicant, submit=False)
    login(client, applicant)
    response = post_unit(client, credit_code=OTHER_CREDIT_CODE, name="另一家单位")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:application", args=[first.pk])
    assert Application.objects.count() == 1


def test_second_open_application_is_refused_by_the_service(applicant, profile):
    from django.core.exceptions import ValidationError

    make_application(applicant, submit=False)
    with pytest.raises(ValidationError) as caught:
        make_application(applicant, kind=Member.Kind.INDIVIDUAL, submit=False)
    assert "已有一份未完成的申请" in " ".join(caught.value.messages)
    assert Application.objects.count() == 1


def test_second_open_application_is_refused_by_the_database(applicant, profile):
    make_application(applicant, submit=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(applicant=applicant, kind=Member.Kind.INDIVIDUAL, name="蒋欣")


def test_new_application_allowed_after_withdrawing(client, applicant, profile):
    first = make_application(applicant)
    login(client, applicant)
    client.post(reverse("members:application-withdraw", args=[first.pk]))
    response = post_unit(client, credit_code=OTHER_CREDIT_CODE)
    assert response.status_code == 302
    assert Application.objects.filter(applicant=applicant).count() == 2


# The application page and its actions ---------------------------------------------------


def test_applicant_sees_status_and_documents(client, submitted_application):
    login(client, submitted_application.applicant)
    response = client.get(reverse("members:application", args=[submitted_application.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "已提交，等待审核" in page
    assert "登记证书" in page


@pytest.mark.parametrize(
    "persona", ["outsider", "individual_member", "other_member", "county_viewer"]
)
def test_others_get_404_for_an_application(client, submitted_application, persona, request):
    login(client, request.getfixturevalue(persona))
    url = reverse("members:application", args=[submitted_application.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login_for_an_application(client, submitted_application):
    url = reverse("members:application", args=[submitted_application.pk])
    assert reverse("account_login") in client.get(url)["Location"]


def test_secretariat_sees_any_application(client, secretariat, submitted_application):
    login(client, secretariat)
    url = reverse("members:application", args=[submitted_application.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("members:application-approve", args=[submitted_application.pk]) in (
        response.content.decode()
    )


def test_secretariat_without_two_factor_must_set_it_up(
    client, secretariat_without_2fa, submitted_application
):
    login(client, secretariat_without_2fa)
    url = reverse("members:application", args=[submitted_application.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_applicant_edits_a_draft(client, applicant, profile):
    application = make_application(applicant, submit=False)
    login(client, applicant)
    url = reverse("members:application-edit", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, unit_form_data(address="许昌市魏都区新地址9号"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.address == "许昌市魏都区新地址9号"
    assert application.status == Application.Status.DRAFT


def test_submitted_application_cannot_be_edited(client, submitted_application):
    login(client, submitted_application.applicant)
    url = reverse("members:application-edit", args=[submitted_application.pk])
    response = client.post(url, unit_form_data(address="改了"))
    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.address != "改了"


def test_secretariat_cannot_edit_someone_elses_application(client, secretariat, profile, applicant):
    application = make_application(applicant, submit=False)
    login(client, secretariat)
    url = reverse("members:application-edit", args=[application.pk])
    assert client.get(url).status_code == 404


def test_applicant_adds_and_removes_a_document(
    client, applicant, profile, django_capture_on_commit_callbacks
):
    application = make_application(applicant, submit=False)
    login(client, applicant)
    add = reverse("members:application-document-add", args=[application.pk])
    response = client.post(add, {"document": pdf_upload(), "document_description": "入会申请书"})
    assert response.status_code == 302
    assert application.documents.count() == 2
    added = application.documents.get(description="入会申请书")
    stored = Path(added.file.path)
    assert stored.exists()
    delete = reverse("members:application-document-delete", args=[application.pk, added.pk])
    assert client.get(delete).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete)
    run_tasks()
    assert response.status_code == 302
    assert application.documents.count() == 1
    assert not stored.exists()


def test_bad_document_on_the_application_page_shows_the_error(client, applicant, profile):
    application = make_application(applicant, submit=False)
    login(client, applicant)
    add = reverse("members:application-document-add", args=[application.pk])
    fake = SimpleUploadedFile("x.png", b"nope", "image/png")
    response = client.post(add, {"document": fake, "document_description": "证书"})
    assert response.status_code == 400
    assert "不是有效的图片" in response.content.decode()
    assert application.documents.count() == 1


def test_documents_cannot_be_added_to_a_submitted_application(client, submitted_application):
    login(client, submitted_application.applicant)
    add = reverse("members:application-document-add", args=[submitted_application.pk])
    client.post(add, {"document": png_upload(), "document_description": "补充"})
    assert submitted_application.documents.count() == 1


def test_other_users_cannot_add_documents(client, outsider, applicant, profile):
    application = make_application(applicant, submit=False)
    login(client, outsider)
    add = reverse("members:application-document-add", args=[application.pk])
    response = client.post(add, {"document": png_upload(), "document_description": "x"})
    assert response.status_code == 404
    assert application.documents.count() == 1


def test_submit_a_draft_from_its_page(
    client, applicant, profile, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(applicant, submit=False)
    login(client, applicant)
    url = reverse("members:application-submit", args=[application.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    run_tasks()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert len(mailoutbox) == 1


def test_withdrawing_drops_the_applicant_role(client, submitted_application):
    applicant = submitted_application.applicant
    login(client, applicant)
    url = reverse("members:application-withdraw", args=[submitted_application.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.WITHDRAWN
    assert roles.APPLICANT not in groups(applicant)


def test_others_cannot_withdraw(client, submitted_application, secretariat):
    login(client, secretariat)
    url = reverse("members:application-withdraw", args=[submitted_application.pk])
    assert client.post(url).status_code == 404
    submitted_application.refresh_from_db()
    assert submitted_application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("persona", [None, "outsider", "individual_member", "county_viewer"])
def test_only_the_applicant_acts_on_a_draft(client, applicant, profile, persona, request):
    application = make_application(applicant, submit=False)
    document = application.documents.get()
    if persona:
        login(client, request.getfixturevalue(persona))
    pk = application.pk
    attempts = [
        ("get", reverse("members:application-edit", args=[pk]), {}),
        ("post", reverse("members:application-edit", args=[pk]), unit_form_data(address="改")),
        ("post", reverse("members:application-submit", args=[pk]), {}),
        ("post", reverse("members:application-withdraw", args=[pk]), {}),
        ("post", reverse("members:application-document-add", args=[pk]), {}),
        ("post", reverse("members:application-document-delete", args=[pk, document.pk]), {}),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data)
        if persona is None:
            assert response.status_code == 302
            assert reverse("account_login") in response["Location"]
        else:
            assert response.status_code == 404, url
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.address != "改"
    assert application.documents.count() == 1


@pytest.mark.parametrize(
    "name", ["阳光社工\r\nBcc: victim@example.org", "阳光\n社工", "阳光\t社工"]
)
def test_a_name_on_more_than_one_line_is_refused(client, outsider, profile, name):
    login(client, outsider)

    response = post_unit(client, action="submit", name=name)

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "请在一行内填写" in response.content.decode()
    assert not Application.objects.exists()
