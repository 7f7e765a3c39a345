"""Tests: the same as local, with fast hashing; DATABASE_URL/REDIS_URL select PostgreSQL and Redis."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
# One id per test run, inherited by xdist workers and by servers a test starts, so concurrent runs
# on one machine (developers, CI) never share a test database or a key directory.
RUN_ID = os.environ.setdefault("YIZHAN_TEST_RUN", str(os.getpid()))
# Each xdist worker (and every server its tests start, which inherit its environment) gets its own
# directory: keys generated on first use must not race between workers.
os.environ["YIZHAN_VAR_DIR"] = os.path.join(
    tempfile.gettempdir(), f"yizhan-test-{RUN_ID}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
# Celery tasks run in the test's process even when REDIS_URL selects the Redis channel layer; a test
# that runs a real worker (the multi-process ceremony) sets CELERY_TASK_ALWAYS_EAGER=false for it.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so a server process started by a test (Daphne) sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_yizhan_{RUN_ID}"}  # noqa: F405

# The demo's tender in evaluation signs an opening record PDF while loading (a minute of CJK font
# subsetting on a busy machine) for every test that loads the demo; tests/evaluation builds its own.
EVALUATION_DEMO_TENDER = False

# The demo may give a year nobody has published yet a provisional calendar (workdays.demo).
WORKDAYS_PROVISIONAL_ALLOWED = True

# Tests travel in time (past deadlines, across days) with people signed in: sessions neither idle out
# nor expire on their own here; tests of those limits set them (tests/accounts/test_sessions.py).
SESSION_IDLE_SECONDS = SESSION_IDLE_PRIVILEGED_SECONDS = 10 * 365 * 24 * 3600
SESSION_COOKIE_AGE = 14 * 24 * 3600
