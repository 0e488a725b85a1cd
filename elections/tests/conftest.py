import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Elections' tests, the ballot box's and the board's, read English messages."""
