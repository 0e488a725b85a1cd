"""The member certificate (会员证), drawn with Pillow as a PNG or a one-page PDF.

Chinese text needs a CJK font. We look for one at run time: the CERTIFICATE_FONT setting
first, then the paths where Debian, Fedora, Arch, macOS and Windows install the common CJK
fonts, then fontconfig. With none, CertificateFontMissing says what to install.
"""

import io
import logging
import os
import shutil
import subprocess

import qrcode
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

FONT_CANDIDATES = [
    # Debian/Ubuntu: fonts-noto-cjk, fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-*
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    # Fedora and Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    # macOS and Windows, for development machines
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]
INSTALL_HINT = (
    "Install a Chinese font (Debian/Ubuntu: apt-get install fonts-wqy-zenhei, or "
    "fonts-noto-cjk) or set CERTIFICATE_FONT to the path of a .ttf/.ttc/.otf font file "
    "with Chinese characters."
)

# A4 landscape at 150 dpi.
WIDTH, HEIGHT = 1754, 1240
DPI = 150
RED = (161, 40, 28)
INK = (29, 36, 51)
MUTED = (74, 85, 104)
PAPER = (255, 251, 242)


class CertificateFontMissing(ImproperlyConfigured):
    """No font with Chinese characters is available to draw certificates."""


def _fontconfig_font():
    """Ask fontconfig for any font covering Chinese, when it is installed."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        output = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_list, ":lang=zh", "file"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(output.splitlines()):
        path = line.split(":", 1)[0].strip()
        if path and os.path.isfile(path):
            return path
    return None


def find_font(candidates=None, *, use_fontconfig=True):
    """The path of a CJK font, or CertificateFontMissing with instructions."""
    configured = getattr(settings, "CERTIFICATE_FONT", "")
    if configured:
        if os.path.isfile(configured):
            return configured
        raise CertificateFontMissing(
            f"CERTIFICATE_FONT is set to {configured!r}, but there is no such file. " + INSTALL_HINT
        )
    for path in FONT_CANDIDATES if candidates is None else candidates:
        if os.path.isfile(path):
            return path
    found = _fontconfig_font() if use_fontconfig else None
    if found:
        return found
    raise CertificateFontMissing("No font with Chinese characters was found. " + INSTALL_HINT)


def _font(path, size):
    return ImageFont.truetype(path, size)


def _fitted_font(draw, text, path, size, max_width, min_size=28):
    """The largest font up to `size` in which `text` fits `max_width` pixels."""
    while size > min_size:
        font = _font(path, size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 4
    return _font(path, min_size)


def _qr_image(data, side):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB").resize((side, side), Image.NEAREST)


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


def render_certificate(certificate, *, association_name, verify_url):
    """Draw the certificate; `verify_url` is the absolute address of its public check page."""
    font_path = find_font()
    member = certificate.member
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    # Double frame in the association's red.
    draw.rectangle([30, 30, WIDTH - 31, HEIGHT - 31], outline=RED, width=12)
    draw.rectangle([62, 62, WIDTH - 63, HEIGHT - 63], outline=RED, width=3)

    centre = WIDTH // 2
    association_font = _fitted_font(draw, association_name, font_path, 56, WIDTH - 300)
    draw.text((centre, 150), association_name, font=association_font, fill=INK, anchor="mm")
    draw.text(
        (centre, 285), _("Member certificate"), font=_font(font_path, 120), fill=RED, anchor="mm"
    )

    label_font = _font(font_path, 40)
    rows = [
        (_("Member name"), member.name),
        (_("Member number"), member.number or ""),
        (_("Kind"), member.get_kind_display()),
        (_("Tier"), certificate.get_tier_display()),
        (
            _("Valid"),
            _("%(start)s to %(end)s")
            % {"start": _date(certificate.issued_on), "end": _date(certificate.valid_until)},
        ),
    ]
    left, value_left, top, line = 160, 500, 430, 105
    value_width = 1120 - value_left
    for index, (label, value) in enumerate(rows):
        y = top + index * line
        draw.text((left, y), label, font=label_font, fill=MUTED, anchor="lm")
        value_font = _fitted_font(draw, value, font_path, 52, value_width)
        draw.text((value_left, y), value, font=value_font, fill=INK, anchor="lm")
        draw.line([value_left, y + 38, 1120, y + 38], fill=(222, 214, 200), width=2)

    qr_side = 380
    qr_left, qr_top = WIDTH - 160 - qr_side, 400
    image.paste(_qr_image(verify_url, qr_side), (qr_left, qr_top))
    small = _font(font_path, 30)
    draw.text(
        (qr_left + qr_side // 2, qr_top + qr_side + 40),
        _("Scan to check this certificate"),
        font=small,
        fill=MUTED,
        anchor="mm",
    )

    footer = _("Check that this certificate is genuine at %(url)s") % {"url": verify_url}
    draw.text(
        (centre, HEIGHT - 200),
        footer,
        font=_fitted_font(draw, footer, font_path, 32, WIDTH - 260, min_size=18),
        fill=MUTED,
        anchor="mm",
    )
    issued = _("Issued by the secretariat of %(name)s on %(date)s") % {
        "name": association_name,
        "date": _date(certificate.issued_on),
    }
    draw.text(
        (centre, HEIGHT - 140),
        issued,
        font=_fitted_font(draw, issued, font_path, 32, WIDTH - 260, min_size=18),
        fill=MUTED,
        anchor="mm",
    )
    return image


def certificate_png(certificate, **kwargs):
    out = io.BytesIO()
    render_certificate(certificate, **kwargs).save(out, "PNG", optimize=True)
    return out.getvalue()


def certificate_pdf(certificate, **kwargs):
    out = io.BytesIO()
    render_certificate(certificate, **kwargs).save(
        out,
        "PDF",
        resolution=DPI,
        title=f"{_('Member certificate')} {certificate.member.number}",
        author=kwargs.get("association_name", ""),
    )
    return out.getvalue()
