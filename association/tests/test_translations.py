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
