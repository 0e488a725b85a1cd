"""Extract and compile the translation catalogues, one per app and one for `common/`.

Each app keeps its own catalogue in `<app>/locale/`, so work on one app never touches
another's. An app's catalogue holds the strings of its Python code and of its folder under
`templates/`; the top-level templates (layout, errors, allauth pages, shared partials)
belong to `association`. The shared package `common/` is no app, but its messages are the
portal's too: they live in `common/locale/` (listed in LOCALE_PATHS), extracted from its
Python code only (it has no templates). Django's makemessages sends files outside an app
to the first of LOCALE_PATHS, so we point LOCALE_PATHS at the catalogue being extracted.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import override_settings

CATALOGUES = ["association", "members", "elections", "stations", "training", "common"]
LANGUAGE = "zh_Hans"
# Test code is not the portal's wording: its strings stay out of the catalogues.
ALWAYS_IGNORED = [".venv", "media", "staticfiles", "static", "bench", "node_modules", "tests"]


def ignore_patterns_for(app):
    others = [other for other in CATALOGUES if other != app]
    patterns = ALWAYS_IGNORED + others + [f"templates/{other}" for other in others]
    if app != "association":
        # Top-level templates other than the app's own folder belong to association.
        base = Path(settings.BASE_DIR) / "templates"
        patterns += [f"templates/{entry.name}" for entry in base.iterdir() if entry.name != app]
    return patterns


class Command(BaseCommand):
    help = "Update each app's zh_Hans catalogue from the code, then compile all of them."

    def add_arguments(self, parser):
        parser.add_argument(
            "apps", nargs="*", default=CATALOGUES, help="Catalogues to extract (default all)"
        )
        parser.add_argument(
            "--compile-only", action="store_true", help="Only compile the .po files to .mo"
        )

    def handle(self, *args, apps, compile_only=False, **options):
        base = Path(settings.BASE_DIR)
        for app in apps:
            locale = base / app / "locale"
            if not compile_only:
                (locale / LANGUAGE / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
                with override_settings(LOCALE_PATHS=[locale]):
                    call_command(
                        "makemessages",
                        locale=[LANGUAGE],
                        ignore_patterns=ignore_patterns_for(app),
                        no_obsolete=True,
                        add_location="file",
                        verbosity=0,
                    )
            self.stdout.write(f"{app}: {locale / LANGUAGE / 'LC_MESSAGES' / 'django.po'}")
        call_command(
            "compilemessages", locale=[LANGUAGE], ignore_patterns=ALWAYS_IGNORED, verbosity=0
        )
