"""The embedded default (`make run`): SQLite, in-memory channel layer, eager Celery, debug on."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from config.settings.base import *  # noqa: E402,F403
