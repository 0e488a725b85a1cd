"""Checking in to something held in a room or online: a meeting, a training session.

The organiser shows a short code (read aloud, or as a QR code that opens the check-in page
with the code filled in); a participant types or scans it while check-in is open. One rule
for every app: codes are easy to read aloud and type, compared in constant time (so timing
tells nothing about how much of a guess was right), case and spaces forgiven, and a scanned
link only fills the form: it never checks anyone in by itself.
"""

import hmac
import secrets

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

# No 0/O, 1/I/L: nothing that reads two ways aloud or on a projector.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# What a check-in form accepts: a code with some slack for stray spaces.
CODE_MAX_LENGTH = 8


def new_check_in_code():
    """Six characters that are easy to read aloud and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(given):
    """The code as typed, without spaces and in capitals."""
    return "".join((given or "").split()).upper()


def check_in_code_verify(*, given, expected, is_open):
    """Raise ValidationError unless check-in is open and `given` is the expected code."""
    if not is_open:
        raise ValidationError(_("Check-in is closed."), code="closed")
    if not hmac.compare_digest(normalise_code(given).encode(), expected.encode()):
        raise ValidationError(
            _("That check-in code is not right. Check the code shown by the organisers."),
            code="wrong_code",
        )


def check_in_link(base_url, code):
    """The check-in page at `base_url` with the code filled in: what the QR code holds."""
    return f"{base_url}?code={code}"


def qr_svg_response(data):
    """An SVG QR code of `data`, never cached (the code behind it can change)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
