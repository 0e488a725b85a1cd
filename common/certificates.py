"""Certificates drawn with Pillow as PNG or PDF, each with a QR code of its public check page.

One machinery for the member certificate (会员证) and the training certificates (培训证明,
继续教育学时证明): the Chinese font they need, the framed page, text fitted to its space,
the QR code, several pages in one PDF, and the download that answers 503 with the reason
when no font is installed.

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
from django.http import HttpResponse
from django.shortcuts import render
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

# Pages are drawn at 150 dpi: A4 is 1754 × 1240 pixels landscape, 1240 × 1754 portrait.
DPI = 150
A4_LANDSCAPE = (1754, 1240)
A4_PORTRAIT = (1240, 1754)
RED = (161, 40, 28)
INK = (29, 36, 51)
MUTED = (74, 85, 104)
PAPER = (255, 251, 242)
RULE = (222, 214, 200)


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


def font(path, size):
    return ImageFont.truetype(path, size)


def fitted_font(draw, text, path, size, max_width, min_size=28):
    """The largest font up to `size` in which `text` fits `max_width` pixels."""
    while size > min_size:
        candidate = font(path, size)
        if draw.textlength(text, font=candidate) <= max_width:
            return candidate
        size -= 4
    return font(path, min_size)


def qr_image(data, side):
    """A QR code of `data`, `side` pixels square, black on white."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB").resize((side, side), Image.NEAREST)


def framed_page(size):
    """A blank page of `size` pixels with the double frame in the association's red."""
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([30, 30, width - 31, height - 31], outline=RED, width=12)
    draw.rectangle([62, 62, width - 63, height - 63], outline=RED, width=3)
    return image, draw


def centred_text(draw, y, text, path, size, *, width, fill=INK, min_size=18, margin=130):
    """`text` centred on the line `y` of a page `width` wide, shrunk to fit its margins."""
    chosen = fitted_font(draw, text, path, size, width - 2 * margin, min_size=min_size)
    draw.text((width // 2, y), text, font=chosen, fill=fill, anchor="mm")


def labelled_rows(
    draw, path, rows, *, left, value_left, right, top, line, label_size=40, value_size=52
):
    """(label, value) rows from `top`, `line` pixels apart: the label muted, the value fitted
    between `value_left` and `right` and underlined."""
    label_font = font(path, label_size)
    for index, (label, value) in enumerate(rows):
        y = top + index * line
        draw.text((left, y), label, font=label_font, fill=MUTED, anchor="lm")
        value_font = fitted_font(draw, value, path, value_size, right - value_left)
        draw.text((value_left, y), value, font=value_font, fill=INK, anchor="lm")
        rule = y + round(value_size * 0.73)
        draw.line([value_left, rule, right, rule], fill=RULE, width=2)


def qr_block(image, draw, path, data, *, left, top, side, caption):
    """The QR code of `data` at (left, top), `side` pixels square, with `caption` below."""
    image.paste(qr_image(data, side), (left, top))
    draw.text(
        (left + side // 2, top + side + 40), caption, font=font(path, 30), fill=MUTED, anchor="mm"
    )


def png_bytes(image):
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def pdf_bytes(pages, *, title, author):
    """One PDF of the drawn pages, in order."""
    out = io.BytesIO()
    first, *rest = pages
    first.save(
        out, "PDF", resolution=DPI, save_all=True, append_images=rest, title=title, author=author
    )
    return out.getvalue()


def certificate_download(request, draw, *, filename, content_type, back_url):
    """The download of a certificate that draw() produces (its bytes), as an attachment
    that is never cached; 503 with the reason when no Chinese font is installed (logged,
    for the administrator), with a link back to `back_url`."""
    try:
        content = draw()
    except CertificateFontMissing as error:
        logger.error("Cannot draw a certificate: %s", error)
        return render(request, "certificate_unavailable.html", {"back_url": back_url}, status=503)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
