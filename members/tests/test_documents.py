"""Supporting documents are private: served only to the applicant and the secretariat."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from common.storage import private_storage
from conftest import login


@pytest.fixture
def document(submitted_application):
    return submitted_application.documents.get()


def url(document, name="members:application-document"):
    return reverse(name, args=[document.application_id, document.pk])


def test_files_are_stored_outside_the_public_media_url(document):
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    with pytest.raises(ValueError):
        private_storage.url(document.file.name)


def test_stored_name_is_ours_not_the_uploaders(document):
    assert Path(document.file.name).name.startswith("scan")
    assert document.original_name == "scan.png"


def test_applicant_downloads_the_document(client, document):
    login(client, document.application.applicant)
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/jpeg", "image/png")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:4] in (
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xdb",
        b"\x89PNG",
    )


def test_images_are_reencoded_without_metadata(document):
    from PIL import Image

    with document.file.open("rb") as handle:
        image = Image.open(handle)
        image.load()
    assert not image.info.get("exif")
    with document.thumbnail.open("rb") as handle:
        small = Image.open(handle)
        assert max(small.size) <= 320


def test_secretariat_downloads_the_document_and_its_thumbnail(client, secretariat, document):
    login(client, secretariat)
    assert client.get(url(document)).status_code == 200
    assert client.get(url(document, "members:application-document-thumbnail")).status_code == 200


@pytest.mark.parametrize(
    "persona", ["outsider", "individual_member", "other_member", "county_viewer", "city_viewer"]
)
def test_others_get_404_for_a_document(client, document, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(url(document)).status_code == 404
    assert client.get(url(document, "members:application-document-thumbnail")).status_code == 404


def test_anonymous_is_sent_to_login_for_a_document(client, document):
    response = client.get(url(document))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_document_of_another_application_is_404(client, document, secretariat):
    login(client, secretariat)
    wrong = reverse("members:application-document", args=[document.application_id + 1, document.pk])
    assert client.get(wrong).status_code == 404
