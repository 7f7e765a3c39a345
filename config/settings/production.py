"""Production: PostgreSQL, Redis, real secrets. Refuses to start without any of them."""

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.Env()
# No defaults: each of these raises ImproperlyConfigured when missing.
for _required in (
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "YIZHAN_KEY_DIR",
    "YIZHAN_KEY_PASSPHRASE",
    "DJANGO_ALLOWED_HOSTS",
):
    _env.str(_required)

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
KNOWN_DEVICE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PLATFORM_KEY_AUTOGENERATE = False  # signing refuses until `manage.py platform_key_rotate` made the key
CSRF_TRUSTED_ORIGINS = _env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"].update(DATABASE_PERSISTENT_CONNECTIONS)  # noqa: F405
WORKDAYS_PROVISIONAL_ALLOWED = False  # never a generated holiday schedule: only the official notice

# A production installation takes real money: the sandbox provider (a citizen "pays" a fee with one
# click) is off, and asking for it is refused unless the installation says it is a test one.
TEST_INSTALLATION = _env.bool("YIZHAN_TEST_INSTALLATION", default=False)
PAYMENT_SANDBOX_ENABLED = _env.bool("YIZHAN_PAYMENT_SANDBOX", default=False)
if PAYMENT_SANDBOX_ENABLED and not TEST_INSTALLATION:
    raise ImproperlyConfigured(
        "YIZHAN_PAYMENT_SANDBOX is on in production: the sandbox lets anyone mark a fee paid. "
        "Turn it off, or set YIZHAN_TEST_INSTALLATION=true if this installation is a test one."
    )

# Mail to citizens and staff goes out by SMTP (notifications at each step of an application, an
# enquiry and an appointment). The relay is configured by the environment; a local MTA on port 25
# when nothing is set.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = _env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = _env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = _env.bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = _env.int("DJANGO_EMAIL_TIMEOUT", default=20)
PORTAL_SMS_PROVIDER = _env.str("YIZHAN_SMS_PROVIDER", default="log")
