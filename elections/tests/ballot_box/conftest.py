import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """The ballot box's tests read English messages."""
