"""Where the shared reference data lives: the division files of the National Bureau of
Statistics (`china-divisions.csv`, `xuchang-divisions.csv`) that tests and benchmarks read.

They are not in the repository and not part of the product, which imports any file in their
format. `PORTAL_SHARED_DATA` names their folder; without it they are looked for in
`../shared/data` beside the checkout (where a clone at /work/<dir> finds them), so a
worktree elsewhere (/work/wt/<name>) sets the variable. No page or command reads this
module: it sits in common/ so that the tests and `bench/`, which may not import each other,
find the data through one lookup.
"""

import os
from pathlib import Path

VARIABLE = "PORTAL_SHARED_DATA"
CHECKOUT = Path(__file__).resolve().parent.parent


def shared_data():
    """The folder of the shared reference data (which may not exist)."""
    value = os.environ.get(VARIABLE, "").strip()
    if value:
        return Path(value).expanduser().resolve()
    return CHECKOUT.parent / "shared" / "data"
