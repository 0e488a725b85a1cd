"""Demo station registry. Filled in by the stations issue."""


def seed(*, log):
    log("stations: no demo registry yet")
