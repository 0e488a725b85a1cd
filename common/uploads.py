"""Validation of uploaded files, shared by every app that accepts them.

Files come from members' phones and office scanners. We trust nothing the browser says:
the type is read from the content, the size is checked before we decode anything, images
are refused above a pixel budget (decompression bombs) and re-encoded by Pillow, which also
drops EXIF data such as the GPS position of a phone photo.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": (
        "image/webp",
        ".webp",
    ),
}
PDF_MAGIC = b"%PDF-"


def check_size(upload, max_bytes=None):
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def _open_image(upload, *, side=None):
    """Open and decode an image, refusing bombs and anything that is not an image.

    A JPEG is decoded at a reduced scale (1/2, 1/4, 1/8) when that still gives at least
    `side` pixels on each side; other formats are decoded at full size, so their decoded
    pixels have a budget of their own (IMAGE_MAX_DECODED_PIXELS) that keeps the memory of
    one upload under 200 MB.
    """
    max_pixels = settings.IMAGE_MAX_PIXELS
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we refuse at
            # our own limit, before decoding, whatever Pillow's global setting is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG or WebP images are accepted."), code="image_type"
                )
            if side and image.format == "JPEG":
                image.draft(image.mode, (side, side))
            decoded_width, decoded_height = image.size
            if decoded_width * decoded_height > settings.IMAGE_MAX_DECODED_PIXELS:
                raise ValidationError(
                    _(
                        "The image is too large (%(width)s × %(height)s pixels): save it as"
                        " JPEG or scale it down."
                    )
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image is too large to process."), code="bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a valid image, or it is damaged."), code="invalid_image"
        ) from None
    return image


def clean_image(upload, *, max_bytes=None, max_side=2400):
    """Validate an uploaded image and return a re-encoded copy ready to save.

    The copy is at most `max_side` pixels on its longest side, upright (EXIF orientation
    applied), without metadata, as JPEG (or PNG when the original has transparency).
    """
    check_size(upload, max_bytes)
    image = _open_image(upload, side=max_side)
    # In place: a copy of a large image would double the memory it takes.
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail((max_side, max_side))
    return _encode(image, upload.name)


def thumbnail(upload_or_image, *, side=320):
    """A small re-encoded copy of an already cleaned image, for lists and previews."""
    image = upload_or_image if isinstance(upload_or_image, Image.Image) else None
    name = getattr(upload_or_image, "name", "image")
    if image is None:
        upload_or_image.seek(0)
        image = Image.open(upload_or_image)
        image.load()
    image = image.copy()
    image.thumbnail((side, side))
    return _encode(image, f"thumb-{name}")


def _encode(image, name):
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    stem = (name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "image"
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        content_type, ext = IMAGE_FORMATS["PNG"]
    else:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        content_type, ext = IMAGE_FORMATS["JPEG"]
    return SimpleUploadedFile(stem + ext, out.getvalue(), content_type=content_type)


def clean_pdf(upload, *, max_bytes=None):
    """Validate that an upload really is a PDF document (by content, not by name)."""
    check_size(upload, max_bytes)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head[:1024]:
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")
    # A PDF ends with %%EOF (possibly followed by whitespace); a truncated upload does not.
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(_("The PDF document is incomplete or damaged."), code="truncated_pdf")
    if _pdf_page_count(upload) < 1:
        raise ValidationError(_("The PDF document is incomplete or damaged."), code="invalid_pdf")
    return upload


def _pdf_page_count(upload):
    """The pages pypdf finds in the file's structure; 0 when it cannot read one.

    The magic bytes and %%EOF alone let an HTML page through between them; a PDF that
    names its pages has a cross-reference table, a catalogue and a page tree.
    """
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return 0
        return len(reader.pages)
    # pypdf raises assorted errors on damaged files (its own, and KeyError, TypeError,
    # RecursionError... from the parser): any of them means we cannot show the document.
    except Exception:  # noqa: BLE001
        return 0
    finally:
        upload.seek(0)


def clean_image_or_pdf(upload, *, max_bytes=None):
    """For supporting documents: a scan as an image (re-encoded) or a PDF (kept as is)."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC in head:
        return clean_pdf(upload, max_bytes=max_bytes)
    return clean_image(upload, max_bytes=max_bytes)
