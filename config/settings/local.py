"""The embedded default (`make run`): SQLite, in-memory channel layer, eager Celery. Debug pages are
off, so a person trying the demo sees the Chinese 404/500 pages; errors print their traceback on
the console. DJANGO_DEBUG=true brings Django's debug pages back for development."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")

from config.settings.base import *  # noqa: E402,F403

# The demo may give a year nobody has published yet a provisional calendar (workdays.demo).
WORKDAYS_PROVISIONAL_ALLOWED = True
# The demo custodians' key files are kept under the key directory with a published passphrase, so
# a newcomer can open a demo tender (bidding/demo.py). Never in production.
DEMO_KEY_FILES_ALLOWED = True
