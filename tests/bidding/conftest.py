import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are matched in English here; their Chinese translations are checked by makemessages."""
    with translation.override("en"):
        yield
