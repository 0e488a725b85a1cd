"""Private files: kept under MEDIA_ROOT/private, with no public URL."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from common.storage import get_private_storage, private_storage


def test_private_files_live_under_media_root_and_follow_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    name = private_storage.save("scans/letter.pdf", ContentFile(b"%PDF-1.4"))
    assert (Path(settings.MEDIA_ROOT) / "private" / name).read_bytes() == b"%PDF-1.4"
    assert get_private_storage() is private_storage


def test_private_files_have_no_public_url():
    with pytest.raises(ValueError, match="no public URL"):
        private_storage.url("scans/letter.pdf")
