"""Measuring in the benchmarks: how long one call takes, and how long and how much memory
one way of writing a file takes, each way in a fresh process of its own.

A script that compares ways of writing runs itself as `<script> --child <variant>` for each
variant (`compare_in_children`); the child writes the file with `write_timed` and prints
one JSON line, so that the peak RSS it reports is its own and not its parent's. Imported
after `_django.start()`, as the scripts' other imports are.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def peak_rss_kib():
    """This process's peak resident set size. Linux keeps getrusage's ru_maxrss across
    fork and exec (a child would report the parent's peak); VmHWM is this program's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def write_timed(write, filename):
    """In a child: `write(path)` into a temporary folder, then print its seconds, this
    process's peak RSS (MB) and the file's size as the JSON line `compare_in_children`
    reads."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / filename
        seconds, _ = timed(write, path)
        size = path.stat().st_size
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_kib() / 1024, "bytes": size}))


def database_url():
    """The URL of the database the benchmark runs on (its test database), for its children."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    if settings.get("PASSWORD"):
        url = url.replace("@", f":{settings['PASSWORD']}@", 1)
    return url


def compare_in_children(script, variants, *, repeat):
    """Run `script --child <variant>` on this database for every variant, `repeat` times
    alternating (so that a change of the machine's load falls on all of them alike).
    Returns (runs, best, rss): every child's figures per variant, each variant's best time
    and its largest peak RSS in MB."""
    url = database_url()
    connection.close()
    runs = {variant: [] for variant in variants}
    for _ in range(repeat):
        for variant in variants:
            result = subprocess.run(
                [sys.executable, script, "--child", variant],
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            )
            runs[variant].append(json.loads(result.stdout.strip().splitlines()[-1]))
    best = {variant: min(run["seconds"] for run in runs[variant]) for variant in variants}
    rss = {variant: max(run["rss_mb"] for run in runs[variant]) for variant in variants}
    return runs, best, rss
