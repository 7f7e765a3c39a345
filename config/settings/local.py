"""The embedded default (`make run`): SQLite, in-memory channel layer, eager Celery, debug on."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from config.settings.base import *  # noqa: E402,F403

# The demo may give a year nobody has published yet a provisional calendar (workdays.demo).
WORKDAYS_PROVISIONAL_ALLOWED = True
