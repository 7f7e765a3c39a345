"""Shared fixtures. Tests run on SQLite by default, on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does in CI)"))


@pytest.fixture
def demo(db):
    """The demo organisations and users (accounts.demo), loaded into the test database."""
    from accounts.management.commands.load_demo import demo_build

    return demo_build()
