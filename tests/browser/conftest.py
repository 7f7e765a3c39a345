"""Browser tests: Debian's Chromium driven by Playwright against the real ASGI app served by Daphne.

The server is one Daphne process a test worker, forked after pytest-django has created the test
database, so it serves HTTP and WebSocket from the very settings and database the test sees. A test
that uses `live_url` runs as a transactional test: what it writes is committed, so the server sees it.
"""

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial, wraps
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import TOTP

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
# axe impacts that fail a test; "moderate" and "minor" findings are listed by axe but tolerated.
AXE_FAILING_IMPACTS = {"serious", "critical"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the group marker
def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a browser test, and all of them share one xdist group, so
    with `--dist loadgroup` one worker runs them with one Chromium instead of both workers starting one."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so `page` can tell at teardown whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _asgi_application():
    # Imported in the server process only: the ASGI module builds Django's handler at import time.
    from config.asgi import application

    return application


def _server_process_setup(django_db_blocker) -> None:
    """In the forked server: allow database access (pytest-django's guard came along with the fork),
    drop the parent's connections without closing them (closing would end the parent's session on
    PostgreSQL; the server opens its own on first use), and print server errors to stderr, where
    pytest shows them beside a failing test."""
    import logging
    import sys

    django_db_blocker.unblock()  # for the life of the server process, so never restored

    for connection in connections.all(initialized_only=True):
        connection.connection = None
        connection.in_atomic_block = False
        connection.savepoint_ids = []
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("live server %(levelname)s %(name)s: %(message)s"))
    for name in ("django.request", "django.channels.server", "daphne"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def live_server_daphne(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A Daphne server (HTTP and WebSocket) on a free port, serving config.asgi against the test database."""
    from daphne.testing import DaphneProcess

    for alias in connections:
        if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db():
            pytest.fail("browser tests need a file database; config/settings/test.py sets one")
    if not AXE_SCRIPT.exists() or not (REPO_ROOT / "static" / "dist" / "yizhan.css").exists():
        pytest.fail("front-end assets missing: run `make install` (npm ci and npm run build)")
    with django_db_blocker.unblock():
        # Fork with no connection open, so nothing half-used is shared with the child.
        connections.close_all()
    server = DaphneProcess(
        "127.0.0.1", _asgi_application, setup=partial(_server_process_setup, django_db_blocker)
    )
    server.daemon = True
    server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        detail = server.errors.get(timeout=1)[1] if not server.errors.empty() else "no error reported"
        pytest.fail(f"Daphne did not start for the browser tests: {detail}")
    try:
        yield f"http://127.0.0.1:{server.port.value}"
    finally:
        server.terminate()
        server.join(timeout=10)


@pytest.fixture
def live_url(live_server_daphne, transactional_db) -> str:
    """The base URL of the live server (no trailing slash). The test's data is committed, so the server sees it."""
    return live_server_daphne


def _inside_playwright(function, loop_of):
    """Wrap a Playwright entry point so asyncio's running loop is set only while Playwright works."""

    @wraps(function)
    def call(self, *args, **kwargs):
        outer = asyncio._get_running_loop()
        asyncio._set_running_loop(loop_of(self))
        try:
            return function(self, *args, **kwargs)
        finally:
            asyncio._set_running_loop(outer)

    return call


@contextmanager
def _playwright_without_a_running_loop():
    """Playwright's sync API runs its event loop in a greenlet and, after each call, leaves that loop
    marked as running on the caller's thread. The test's thread must not look async: Django refuses
    the ORM there (SynchronousOnlyOperation) and asgiref refuses async_to_sync, which every service
    that announces a change through the channel layer (on_commit -> group_send) uses. So the loop is
    marked running only while a Playwright call is in progress: every method and property of the
    sync API classes (some, like `expect_*` and `on`, touch the loop before blocking), plus the
    internal SyncBase._sync and EventInfo.value. tests/browser/test_harness.py checks that this holds."""
    from playwright._impl._sync_base import EventInfo, SyncBase
    from playwright.sync_api import _generated, sync_playwright

    def loop_of(base):
        return base._loop

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            EventInfo,
            "value",
            property(_inside_playwright(EventInfo.value.fget, lambda info: info._sync_base._loop)),
        )
        api_classes = [SyncBase] + [
            c for c in vars(_generated).values() if isinstance(c, type) and issubclass(c, SyncBase)
        ]
        for api_class in api_classes:
            for name, member in list(vars(api_class).items()):
                if name.startswith("__"):
                    continue
                if isinstance(member, property) and member.fget is not None:
                    patch.setattr(
                        api_class, name, property(_inside_playwright(member.fget, loop_of), member.fset)
                    )
                elif callable(member) and not isinstance(member, (type, staticmethod, classmethod)):
                    patch.setattr(api_class, name, _inside_playwright(member, loop_of))
        playwright = sync_playwright().start()
        asyncio._set_running_loop(None)
        try:
            yield playwright
        finally:
            asyncio._set_running_loop(playwright._loop)  # as Playwright expects it when stopping
            playwright.stop()


@pytest.fixture(scope="package")
def browser(live_server_daphne):
    """One headless Chromium for the browser tests (Debian's, never a downloaded build). Package scope:
    stopped once the worker moves on from tests/browser/. Started after the server, so the forked
    server does not inherit the browser's pipes."""
    with _playwright_without_a_running_loop() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (Accept-Language); override in a test module for another one."""
    return "zh-CN"


@pytest.fixture
def page(request, browser, live_url, browser_locale):
    """A fresh page in a fresh context (no cookies) for each test, in Chinese by default. When the test
    fails, the page as it was is saved to test-artifacts/screenshots/FAILED-<test>.png."""
    context = browser.new_context(
        locale=browser_locale,
        timezone_id="Asia/Shanghai",
        base_url=live_url,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


_TOTP_STEPS_USED: dict[str, int] = {}


def sign_in_through_pages(page, live_url: str, username: str, password: str = DEMO_PASSWORD):
    """Sign in through the real sign-in form and, when the role needs a second factor, give the demo
    authenticator's code on the real code page; returns on the account page."""
    page.goto(f"{live_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(accounts/(me|2fa)|my)/.*"))  # citizens land in 个人中心 (/my/)
    if "/accounts/2fa/" in page.url:
        page.fill("input[name=code]", _fresh_demo_code(username))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(f"{live_url}/accounts/me/")
    return page


