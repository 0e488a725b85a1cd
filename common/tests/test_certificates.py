"""The certificate machinery: the Chinese font it needs, pages of several sheets, the QR
code, and the download that explains a missing font."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from common.certificates import (
    A4_PORTRAIT,
    CertificateFontMissing,
    certificate_download,
    find_font,
    framed_page,
    pdf_bytes,
    qr_image,
)


def test_missing_font_gives_a_clear_error(settings, tmp_path):
    settings.CERTIFICATE_FONT = str(tmp_path / "missing.ttc")
    with pytest.raises(CertificateFontMissing, match="CERTIFICATE_FONT"):
        find_font()
    settings.CERTIFICATE_FONT = ""
    with pytest.raises(CertificateFontMissing, match="fonts-wqy-zenhei"):
        find_font([], use_fontconfig=False)


def test_configured_font_is_used(settings):
    path = find_font()
    settings.CERTIFICATE_FONT = path
    assert find_font([]) == path


def test_pages_make_one_pdf_in_order():
    pages = [framed_page(A4_PORTRAIT)[0] for _ in range(3)]
    pdf = pdf_bytes(pages, title="学时证明", author="协会")
    assert pdf.startswith(b"%PDF-") and b"/Count 3" in pdf


def test_a_qr_code_is_square_black_on_white():
    image = qr_image("https://portal.example.org/training/verify/JX-AAAA-BBBB/", 300)
    assert image.size == (300, 300)
    assert {colour for _count, colour in image.getcolors()} == {(0, 0, 0), (255, 255, 255)}


def test_the_download_is_an_uncached_attachment(db):
    request = RequestFactory().get("/")
    response = certificate_download(
        request, lambda: b"%PDF-1.4", filename="JX.pdf", content_type="application/pdf",
        back_url="/training/mine/",
    )  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="JX.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_without_a_font_the_download_answers_503_with_the_reason(db, rf, settings, tmp_path):
    settings.CERTIFICATE_FONT = str(tmp_path / "missing.ttc")
    request = rf.get("/")
    request.user = AnonymousUser()

    def draw():
        find_font()
        return b""

    response = certificate_download(
        request, draw, filename="x.pdf", content_type="application/pdf", back_url="/members/me/"
    )
    assert response.status_code == 503
    assert b"/members/me/" in response.content
