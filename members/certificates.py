"""The member certificate (会员证), drawn as a PNG or a one-page PDF with the portal's
certificate machinery (common.certificates): the member's name, number, kind, tier and
validity, and a QR code of the public check page."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.certificates import (
    A4_LANDSCAPE,
    MUTED,
    RED,
    centred_text,
    find_font,
    font,
    framed_page,
    labelled_rows,
    pdf_bytes,
    png_bytes,
    qr_block,
)

WIDTH, HEIGHT = A4_LANDSCAPE


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def render_certificate(certificate, *, association_name, verify_url):
    """Draw the certificate; `verify_url` is the absolute address of its public check page."""
    font_path = find_font()
    member = certificate.member
    image, draw = framed_page(A4_LANDSCAPE)

    centre = WIDTH // 2
    centred_text(draw, 150, association_name, font_path, 56, width=WIDTH, min_size=28, margin=150)
    draw.text(
        (centre, 285), _("Member certificate"), font=font(font_path, 120), fill=RED, anchor="mm"
    )

    rows = [
        (_("Member name"), member.name),
        (_("Member number"), member.number or ""),
        (_("Kind"), member.get_kind_display()),
        (_("Tier"), certificate.get_tier_display()),
        (
            pgettext("validity of a certificate", "Valid"),
            _("%(start)s to %(end)s")
            % {"start": _date(certificate.issued_on), "end": _date(certificate.valid_until)},
        ),
    ]
    labelled_rows(draw, font_path, rows, left=160, value_left=500, right=1120, top=430, line=105)
    qr_side = 380
    qr_block(
        image,
        draw,
        font_path,
        verify_url,
        left=WIDTH - 160 - qr_side,
        top=400,
        side=qr_side,
        caption=_("Scan to check this certificate"),
    )

    footer = _("Check that this certificate is genuine at %(url)s") % {"url": verify_url}
    centred_text(draw, HEIGHT - 200, footer, font_path, 32, width=WIDTH, fill=MUTED)
    issued = _("Issued by the secretariat of %(name)s on %(date)s") % {
        "name": association_name,
        "date": _date(certificate.issued_on),
    }
    centred_text(draw, HEIGHT - 140, issued, font_path, 32, width=WIDTH, fill=MUTED)
    return image


def certificate_png(certificate, **kwargs):
    return png_bytes(render_certificate(certificate, **kwargs))


def certificate_pdf(certificate, **kwargs):
    return pdf_bytes(
        [render_certificate(certificate, **kwargs)],
        title=f"{_('Member certificate')} {certificate.member.number}",
        author=kwargs.get("association_name", ""),
    )
