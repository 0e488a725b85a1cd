"""Benchmark: sign-up takes as long for an address that has an account as for a new one.

allauth answers both alike (the "verification sent" page, a mail to the address); the
time must not tell them apart either. Target: known ÷ new between 0.8 and 1.25 (before
members/signup.py: 0.08, 71 ms against 875 ms on a loaded machine; with it 0.92).

Each round signs up a fresh address, then an address that already has an account, through
Django's test client (the whole request) with the production password hasher; printed:
the median of each and their ratio. PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_bench); it creates and drops its own test
database. About a minute:

    .venv/bin/python bench/signup_timing.py [--repeat 15]
"""

import argparse
import statistics
import time

from _django import start  # noqa: E402

start("portal_bench")

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

PASSWORD = "Shequ-fuwu-2026"


def sign_up(email):
    started = time.perf_counter()
    response = Client().post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "林晓",
            "consent": "on",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="sign-ups of each kind")
    args = parser.parse_args()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        setup_test_environment(debug=False)
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ACCOUNT_RATE_LIMITS={},
        ):
            cache.clear()
            sign_up("known@example.org")  # the account the known sign-ups name; warms up
            new, known = [], []
            for number in range(args.repeat):
                new.append(sign_up(f"new{number}@example.org"))
                known.append(sign_up("known@example.org"))
        new_median, known_median = statistics.median(new), statistics.median(known)
        print(f"new address:   median {new_median * 1000:.0f} ms ({args.repeat} sign-ups)")
        print(f"known address: median {known_median * 1000:.0f} ms ({args.repeat} sign-ups)")
        print(f"known ÷ new: {known_median / new_median:.2f} (target 0.8–1.25)")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
