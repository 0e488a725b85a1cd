"""Documents: the list of documents in force, versions, safe text, differences, PDFs."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from association.models import Document, DocumentVersion
from association.services import document_version_put_in_force
from common.tests.factories import pdf_bytes
from conftest import check_in, login
from elections.ballot_box.services import ballot_cast, poll_close, poll_publish

PDF = pdf_bytes()


@pytest.fixture
def adopted(open_poll, individual_member, unit_representative, secretariat):
    """The charter motion passed 2 to 0 and is published: its version is in force."""
    for user in (individual_member, unit_representative):
        check_in(user, open_poll.meeting)
        ballot_cast(poll=open_poll, actor=user, choices={"vote": "yes"})
    poll_close(poll=open_poll, actor=secretariat)
    poll_publish(poll=open_poll, actor=secretariat)
    return Document.objects.get(kind=Document.Kind.CHARTER)


def test_documents_list_shows_documents_in_force_with_their_adoption_record(client, adopted):
    draft = Document.objects.create(title="资金管理使用办法")
    DocumentVersion.objects.create(document=draft, text="草稿")

    response = client.get(reverse("association:documents"))

    html = response.content.decode()
    assert response.status_code == 200
    assert adopted.title in html and draft.title not in html
    assert "2 yes, 0 no, 0 abstaining, 2 present." in html
    assert adopted.version_in_force.adopted_by.meeting.title in html
    assert (
        reverse("elections:poll-results", args=[adopted.version_in_force.adopted_by.poll_id])
        in html
    )


def test_documents_list_query_count_does_not_grow(client, adopted, django_assert_max_num_queries):
    for number in range(5):
        document = Document.objects.create(title=f"办法{number}")
        version = DocumentVersion.objects.create(document=document, text="内容")
        document_version_put_in_force(
            version=version, motion=adopted.version_in_force.adopted_by, actor=None
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("association:documents"))
    assert len(response.context["page"].object_list) == 6


def test_document_text_is_escaped_and_keeps_its_line_breaks(client, adopted, secretariat):
    login(client, secretariat)  # a draft: the secretariat's
    version = DocumentVersion.objects.create(
        document=adopted, text='第一条 <script>alert("x")</script>\n第二条 & 附则'
    )
    response = client.get(
        reverse("association:document-version", args=[adopted.pk, version.number])
    )
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<br>第二条 &amp; 附则" in html


def test_difference_between_two_versions_is_shown_safely(client, adopted, secretariat):
    login(client, secretariat)
    DocumentVersion.objects.create(
        document=adopted,
        label="修订稿",
        text="第一章 总则\n第一条 本会名称为许昌市社会工作行业协会<b>。\n第二条 新增条款。",
    )

    response = client.get(
        reverse("association:document-diff", args=[adopted.pk]), {"from": 1, "to": 2}
    )

    html = response.content.decode()
    kinds = [row.kind for row in response.context["rows"]]
    assert kinds == ["same", "removed", "added", "added"]
    assert "<ins>&lt;b&gt;</ins>" in html
    assert "<ins>第二条 新增条款。</ins>" in html
    assert "<b>" not in html.split('class="diff"')[1]


@pytest.mark.parametrize(
    "params", [{"from": "x", "to": "2"}, {"from": 1, "to": 9}, {"from": 1, "to": 1}]
)
def test_bad_version_numbers_get_a_clear_message(client, adopted, secretariat, params):
    login(client, secretariat)
    DocumentVersion.objects.create(document=adopted, text="新文本")
    response = client.get(reverse("association:document-diff", args=[adopted.pk]), params)
    assert response.status_code == 200
    assert response.context["error"]
    assert response.context["rows"] == []


def test_version_in_force_cannot_be_set_by_hand_in_the_admin(client, adopted, secretariat):
    login(client, secretariat)
    response = client.get(reverse("admin:association_document_change", args=[adopted.pk]))
    assert response.status_code == 200
    assert 'name="version_in_force"' not in response.content.decode()
    version = adopted.version_in_force
    response = client.get(reverse("admin:association_documentversion_change", args=[version.pk]))
    assert 'name="text"' not in response.content.decode()  # adopted wording is locked


def test_secretariat_adds_a_version_with_a_pdf_in_the_admin(client, charter, secretariat, settings):
    login(client, secretariat)
    response = client.post(
        reverse("admin:association_documentversion_add"),
        {
            "document": charter.pk,
            "label": "修订稿",
            "text": "第一条 修订。",
            "pdf": SimpleUploadedFile("charter.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get(document=charter, number=2)
    assert version.pdf.name.endswith(".pdf")


def test_a_file_that_is_not_a_pdf_is_refused(client, charter, secretariat):
    login(client, secretariat)
    response = client.post(
        reverse("admin:association_documentversion_add"),
        {
            "document": charter.pk,
            "text": "第一条",
            "pdf": SimpleUploadedFile(
                "charter.pdf", b"MZ not a pdf", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert "not a PDF document" in response.content.decode()
    assert charter.versions.count() == 1


def test_version_numbers_follow_each_other(charter):
    second = DocumentVersion.objects.create(document=charter, text="二")
    assert second.number == 2
    with pytest.raises(ValidationError):
        DocumentVersion(document=charter, number=2, text="重复").validate_constraints()


def _version_with_pdf(document, **fields):
    version = DocumentVersion(document=document, text="第一条", **fields)
    version.pdf.save("charter.pdf", ContentFile(PDF), save=False)
    version.save()
    return version


def test_the_pdf_of_a_version_in_force_is_served_to_anyone(client, adopted):
    version = adopted.version_in_force
    version.pdf.save("charter.pdf", ContentFile(PDF))
    url = reverse("association:document-version-pdf", args=[adopted.pk, version.number])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("association:document", args=[adopted.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_the_pdf_of_a_draft_is_not_public(client, charter, secretariat):
    draft = _version_with_pdf(charter)
    url = reverse("association:document-version-pdf", args=[charter.pk, draft.number])

    assert client.get(url).status_code == 404
    login(client, secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_version_without_a_pdf_answers_404(client, adopted):
    version = adopted.version_in_force
    url = reverse("association:document-version-pdf", args=[adopted.pk, version.number])

    assert client.get(url).status_code == 404


def test_an_html_page_between_pdf_markers_is_refused(client, charter, secretariat):
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    login(client, secretariat)
    response = client.post(
        reverse("admin:association_documentversion_add"),
        {
            "document": charter.pk,
            "text": "第一条",
            "pdf": SimpleUploadedFile("charter.pdf", polyglot, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "incomplete or damaged" in response.content.decode()
    assert charter.versions.count() == 1
