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


def test_compiled_catalogue_holds_what_the_po_file_says():
    # Compared by content, not by file times: a fresh checkout gives both files one time,
    # in whatever order git writes them.
    def translations(catalogue):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(entry.msgstr_plural.items())
            for entry in catalogue
            if entry.msgid and (entry.msgstr or entry.msgstr_plural) and "fuzzy" not in entry.flags
        }

    po = translations(polib.pofile(str(CATALOGUE)))
    mo = translations(polib.mofile(str(CATALOGUE.with_suffix(".mo"))))
    assert po == mo
