"""What the ballot-box benchmarks share: builders, and the bench-only site for gunicorn.

Nothing here is part of the product: `settings` and `urls` serve the portal plus a bare
baseline flow, only to the gunicorn that bench/vote_burst.py starts.
"""
