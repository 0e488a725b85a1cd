"""Upload validation: type by content, size, pixel budget, re-encoding."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from common import uploads
from common.tests.factories import image_upload, pdf_bytes, pdf_upload


def image_file(size=(120, 80), *, name="photo.png", **options):
    return image_upload(name, size=size, **options)


MINIMAL_PDF = pdf_bytes()


def test_image_is_re_encoded_as_jpeg():
    cleaned = uploads.clean_image(image_file())

    assert cleaned.name == "photo.jpg"
    assert Image.open(io.BytesIO(cleaned.read())).format == "JPEG"


def test_transparent_image_stays_png():
    cleaned = uploads.clean_image(image_file(mode="RGBA"))

    assert cleaned.name.endswith(".png")


def test_metadata_is_dropped():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make; GPS tags are dropped the same way
    cleaned = uploads.clean_image(image_file(fmt="JPEG", name="p.jpg", exif=exif.tobytes()))

    assert not Image.open(io.BytesIO(cleaned.read())).getexif()


def test_large_image_is_scaled_down():
    cleaned = uploads.clean_image(image_file(size=(5000, 1000)), max_side=1000)

    assert Image.open(io.BytesIO(cleaned.read())).size == (1000, 200)


def test_thumbnail():
    thumb = uploads.thumbnail(uploads.clean_image(image_file(size=(1000, 500))), side=100)

    assert Image.open(io.BytesIO(thumb.read())).size == (100, 50)


def test_fake_image_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.clean_image(SimpleUploadedFile("photo.jpg", b"GIF89a not really"))

    assert error.value.code == "invalid_image"


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError) as error:
        uploads.clean_image(image_file(fmt="GIF", name="a.gif"))

    assert error.value.code == "image_type"


def test_oversized_file_is_refused_before_decoding():
    with pytest.raises(ValidationError) as error:
        uploads.clean_image(image_file(), max_bytes=100)

    assert error.value.code == "too_large"


def test_decompression_bomb_is_refused(settings):
    # A 12000×12000 one-bit PNG is a few kilobytes but 144 million pixels decoded.
    settings.IMAGE_MAX_PIXELS = 40_000_000
    bomb = image_file(size=(12000, 12000), mode="1")
    assert bomb.size < 100_000

    with pytest.raises(ValidationError) as error:
        uploads.clean_image(bomb)

    assert error.value.code in {"too_many_pixels", "bomb"}


def test_real_pdf_is_accepted():
    upload = pdf_upload("scan.pdf", MINIMAL_PDF)

    assert uploads.clean_pdf(upload) is upload


def test_text_file_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.clean_pdf(SimpleUploadedFile("scan.pdf", b"just some text"))

    assert error.value.code == "not_pdf"


def test_truncated_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.clean_pdf(pdf_upload("scan.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendo"))

    assert error.value.code == "truncated_pdf"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n",
    ],
    ids=["html-polyglot", "no-catalogue", "no-page"],
)
def test_a_pdf_without_a_readable_page_is_refused(content):
    with pytest.raises(ValidationError) as error:
        uploads.clean_pdf(pdf_upload("scan.pdf", content))

    assert error.value.code == "invalid_pdf"


def test_image_or_pdf_dispatches_on_content():
    assert uploads.clean_image_or_pdf(pdf_upload("scan.pdf", MINIMAL_PDF)).name == "scan.pdf"
    assert uploads.clean_image_or_pdf(image_file(name="scan.pdf")).name == "scan.jpg"


def test_messages_are_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        uploads.clean_pdf(SimpleUploadedFile("scan.pdf", b"text"))

    assert error.value.messages == ["该文件不是 PDF 文档。"]
