"""Shared fixtures. Tests run on SQLite by default, on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does in CI)")
            )


@pytest.fixture
def demo(db):
    """The demo organisations and users (accounts.demo), loaded into the test database."""
    from accounts.management.commands.load_demo import demo_build

    return demo_build()


@pytest.fixture
def demo_people(db):
    """Only the demo organisations and people (accounts.demo): for tests about signing in, faster
    than the whole `demo` and independent of tenders and the calendar."""
    from accounts import demo as accounts_demo

    people = accounts_demo.Demo()
    accounts_demo.load(people)
    return people


@pytest.fixture(scope="session", autouse=True)
def platform_certificates():
    """The platform CA and document-signing certificate, made once per test worker with the clock
    set well in the past: tests travel in time (back to publication, forward past a deadline), and a
    CA made lazily at the real moment would not yet be valid at an earlier travelled time."""
    import time_machine

    from reports.signing import document_signer
    from suppliers import ca

    with time_machine.travel("2025-01-01 00:00 +0800", tick=False):
        if not ca.ca_exists():
            ca.ca_init()
        document_signer()
