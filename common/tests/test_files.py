"""serve_file: one set of headers for every stored file the portal serves."""

import pytest
from django.core.files.base import ContentFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404

from common.files import serve_file
from common.storage import private_storage
from common.tests.factories import pdf_bytes, png_bytes


def stored(name, content):
    field = FileField(storage=private_storage)
    return FieldFile(None, field, private_storage.save(name, ContentFile(content)))


def test_private_image_is_shown_inline_never_cached_never_run():
    response = serve_file(stored("photos/me.png", png_bytes()))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="me.png"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()


def test_public_file_may_be_cached():
    assert serve_file(stored("logo.png", png_bytes()), public=True)["Cache-Control"] == (
        "public, max-age=3600"
    )
    response = serve_file(stored("station.png", png_bytes()), public=True, max_age=86400)
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Content-Security-Policy"].endswith("sandbox")


def test_pdf_and_named_downloads_are_attachments():
    pdf = serve_file(stored("scans/letter.pdf", pdf_bytes()))
    assert pdf["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    named = serve_file(stored("photos/x.png", png_bytes()), download_name="照片.png")
    assert named["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_empty_field_or_missing_file_is_not_found():
    with pytest.raises(Http404):
        serve_file(FieldFile(None, FileField(storage=private_storage), ""))
    gone = stored("photos/gone.png", png_bytes())
    private_storage.delete(gone.name)
    with pytest.raises(Http404):
        serve_file(gone)
