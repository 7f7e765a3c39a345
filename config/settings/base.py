"""Settings shared by every environment; the environment chooses the rest by variables only."""

from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("YIZHAN_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite file, media and local keys live here
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "channels",
    "oauth2_provider",  # Yizhan as an OpenID Connect provider (portal/oidc.py)
    # The second factor for privileged roles (accounts/second_factor.py): TOTP and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Yizhan's own apps, in dependency order (demo data loads in this order too).
LOCAL_APPS = [
    "search",  # the one search engine (ground floor: portal and tenders both use it)
    "accounts",
    "ledger",
    "workdays",
    "approvals",
    "suppliers",
    "procurement",
    "tenders",
    "bidding",
    "evaluation",
    "awards",
    "portal",
    "reports",
]
INSTALLED_APPS += LOCAL_APPS

# evaluation/demo.py: load one demo tender already in evaluation (off in tests, see test.py).
EVALUATION_DEMO_TENDER = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.language.ChosenLanguageMiddleware",  # Chinese unless chosen (pages)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.throttling.KnownDeviceMiddleware",
    "accounts.sessions.IdleSessionMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "accounts.audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.DomainErrorMiddleware",
    # Links that leave the page (mail, QR codes) use the address the request came to (config/site.py).
    "config.site.SiteAddressMiddleware",
]

# No inline script anywhere (tests/config/test_security_headers.py checks every template). Inline
# styles stay allowed: a few templates and Swagger UI set style attributes; a style cannot run code.
# No form-action: the OIDC consent form's answer redirects to the client's own site.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Server errors print their traceback on the console (Django's default does so only with DEBUG).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

ROOT_URLCONF = "config.urls"
# Widgets render with GOV.UK classes from config/templates/django/forms/widgets/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.display",
                "portal.navigation.navigation",
                "workdays.context_processors.calendar_banners",
                "accounts.navigation.service_navigation",
            ],
            "builtins": ["config.timefmt", "config.money"],  # {{ moment|beijing }}: one time format everywhere
        },
    },
]

# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'yizhan.sqlite3'}")}
# Production keeps connections for a minute and checks each one before a request reuses it, so a
# connection the database dropped (a restart, a failover) is replaced instead of failing a request.
# CONN_HEALTH_CHECKS is a per-database option (a top-level setting of that name does nothing).
DATABASE_PERSISTENT_CONNECTIONS = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
            # concurrent writers queue instead of failing with "database is locked" mid-transaction.
            # synchronous=FULL: a committed receipt survives a power cut, not only a killed process.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:signed_in"  # citizens to 个人中心, people with roles to accounts:home
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-in throttling (accounts/throttling.py): nothing is ever locked. After the free failures
# within the window, each further attempt must wait BASE * 2^(failures - free) seconds (at most MAX)
# after the last failure. Counted per account (from unknown clients), per address and per known
# device: the right password from a device that signed in before is judged only by that device's
# own failures, so nobody can lock a known user out by guessing at their name.
LOGIN_FAILURE_WINDOW_SECONDS = env.int("YIZHAN_LOGIN_FAILURE_WINDOW", default=24 * 3600)
LOGIN_THROTTLE_FREE_FAILURES = env.int("YIZHAN_LOGIN_THROTTLE_FREE_FAILURES", default=5)
LOGIN_THROTTLE_ADDRESS_FREE_FAILURES = env.int("YIZHAN_LOGIN_THROTTLE_ADDRESS_FREE_FAILURES", default=20)
LOGIN_THROTTLE_BASE_DELAY_SECONDS = env.int("YIZHAN_LOGIN_THROTTLE_BASE_DELAY", default=1)
LOGIN_THROTTLE_MAX_DELAY_SECONDS = env.int("YIZHAN_LOGIN_THROTTLE_MAX_DELAY", default=900)
# The signed cookie that marks a browser in which the user signed in before (OWASP "device cookies").
KNOWN_DEVICE_COOKIE_NAME = "yizhan_device"
KNOWN_DEVICE_COOKIE_AGE_SECONDS = env.int("YIZHAN_KNOWN_DEVICE_DAYS", default=180) * 24 * 3600
KNOWN_DEVICE_COOKIE_SECURE = False  # production.py: True

# Sessions end after inactivity (accounts/sessions.py), sooner for roles with a second factor, and
# after SESSION_COOKIE_AGE whatever happens.
SESSION_IDLE_SECONDS = env.int("YIZHAN_SESSION_IDLE_SECONDS", default=2 * 3600)
SESSION_IDLE_PRIVILEGED_SECONDS = env.int("YIZHAN_SESSION_IDLE_PRIVILEGED_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = env.int("YIZHAN_SESSION_MAX_SECONDS", default=12 * 3600)
# Password-reset mails: at most this many per entered address, and per client address, per hour.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("YIZHAN_PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("YIZHAN_PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)

OTP_TOTP_ISSUER = "Yizhan"

# Reads the audit log records (accounts/audit.py), by URL name; every change by a signed-in person
# is recorded anyway. Decrypted bids are read in the opening room and record after the opening.
AUDITED_READS: set[str] = {
    "portal:attachment",  # an application's attachments
    "suppliers:qualification_file",  # a supplier's qualification documents
    "reports:download",  # a signed document
    "ceremony:room",
    "ceremony:record",
    "api-opening-shares",
    "accounts:audit",  # reading the audit log is itself on record
}

# The SANDBOX payment provider (no money moves; a citizen can "pay" with one click). On by default
# for the demo and tests; production.py turns it off and refuses it unless YIZHAN_TEST_INSTALLATION.
PAYMENT_SANDBOX_ENABLED = env.bool("YIZHAN_PAYMENT_SANDBOX", default=True)
TEST_INSTALLATION = env.bool(
    "YIZHAN_TEST_INSTALLATION", default=True
)  # the name authenticator apps show beside the code

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. "10.0.0.0/8").
# config/proxies.py takes the client's address as the right-most forwarded address that is not one
# of these; from any other peer the header is ignored, so a client cannot choose its own address.
TRUSTED_PROXIES = env.list("YIZHAN_TRUSTED_PROXIES", default=[])

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]  # project templates; each app has its own <app>/locale
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@yizhan.example")
SITE_URL = env.str("YIZHAN_SITE_URL", default="http://127.0.0.1:8000")

