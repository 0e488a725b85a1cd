"""Start Django for a benchmark run from the checkout as `python bench/<script>.py`.

Python puts `bench/` first on the path, so each script imports this module by its bare name
before anything of the project's; importing it puts the checkout itself on the path (for the
apps and `bench.ballot_box`); `start` sets the defaults a benchmark runs with, unless the
environment already says otherwise, and calls `django.setup()`.
"""

import os
import sys
import warnings
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from common.shared_data import VARIABLE, shared_data  # noqa: E402


def national_file():
    """All 44,703 divisions of China, from the shared reference data (common.shared_data);
    the benchmark stops with a message when the file is absent."""
    path = shared_data() / "china-divisions.csv"
    if not path.exists():
        sys.exit(
            f"{path} is missing: the benchmark needs the national reference file "
            f"(set {VARIABLE} to the folder of the shared data)"
        )
    return path


def start(database="portal_bench", **environ):
    """Set up Django on PostgreSQL `database` (DATABASE_URL wins when it is set)."""
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
    for name, value in environ.items():
        os.environ.setdefault(name, value)
    # whitenoise warns that collectstatic has not run: benchmarks need no static file.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
