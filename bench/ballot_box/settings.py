"""The portal's settings with the bench-only urlconf (bench/vote_burst.py's gunicorn only)."""

from association.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ballot_box.urls"
