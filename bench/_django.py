"""Start Django for a benchmark run from the checkout as `python bench/<script>.py`.

Python puts `bench/` first on the path, so each script imports this module by its bare name
before anything of the project's; `start` puts the checkout itself on the path (for the apps
and `bench.ballot_box`), sets the defaults a benchmark runs with, unless the environment
already says otherwise, and calls `django.setup()`.
"""

import os
import sys
import warnings
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
# All 44,703 divisions of China, from the shared data beside the checkout.
NATIONAL = BASE.parent / "shared" / "data" / "china-divisions.csv"


def start(database="portal_bench", **environ):
    """Set up Django on PostgreSQL `database` (DATABASE_URL wins when it is set)."""
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
    for name, value in environ.items():
        os.environ.setdefault(name, value)
    # whitenoise warns that collectstatic has not run: benchmarks need no static file.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
