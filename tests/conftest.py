"""Shared fixtures. Tests run on SQLite by default, on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

import pytest
from django.conf import settings
from django.utils import translation


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


@pytest.fixture(autouse=True)
def second_factor_given_on_force_login(request, monkeypatch):
    """`client.force_login`/`client.login` skip the sign-in pages, so they also count as having given
    the second factor (accounts/second_factor.py), as a person who typed their code would have.
    Tests about the second factor itself opt out with `@pytest.mark.real_second_factor`."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test.client import Client

    from accounts.second_factor import SESSION_FLAG

    sign_in_without_code = Client._login

    def sign_in_with_code(self, user, backend=None):
        sign_in_without_code(self, user, backend)
        session = self.session
        session[SESSION_FLAG] = True
        session.save()

    monkeypatch.setattr(Client, "_login", sign_in_with_code)


@pytest.fixture
def demo_people(db):
    """Only the demo organisations and people (accounts.demo): for tests about signing in, faster
    than the whole `demo` and independent of tenders and the calendar."""
    from accounts import demo as accounts_demo

    people = accounts_demo.Demo()
    accounts_demo.load(people)
    accounts_demo.demo_second_factors(people)
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


@pytest.fixture(autouse=True)
def language_reset():
    """Every test starts in the site's default language (Chinese), whatever the last test left
    active in this thread: no test may depend on the language another test used."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def calendar_known_now(request):
    """Tests that touch the database run on a calendar that knows this year and the next, whatever
    the date the suite runs on: where the `chinese_calendar` package stops, the year gets the
    demo's provisional schedule (as `make run` does), so a period counted from "now" never meets
    an unknown year by accident. Tests of exact dates travel to years the package knows; tests of
    an unknown year remove that year's provisional schedule first (`calendar_forget`)."""
    uses_db = request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from config import clock
    from workdays.services import calendar_year_provisional_ensure

    this_year = clock.today_local().year
    for year in (this_year, this_year + 1):
        calendar_year_provisional_ensure(year=year)


def calendar_forget(*years: int) -> None:
    """Make `years` unknown again in this test's database (their provisional schedules removed)."""
    from workdays.models import CalendarYear

    CalendarYear.objects.filter(year__in=years).delete()


def choose_english(client):
    """The user chose English with the language switch (its cookie): pages answer in Chinese
    whatever the browser's Accept-Language says (config/language.py)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def synonyms_seeded(db):
    """The synonym groups the search app's migration seeds: a transactional test elsewhere in the
    same worker flushes tables, data migrations' rows included, so tests that rely on them ask."""
    from importlib import import_module

    from django.apps import apps

    import_module("search.migrations.0002_seed_synonyms").seed(apps, None)
