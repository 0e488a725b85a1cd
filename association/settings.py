"""Settings for the association portal, read from environment variables.

Every variable has a safe development default, so `make run` needs none. With DEBUG=0 the
settings are production settings: a SECRET_KEY and ALLOWED_HOSTS must be given, and
`manage.py check --deploy` passes. The README documents each variable.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url):
    """Django DATABASES entry for a `sqlite:///path` or `postgres://user:pw@host:port/db` URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///db.sqlite3 is relative to the project, sqlite:////abs/path is absolute.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / path[1:])}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if options.get("server_side_binding", "").lower() not in {"", "0", "false", "no"}:
            # A cast sends the poll's lock and its inserts as one message of two statements
            # (elections.ballot_box.services._cast_if_open), which only client-side binding,
            # Django's default with psycopg 3, allows.
            raise ImproperlyConfigured(
                "DATABASE_URL: server_side_binding is not supported; leave it out."
            )
        options.pop("server_side_binding", None)
        pool = options.pop("pool", "1") not in {"0", "false", "no"}
        if pool:
            # Django's own psycopg 3 pool: connections are reused across requests, so
            # CONN_MAX_AGE must stay 0.
            options["pool"] = {"min_size": 1, "max_size": env_int("DATABASE_POOL_MAX", 10)}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 0,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "association.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "association",
    "members",
    "elections",
    "stations",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "association.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "association.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "association.urls"
WSGI_APPLICATION = "association.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "association.context_processors.portal",
            ],
            # Tag libraries of common/, which is no app: {% load tables %}.
            "libraries": {"tables": "common.tables"},
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker process: login rate limits must count across processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
}

AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, loading the account's roles with it (members.backends).
AUTHENTICATION_BACKENDS = [
    "members.backends.RolesModelBackend",
    "members.backends.RolesAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "association:home"

# django-allauth: e-mail is the login, verified before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
# allauth's e-mail goes through the portal's outbox, like every other e-mail; a login with
# the password counts as a reauthentication for ACCOUNT_REAUTHENTICATION_TIMEOUT (allauth's
# 300 s), so staff set up two-factor login right after logging in without typing it again.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
# Sign-up answers alike whether the address has an account or not (allauth's enumeration
# prevention, and the same password hashing either way).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "members.signup.PortalSignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Failed logins: LOGIN_FAILURES_PER_ADDRESS a minute from one client address, and
# LOGIN_FAILURES_PER_ACCOUNT every 5 minutes against one account (which then refuses even
# the right password until the 5 minutes have passed).
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 10)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_ADDRESS}/m/ip,{LOGIN_FAILURES_PER_ACCOUNT}/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy every request comes from the proxy's address, so the limits per
# address would put every visitor in one bucket: the client's address is then the last
# entry of X-Forwarded-For, the one the proxy itself appended (nginx:
# proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). TRUSTED_PROXY_COUNT is the
# number of proxies of our own in front of the portal.
if env_bool("BEHIND_PROXY", False):
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "社会工作行业协会")
# Staff enrol their first authenticator only through an e-mailed link (members.enrolment):
# how long a link stays valid, and how long after opening it the set-up may take.
TWO_FACTOR_LINK_HOURS = env_int("TWO_FACTOR_LINK_HOURS", 48)
TWO_FACTOR_LINK_SESSION_MINUTES = env_int("TWO_FACTOR_LINK_SESSION_MINUTES", 30)
# How long an invitation to be a unit's voting representative can be accepted
# (members.models.invitation).
REPRESENTATIVE_INVITATION_DAYS = env_int("REPRESENTATIVE_INVITATION_DAYS", 14)
# Each invitation is an e-mail to an address of the inviter's choosing: an account other
# than the secretariat's sends at most this many in 24 hours.
REPRESENTATIVE_INVITATIONS_PER_DAY = env_int("REPRESENTATIVE_INVITATIONS_PER_DAY", 10)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our catalogues outrank Django's and allauth's (an app's own catalogue would not: apps
# listed earlier win, and the admin comes first), so "Filter" reads 筛选 and not 过滤器.
# Between our apps, the earlier one wins for a msgid they share. The shared package common/
# (not an app) comes last, so it never changes how an app's own words read.
LOCALE_PATHS = [
    BASE_DIR / package / "locale"
    for package in ("association", "members", "elections", "stations", "common")
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the largest file we accept; forms check each field's own limit and the content.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Images larger than this many pixels are refused as decompression bombs.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# PNG and WebP images are decoded at full size (a JPEG at a reduced scale): at most this
# many pixels, so that one upload needs less than 200 MB of memory.
IMAGE_MAX_DECODED_PIXELS = env_int("IMAGE_MAX_DECODED_PIXELS", 12_000_000)
CERTIFICATE_FONT = env_str("CERTIFICATE_FONT", "")
# Spreadsheet imports: a workbook whose parts would unpack to more than this many bytes, or
# whose sheets are compressed more than this ratio (real sheets: 5-20 times; a zip bomb:
# hundreds), is refused before it is parsed; a csv larger than the same size too. A sheet
# with more rows than IMPORT_MAX_ROWS is refused when its reading reaches that row.
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
# The back office's member import runs while the page waits, twice (preview, then
# confirmation): 5,000 rows take about 25 s a step (bench/member_import.py), inside
# gunicorn's 60 s timeout. A longer file is refused with a message to split it.
MEMBER_IMPORT_MAX_ROWS = env_int("MEMBER_IMPORT_MAX_ROWS", 5000)

# Ballot secrecy: wraps each online poll's private key (elections/ballot_box/sealing.py).
# Required in production (`check --deploy` says so); the fixed default is for development only.
BALLOT_KEY = env_str("BALLOT_KEY") or (
    "development-only-ballot-key-never-use-in-production" if DEBUG else ""
)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks, the backport of Django 6's django.tasks) in the portal's
# own database: `manage.py db_worker` runs them. E-mail, long exports and poll closing go
# through it, so that no web request waits for them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Seconds between the attempts to send an e-mail the SMTP server refused: five attempts in
# about two and a half hours, then the message is marked failed.
OUTBOX_RETRY_DELAYS = [60, 300, 1800, 7200]
# Hours a file built by an export job is kept for its download.
EXPORT_KEEP_HOURS = 24
# A list export longer than this many rows is written by the worker as a job. 2,000 and not
# more: the roster's 21 columns take about 0.2 ms a row (bench/roster_export.py), so 5,000
# rows already held a request for a second on a loaded two-core machine.
EXPORT_IMMEDIATE_MAX_ROWS = env_int("EXPORT_IMMEDIATE_MAX_ROWS", 2000)
# /healthz/tasks answers 503 once the oldest task waiting to run is older than this.
TASKS_HEALTH_MAX_AGE = env_int("TASKS_HEALTH_MAX_AGE", 600)

# Content-Security-Policy: our own scripts and styles only, nothing inline, nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The admin and allauth set a few style attributes; attributes cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        # allauth shows the TOTP set-up QR code as a data: URL.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are off for the portal and anything it might embed; the
# camera stays available to the portal itself (scanning a check-in QR code on a phone).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), encrypted-media=(),"
    " geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(),"
    " usb=(), xr-spatial-tracking=()"
)
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    # HSTS for every subdomain, and asking browsers to preload it, commit the whole domain
    # (not only the portal's host) to HTTPS for a long time: opt-in, each on its own.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # The deploy check warns when either is off; off is the decision, not an oversight.
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, opted_in in (
            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", SECURE_HSTS_PRELOAD),
        )
        if not opted_in
    ]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_PROXY", False):
        # Only behind a proxy that sets this header itself (nginx: proxy_set_header).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-import-export: every import is one transaction; nothing is written when a row fails.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task started and finished is noise; failures are still logged.
        "django_tasks": {"level": "WARNING"},
    },
}
