import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """The meetings' tests read English messages."""
