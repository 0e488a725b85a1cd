"""Plain builders for the files tests upload and read: images, PDFs, workbooks.

No project app is imported here, so every app's tests (and common's own) can use them.
Fixtures shared by several apps' tests (personas, divisions, the association's profile) and
builders that need models live in the root conftest.py.
"""

import io
import mimetypes
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image


def image_bytes(size=(600, 400), *, fmt="PNG", mode="RGB", color="white", exif=None):
    """An image of one colour as a file in `fmt` (PNG, JPEG, WEBP, GIF, PDF...)."""
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new(mode, size, color).save(out, fmt, **options)
    return out.getvalue()


def png_bytes(size=(600, 400), **options):
    return image_bytes(size, fmt="PNG", **options)


def noise_png_bytes(side=400):
    """A PNG that does not compress: random pixels, about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes():
    """A real one-page PDF document (a blank page drawn by Pillow)."""
    return image_bytes((200, 280), fmt="PDF")


def image_upload(name="photo.png", *, fmt=None, **options):
    """An uploaded image file; its format follows the name's extension unless `fmt` says."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    fmt = fmt or {"image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}.get(
        content_type, "PNG"
    )
    return SimpleUploadedFile(name, image_bytes(fmt=fmt, **options), content_type=content_type)


def png_upload(name="scan.png", **options):
    return image_upload(name, fmt="PNG", **options)


def jpeg_upload(name="photo.jpg", **options):
    return image_upload(name, fmt="JPEG", **options)


def pdf_upload(name="letter.pdf", content=None):
    """An uploaded PDF: a real one, or `content` as given (to test broken files)."""
    data = pdf_bytes() if content is None else content
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def workbook_bytes(sheets):
    """An xlsx with {title: [rows]}, written by openpyxl like Excel would save it."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def resaved_by_libreoffice(data, *, suffix="xlsx"):
    """The file `data` opened and saved again by LibreOffice Calc (headless), as a clerk's
    LibreOffice would: formulas recalculated and their results saved."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: bin/ensure-packages libreoffice")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"in.{suffix}"
        source.write_bytes(data)
        out = Path(folder) / "out"
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                suffix,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (out / source.name).read_bytes()


def zip_bomb_xlsx(padding=8 * 1024 * 1024):
    """A workbook whose sheet is megabytes of blanks that compress a thousandfold; its XML
    is broken after them, so a reader that parsed it would call it damaged instead."""
    data = workbook_bytes({"明细": [["code", "name"], ["1", "x"]]})
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * padding + b"<")
            target.writestr(part.filename, content)
    return out.getvalue()
