"""Demo meetings, polls and elections. Filled in by the ballot-box and elections issues."""


def seed(*, log):
    log("elections: no demo polls yet")
