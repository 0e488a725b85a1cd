"""The stations catalogue is complete: every message has a Chinese translation."""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = (
    Path(settings.BASE_DIR) / "stations" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
)


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 1
