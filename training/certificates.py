"""Training certificates drawn as PDF: the attendance certificate of one training and the
continuing-education hours certificate (继续教育学时证明) of a registration period.

Each carries its number and a QR code of its public check page, which confirms the name
and the hours printed here.
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image, ImageDraw

from members.certificates import (
    DPI,
    INK,
    MUTED,
    PAPER,
    RED,
    _fitted_font,
    _font,
    _qr_image,
    find_font,
)

# A4 at 150 dpi: landscape for one training, portrait for a period's list of hours.
LANDSCAPE = (1754, 1240)
PORTRAIT = (1240, 1754)
RULE = (222, 214, 200)
# Rows of the list of hours that fit above the footer: fewer on the first page, which
# also holds the name, the period and the total.
FIRST_PAGE_ROWS = 10
PAGE_ROWS = 19


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def hours_text(hours):
    return _("%(hours)s hours") % {"hours": hours}


def _frame(size):
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([30, 30, width - 31, height - 31], outline=RED, width=12)
    draw.rectangle([62, 62, width - 63, height - 63], outline=RED, width=3)
    return image, draw


def _centred(draw, y, text, font_path, size, width, *, fill=INK, min_size=18):
    font = _fitted_font(draw, text, font_path, size, width - 260, min_size=min_size)
    draw.text((width // 2, y), text, font=font, fill=fill, anchor="mm")


def _qr_block(image, draw, font_path, verify_url, *, left, top, side):
    image.paste(_qr_image(verify_url, side), (left, top))
    draw.text(
        (left + side // 2, top + side + 36),
        _("Scan to check this certificate"),
        font=_font(font_path, 28),
        fill=MUTED,
        anchor="mm",
    )


def _footer(draw, font_path, size, certificate, *, association_name, verify_url):
    width, height = size
    number = _("Certificate number %(number)s") % {"number": certificate.number}
    _centred(draw, height - 250, number, font_path, 36, width, fill=INK)
    check = _("Check that this certificate is genuine at %(url)s") % {"url": verify_url}
    _centred(draw, height - 195, check, font_path, 30, width, fill=MUTED)
    issued = _("Issued by the secretariat of %(name)s on %(date)s") % {
        "name": association_name,
        "date": _date(certificate.issued_at.date()),
    }
    _centred(draw, height - 140, issued, font_path, 30, width, fill=MUTED)


def _rows(draw, font_path, rows, *, left, value_left, right, top, line):
    label_font = _font(font_path, 38)
    for index, (label, value) in enumerate(rows):
        y = top + index * line
        draw.text((left, y), label, font=label_font, fill=MUTED, anchor="lm")
        value_font = _fitted_font(draw, value, font_path, 48, right - value_left)
        draw.text((value_left, y), value, font=value_font, fill=INK, anchor="lm")
        draw.line([value_left, y + 36, right, y + 36], fill=RULE, width=2)


def render_attendance(certificate, *, association_name, verify_url):
    """The attendance certificate of one training (landscape A4)."""
    font_path = find_font()
    image, draw = _frame(LANDSCAPE)
    width, _height = LANDSCAPE
    training = certificate.training
    _centred(draw, 150, association_name, font_path, 56, width)
    _centred(draw, 280, _("Training certificate"), font_path, 110, width, fill=RED)
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
    _qr_block(image, draw, font_path, verify_url, left=width - 160 - 360, top=400, side=360)
    _footer(
        draw,
        font_path,
        LANDSCAPE,
        certificate,
        association_name=association_name,
        verify_url=verify_url,
    )
    return [image]


def render_period(certificate, items, *, association_name, verify_url):
    """The hours certificate of a registration period (portrait A4), listing every item
    credited in it; longer lists continue on further pages."""
    font_path = find_font()
    width, height = PORTRAIT
    period = certificate.period
    pages = []
    chunks = [items[:FIRST_PAGE_ROWS]] + [
        items[i : i + PAGE_ROWS] for i in range(FIRST_PAGE_ROWS, len(items), PAGE_ROWS)
    ]
    for page_number, chunk in enumerate(chunks, start=1):
        image, draw = _frame(PORTRAIT)
        _centred(draw, 140, association_name, font_path, 48, width)
        _centred(
            draw, 240, _("Continuing-education hours certificate"), font_path, 76, width, fill=RED
        )
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
            _qr_block(image, draw, font_path, verify_url, left=width - 90 - 200, top=90, side=200)
            _rows(draw, font_path, rows, left=130, value_left=420, right=width - 130, top=400,
                  line=90)  # fmt: skip
            top = 790
        header_font = _font(font_path, 30)
        cell_font_size = 28
        columns = [(130, _("Date")), (340, _("Training")), (width - 130, _("Hours"))]
        for x, label in columns[:2]:
            draw.text((x, top), label, font=header_font, fill=MUTED, anchor="lm")
        draw.text((columns[2][0], top), columns[2][1], font=header_font, fill=MUTED, anchor="rm")
        draw.line([130, top + 26, width - 130, top + 26], fill=INK, width=2)
        y = top + 64
        for item in chunk:
            draw.text(
                (130, y), item.on.isoformat(), font=_font(font_path, cell_font_size), fill=INK,
                anchor="lm",
            )  # fmt: skip
            title = (
                item.title
                if not item.outside
                else _("%(title)s (elsewhere)") % {"title": item.title}
            )
            title_font = _fitted_font(draw, title, font_path, cell_font_size, width - 600, 16)
            draw.text((340, y), title, font=title_font, fill=INK, anchor="lm")
            draw.text(
                (width - 130, y), str(item.hours), font=_font(font_path, cell_font_size), fill=INK,
                anchor="rm",
            )  # fmt: skip
            draw.line([130, y + 24, width - 130, y + 24], fill=RULE, width=1)
            y += 52
        if not chunk:
            draw.text(
                (130, y), _("No hours credited yet."), font=_font(font_path, 28), fill=MUTED,
                anchor="lm",
            )  # fmt: skip
        if len(chunks) > 1:
            page_label = _("Page %(page)s of %(pages)s") % {
                "page": page_number,
                "pages": len(chunks),
            }
            _centred(draw, height - 310, page_label, font_path, 26, width, fill=MUTED)
        _footer(
            draw,
            font_path,
            PORTRAIT,
            certificate,
            association_name=association_name,
            verify_url=verify_url,
        )
        pages.append(image)
    return pages


def as_pdf(pages, *, title, author):
    out = io.BytesIO()
    first, *rest = pages
    first.save(
        out, "PDF", resolution=DPI, save_all=True, append_images=rest, title=title, author=author
    )
    return out.getvalue()