def _fresh_demo_code(username: str) -> str:
    """A code is accepted once per person: signing the same person in again within 30 s takes the
    next step's code, which django-otp accepts (one step of tolerance); a third waits for the clock."""
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    step = max(totp.t(), _TOTP_STEPS_USED.get(username, -1) + 1)
    while step > totp.t() + 1:
        time.sleep(1)
        totp.time = time.time()
    _TOTP_STEPS_USED[username] = step
    totp.time = step * 30 + 1
    return f"{totp.token():06d}"


@pytest.fixture
def login(live_url) -> Callable:
    """`login(page, username)`: `sign_in_through_pages` at the live server."""

    def sign_in(page, username: str, password: str = DEMO_PASSWORD):
        return sign_in_through_pages(page, live_url, username, password)

    return sign_in


def _axe_violation_text(violation: dict) -> str:
    nodes = "; ".join(
        f"{' '.join(node['target'])}: {node.get('failureSummary', '').strip()}"
        for node in violation["nodes"][:5]
    )
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n    {nodes}"


@pytest.fixture
def axe_check() -> Callable:
    """`axe_check(page)` runs axe-core (from npm) on the page as it is now and fails the test on any
    serious or critical violation, listing each with the offending elements. Returns all violations."""

    def check(page, *, context: str | None = None) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, not a <script> tag: the pages' Content-Security-
            # Policy forbids inline script, and the test must not weaken it (no bypass_csp).
            page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
        results = page.evaluate(
            "async (context) => await axe.run(context || document, {resultTypes: ['violations']})", context
        )
        failing = [v for v in results["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
        if failing:
            listing = "\n".join(_axe_violation_text(v) for v in failing)
            pytest.fail(
                f"axe-core found {len(failing)} serious/critical violation(s) on {page.url}:\n{listing}"
            )
        return results["violations"]

    return check


@pytest.fixture
def screenshot() -> Callable:
    """`screenshot(page, name)` saves a full-page PNG to test-artifacts/screenshots/<name>.png."""

    def take(page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
