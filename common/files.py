"""Serving stored files (uploads, photos, documents) through views, with one set of headers.

Every file the portal serves from storage goes through `serve_file`, after the view has
checked who may see it. The headers say the same everywhere: a file is never a page (a
Content-Security-Policy with `sandbox` stops scripts and plugins even in a file that
smuggles markup in), its type comes from the stored name that the portal chose (never from
the uploader), browsers must not guess another type, and private files are never cached.
"""

import mimetypes
from pathlib import PurePosixPath

from django.http import FileResponse, Http404

FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox"


def serve_file(file, *, public=False, max_age=3600, download_name=None, filename=None):
    """Stream a stored file (a FieldFile); 404 when the field is empty or the file is gone.

    `public` files may be cached for `max_age` seconds by anyone; others are private and not
    stored at all. PDFs, and any file given a `download_name`, are downloaded as attachments;
    other files (images) are shown inline under their stored name, or under `filename`
    (the name the uploader gave it) with the stored name's extension, which its type
    comes from.
    """
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf" or download_name is not None,
        filename=download_name or _shown_name(file.name, filename),
    )
    response["Cache-Control"] = f"public, max-age={max_age}" if public else "private, no-store"
    response["Content-Security-Policy"] = FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _shown_name(stored, given):
    """The uploader's file name with the stored file's extension, else the stored name."""
    stored = PurePosixPath(stored).name
    stem = PurePosixPath((given or "").replace("\\", "/")).stem.strip(". ")
    return f"{stem}{PurePosixPath(stored).suffix}" if stem else stored
