"""The zh_Hans catalogues are complete, and the committed .mo files match them."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from association.management.commands.messages import CATALOGUES


def catalogue(app, ext):
    return Path(settings.BASE_DIR) / app / "locale" / "zh_Hans" / "LC_MESSAGES" / f"django.{ext}"


@pytest.mark.parametrize("app", CATALOGUES)
def test_catalogue_has_no_missing_or_fuzzy_entry(app):
    po = polib.pofile(str(catalogue(app, "po")))

    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]

    assert missing == [], f"{app}: untranslated {missing}"
    assert fuzzy == [], f"{app}: fuzzy {fuzzy}"


@pytest.mark.parametrize("app", CATALOGUES)
def test_compiled_catalogue_matches_its_source(app):
    po = polib.pofile(str(catalogue(app, "po")))
    mo = polib.mofile(str(catalogue(app, "mo")))

    def entries(cat):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in cat
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    assert entries(mo) == entries(po), f"{app}: run `make messages` to recompile the .mo"


def test_a_msgid_has_one_chinese_translation_across_the_catalogues():
    """Django merges every catalogue into one: a msgid translated two ways without a context
    shows one of the two everywhere (the tally read "有效期 49" for 有效票). A word that
    means two things gets a context (pgettext) for each meaning."""
    translations = {}
    for app in CATALOGUES:
        for entry in polib.pofile(str(catalogue(app, "po"))):
            if entry.msgid and not entry.obsolete and entry.translated():
                key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
                text = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
                translations.setdefault(key, {}).setdefault(text, []).append(app)

    clashes = {
        f"{msgid!r}" + (f" (context {context!r})" if context else ""): found
        for (context, msgid, _plural), found in translations.items()
        if len(found) > 1
    }
    assert clashes == {}, "give each meaning a pgettext context: " + repr(clashes)