# Open data (reports/ocds, docs/open-data.md): the ocid prefix registered with the Open Contracting
# Partnership ("ocds-" and six characters), and the publisher named in every package.
OCDS_OCID_PREFIX = env.str("YIZHAN_OCDS_OCID_PREFIX", default="ocds-yizhan")
OCDS_PUBLISHER_NAME = env.str("YIZHAN_OCDS_PUBLISHER_NAME", default="一站政府采购平台 (Yizhan)")
OCDS_PUBLISHER_CREDIT_CODE = env.str("YIZHAN_OCDS_PUBLISHER_CREDIT_CODE", default="")
OCDS_LICENSE = env.str("YIZHAN_OCDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")

# Platform keys (Ed25519 signing of receipts, seal statements and tree heads; the CA; PDF signing)
# live in files outside the repository. In production the directory and passphrase are required.
PLATFORM_KEY_DIR = Path(env.str("YIZHAN_KEY_DIR", default=str(VAR_DIR / "keys")))
PLATFORM_KEY_PASSPHRASE = env.str("YIZHAN_KEY_PASSPHRASE", default="")
# Outside production a missing platform key is made on first use; production.py turns this off.
PLATFORM_KEY_AUTOGENERATE = env.bool("YIZHAN_KEY_AUTOGENERATE", default=True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its WWW-Authenticate header makes a missing or bad token a 401, not a 403.
        "accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    # Bounded parsers (config/parsers.py): DRF would otherwise read any body whole and recurse
    # into any JSON depth, bypassing DATA_UPLOAD_MAX_MEMORY_SIZE.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.LimitedJSONParser",
        "config.parsers.LimitedFormParser",
        "config.parsers.LimitedMultiPartParser",
    ],
    "PAGE_SIZE": 20,
    # Views opt in with throttle_scope (the cache is per process: a bound, not an exact count).
    "DEFAULT_THROTTLE_RATES": {"subscriptions": env.str("YIZHAN_SUBSCRIPTION_RATE", default="10/hour")},
}
# Request limits. API bodies: JSON up to API_MAX_JSON_BYTES and API_MAX_JSON_DEPTH levels deep,
# form bodies up to API_MAX_FORM_BYTES. Uploaded files (every form and API, config/uploads.py): each
# at most UPLOAD_MAX_BYTES, at most UPLOAD_MAX_FILES in one request, of a type read from the content.
API_MAX_JSON_BYTES = env.int("YIZHAN_API_MAX_JSON_BYTES", default=1024 * 1024)
API_MAX_JSON_DEPTH = env.int("YIZHAN_API_MAX_JSON_DEPTH", default=32)
API_MAX_FORM_BYTES = env.int("YIZHAN_API_MAX_FORM_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_FORM_BYTES
UPLOAD_MAX_BYTES = env.int("YIZHAN_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("YIZHAN_UPLOAD_MAX_FILES", default=20)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Yizhan API",
    "DESCRIPTION": "Government e-procurement, sealed bidding, the public ledger and one-stop services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The viewer's files come from npm (swagger-ui-dist, copied by frontend/build.mjs), never a CDN.
    "SWAGGER_UI_DIST": STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "vendor/swagger-ui/favicon-32x32.png",
}

SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ApprovalStatusEnum": "approvals.constants.InstanceStatus",
        "AssignmentStatusEnum": "approvals.constants.AssignmentStatus",
        "ApprovalStepStatusEnum": "approvals.constants.StepStatus",
        "ApplicationStatusEnum": "portal.constants.ApplicationStatus",  # collided with the approvals status names
        "TenderStatusEnum": "tenders.constants.TenderStatus",  # likewise
        "ProcurementMethodCodeEnum": "procurement.models.MethodCode",  # plans and tenders both name it "method"
    }
)

from config.integrations.celery import *  # noqa: E402,F403
from config.integrations.channels import *  # noqa: E402,F403

# Single sign-on: Yizhan is an OpenID Connect provider (django-oauth-toolkit, endpoints under /o/).
# id_tokens are signed RS256 with a key file under PLATFORM_KEY_DIR/oidc (made on first start).
from portal.oidc_key import oidc_signing_key_pem  # noqa: E402

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": oidc_signing_key_pem(PLATFORM_KEY_DIR, PLATFORM_KEY_PASSPHRASE),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "portal.oidc.YizhanOIDCValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Name and account kind",
        "email": "Email address",
        "enterprise": "Enterprise name and unified social credit code",  # portal/oidc.py
    },
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
}

# A demo installation may generate a provisional holiday schedule for a year nobody has published
# yet (marked "demo, provisional, not official"); base and production never do.
WORKDAYS_PROVISIONAL_ALLOWED = False
# Only a demo installation keeps its demo custodians' private keys as files (bidding/demo.py); a
# real installation must never hold a custodian's private key.
DEMO_KEY_FILES_ALLOWED = False
