"""Training certificates drawn as PDF: the attendance certificate of one training and the
continuing-education hours certificate (继续教育学时证明) of a registration period.

Each carries its number and a QR code of its public check page, which confirms the name
and the hours printed here.
"""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.certificates import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    INK,
    MUTED,
    RED,
    RULE,
    centred_text,
    find_font,
    fitted_font,
    font,
    framed_page,
    labelled_rows,
    qr_block,
)

# Rows of the list of hours that fit above the footer: fewer on the first page, which
# also holds the name, the period and the total.
FIRST_PAGE_ROWS = 10
PAGE_ROWS = 19


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def hours_text(hours):
    return _("%(hours)s hours") % {"hours": hours}


def _qr(image, draw, font_path, verify_url, **place):
    qr_block(
        image, draw, font_path, verify_url, caption=_("Scan to check this certificate"), **place
    )


def _footer(draw, font_path, size, certificate, *, association_name, verify_url):
    width, height = size
    number = _("Certificate number %(number)s") % {"number": certificate.number}
    centred_text(draw, height - 250, number, font_path, 36, width=width)
    check = _("Check that this certificate is genuine at %(url)s") % {"url": verify_url}
    centred_text(draw, height - 195, check, font_path, 30, width=width, fill=MUTED)
    issued = _("Issued by the secretariat of %(name)s on %(date)s") % {
        "name": association_name,
        "date": _date(certificate.issued_at.date()),
    }
    centred_text(draw, height - 140, issued, font_path, 30, width=width, fill=MUTED)


def _rows(draw, font_path, rows, **place):
    labelled_rows(draw, font_path, rows, label_size=38, value_size=48, **place)


def render_attendance(certificate, *, association_name, verify_url):
    """The attendance certificate of one training (landscape A4)."""
    font_path = find_font()
    image, draw = framed_page(A4_LANDSCAPE)
    width, _height = A4_LANDSCAPE
    training = certificate.training
    centred_text(draw, 150, association_name, font_path, 56, width=width)
    centred_text(draw, 280, _("Training certificate"), font_path, 110, width=width, fill=RED)
    if certificate.covers_from == certificate.covers_until:
        dates = _date(certificate.covers_from)
    else:
        dates = _("%(start)s to %(end)s") % {
            "start": _date(certificate.covers_from),
            "end": _date(certificate.covers_until),
        }
    rows = [
        (pgettext("name of a person", "Name"), certificate.holder_name),
        (_("Training"), training.title),
        (pgettext("kind of training", "Kind"), training.get_kind_display()),
        (_("Dates"), dates),
        (_("Hours credited"), hours_text(certificate.hours)),
    ]
    _rows(draw, font_path, rows, left=160, value_left=440, right=1130, top=420, line=100)
    _qr(image, draw, font_path, verify_url, left=width - 160 - 360, top=400, side=360)
    _footer(
        draw,
        font_path,
        A4_LANDSCAPE,
        certificate,
        association_name=association_name,
        verify_url=verify_url,
    )
    return [image]


def render_period(certificate, items, *, association_name, verify_url):
    """The hours certificate of a registration period (portrait A4), listing every item
    credited in it; longer lists continue on further pages."""
    font_path = find_font()
    width, height = A4_PORTRAIT
    period = certificate.period
    pages = []
    chunks = [items[:FIRST_PAGE_ROWS]] + [
        items[i : i + PAGE_ROWS] for i in range(FIRST_PAGE_ROWS, len(items), PAGE_ROWS)
    ]
    for page_number, chunk in enumerate(chunks, start=1):
        image, draw = framed_page(A4_PORTRAIT)
        centred_text(draw, 140, association_name, font_path, 48, width=width)
        title = _("Continuing-education hours certificate")
        centred_text(draw, 240, title, font_path, 76, width=width, fill=RED)
        top = 330
        if page_number == 1:
            rows = [
                (pgettext("name of a person", "Name"), certificate.holder_name),
                (_("Qualification level"), period.get_qualification_display()),
                (
                    _("Registration period"),
                    _("%(start)s to %(end)s")
                    % {
                        "start": _date(certificate.covers_from),
                        "end": _date(certificate.covers_until),
                    },
                ),
                (
                    _("Hours credited"),
                    _("%(hours)s of the %(required)s hours required")
                    % {"hours": certificate.hours, "required": period.required_hours},
                ),
            ]
            # The QR code sits in the top right corner, so the rows get the full width.
            _qr(image, draw, font_path, verify_url, left=width - 90 - 200, top=90, side=200)
            _rows(draw, font_path, rows, left=130, value_left=420, right=width - 130, top=400,
                  line=90)  # fmt: skip
            top = 790
        header_font = font(font_path, 30)
        cell_font_size = 28
        columns = [(130, _("Date")), (340, _("Training")), (width - 130, _("Hours"))]
        for x, label in columns[:2]:
            draw.text((x, top), label, font=header_font, fill=MUTED, anchor="lm")
        draw.text((columns[2][0], top), columns[2][1], font=header_font, fill=MUTED, anchor="rm")
        draw.line([130, top + 26, width - 130, top + 26], fill=INK, width=2)
        y = top + 64
        for item in chunk:
            draw.text(
                (130, y), item.on.isoformat(), font=font(font_path, cell_font_size), fill=INK,
                anchor="lm",
            )  # fmt: skip
            title = (
                item.title
                if not item.outside
                else _("%(title)s (elsewhere)") % {"title": item.title}
            )
            title_font = fitted_font(draw, title, font_path, cell_font_size, width - 600, 16)
            draw.text((340, y), title, font=title_font, fill=INK, anchor="lm")
            draw.text(
                (width - 130, y), str(item.hours), font=font(font_path, cell_font_size), fill=INK,
                anchor="rm",
            )  # fmt: skip
            draw.line([130, y + 24, width - 130, y + 24], fill=RULE, width=1)
            y += 52
        if not chunk:
            draw.text(
                (130, y), _("No hours credited yet."), font=font(font_path, 28), fill=MUTED,
                anchor="lm",
            )  # fmt: skip
        if len(chunks) > 1:
            page_label = _("Page %(page)s of %(pages)s") % {
                "page": page_number,
                "pages": len(chunks),
            }
            centred_text(draw, height - 310, page_label, font_path, 26, width=width, fill=MUTED)
        _footer(
            draw,
            font_path,
            A4_PORTRAIT,
            certificate,
            association_name=association_name,
            verify_url=verify_url,
        )
        pages.append(image)
    return pages
