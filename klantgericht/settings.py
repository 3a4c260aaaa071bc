"""Klantgericht settings: one file, configured by environment variables.

With no variables at all it runs in debug mode on an SQLite file, so one can just check out
the code and run it. With DJANGO_DEBUG=0 it refuses to start without a secret key and the
allowed hosts, and turns on every transport protection `check --deploy` asks for.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 Klantgericht needs a long random "
            "secret key, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: never used when DEBUG is off (see above).
    SECRET_KEY = "django-insecure-development-only-key-klantgericht-not-for-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the host names that serve "
        "Klantgericht, separated by commas."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The core (the model, the organisation, rounds and assessments) first; each app below it
    # depends only on those above it.
    "assessments",
    "internal_customers",
    "figures",
    "development",
    "outcomes",
    "notifications",
    "sso",
    "rhythm",
    "history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klantgericht.urls"
WSGI_APPLICATION = "klantgericht.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that will write takes the write lock when it begins, not halfway: two
    # that overlap then wait for each other instead of failing with "database is locked",
    # and a single statement never lands in the middle of one (a click during a submit).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with the organisation's OpenID Connect provider (README: "Single sign-on").
# The provider's endpoints are discovered from its issuer when someone logs in with it.
KLANTGERICHT_OIDC_ISSUER = os.environ.get("KLANTGERICHT_OIDC_ISSUER", "").strip().rstrip("/")
KLANTGERICHT_SSO = bool(KLANTGERICHT_OIDC_ISSUER)
OIDC_RP_CLIENT_ID = os.environ.get("KLANTGERICHT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KLANTGERICHT_OIDC_CLIENT_SECRET", "")
if KLANTGERICHT_SSO:
    if not KLANTGERICHT_OIDC_ISSUER.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "KLANTGERICHT_OIDC_ISSUER must be the provider's issuer URL, e.g. "
            "https://login.microsoftonline.com/<tenant id>/v2.0."
        )
    if not DEBUG and not KLANTGERICHT_OIDC_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("KLANTGERICHT_OIDC_ISSUER must be an https:// URL.")
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "With KLANTGERICHT_OIDC_ISSUER set, KLANTGERICHT_OIDC_CLIENT_ID and "
            "KLANTGERICHT_OIDC_CLIENT_SECRET are needed too (the application's registration "
            "at the provider)."
        )
OIDC_RP_SIGN_ALGO = os.environ.get("KLANTGERICHT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KLANTGERICHT_OIDC_SCOPES", "openid email profile")
# The claim compared with the usernames HR imported when no person has the claimed e-mail.
KLANTGERICHT_OIDC_USERNAME_CLAIM = os.environ.get(
    "KLANTGERICHT_OIDC_USERNAME_CLAIM", "preferred_username"
)
KLANTGERICHT_OIDC_LOGIN_LABEL = os.environ.get("KLANTGERICHT_OIDC_LOGIN_LABEL", "")
OIDC_CREATE_USER = False  # never a person that HR did not import
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
# With single sign-on, password login can be switched off for everyone.
KLANTGERICHT_PASSWORD_LOGIN = env_bool("KLANTGERICHT_PASSWORD_LOGIN", True)
if not KLANTGERICHT_PASSWORD_LOGIN and not KLANTGERICHT_SSO:
    raise ImproperlyConfigured(
        "KLANTGERICHT_PASSWORD_LOGIN=0 needs single sign-on (KLANTGERICHT_OIDC_ISSUER): "
        "otherwise nobody can log in."
    )

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out a username at an address, or an address, after too
    # many (django-axes).
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if KLANTGERICHT_PASSWORD_LOGIN else []),
    *(["sso.backends.OrganisationAccountBackend"] if KLANTGERICHT_SSO else []),
]
AXES_FAILURE_LIMIT = env_int("KLANTGERICHT_LOGIN_FAILURE_LIMIT", 5)
# One address guessing across usernames; higher, as an office may share one address.
KLANTGERICHT_ADDRESS_FAILURE_LIMIT = env_int("KLANTGERICHT_ADDRESS_FAILURE_LIMIT", 30)
if KLANTGERICHT_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "KLANTGERICHT_ADDRESS_FAILURE_LIMIT must be at least KLANTGERICHT_LOGIN_FAILURE_LIMIT."
    )
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("KLANTGERICHT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "assessments.throttling.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "assessments.throttling.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The pages of published rounds keep what they render of the figures, which never change,
# in each process's memory: a cache, not state (a miss renders it again from the database).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Sessions live in the database. With REDIS_URL (a Redis that every worker of every server
# reaches) they are read from Redis and kept in the database as well (cached_db): one query
# less on every page, a restarted Redis loses no session, and a logout anywhere ends the
# session everywhere. Never a per-process cache: a logout in one worker would not reach the
# others.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "klantgericht",
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Everything the pages load comes from this application: no CDN, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the autosave script reads the token: it is renewed at login
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Behind a reverse proxy (which terminates TLS): requests from the trusted proxies' addresses
# carry the client's scheme in X-Forwarded-Proto and its address in X-Forwarded-For. From any
# other address, the headers are ignored.
KLANTGERICHT_TRUSTED_PROXIES: list[str] = []
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    KLANTGERICHT_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
    for _proxy in KLANTGERICHT_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(_proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_TRUSTED_PROXIES must list addresses or networks (e.g. 10.0.0.5 or "
                f"10.0.0.0/24), separated by commas; {_proxy!r} is neither."
            ) from None

_MAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 25),
            "username": os.environ.get("DJANGO_EMAIL_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "klantgericht@localhost")

# Links in e-mails (invitations, reminders) are written outside any request: they start here.
KLANTGERICHT_BASE_URL = os.environ.get("KLANTGERICHT_BASE_URL", "").strip().rstrip("/")
if not KLANTGERICHT_BASE_URL:
    if DEBUG:
        KLANTGERICHT_BASE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS[0].startswith(".") or "*" in ALLOWED_HOSTS[0]:
        raise ImproperlyConfigured(
            "KLANTGERICHT_BASE_URL is not set, and the first of DJANGO_ALLOWED_HOSTS is not one "
            "host name: set it to the address people open, e.g. https://klantgericht.example.org"
        )
    else:
        KLANTGERICHT_BASE_URL = f"https://{ALLOWED_HOSTS[0]}"
if not KLANTGERICHT_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("KLANTGERICHT_BASE_URL must start with https:// (or http://).")

# Mail goes out in the background, through Django's tasks framework. "database": a queue in
# the database (django-tasks-db) that `manage.py db_worker` works off: production. "immediate":
# each task runs at once where it is queued, so that `make run` needs no worker.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
KLANTGERICHT_TASKS = os.environ.get("KLANTGERICHT_TASKS", "immediate" if DEBUG else "database")
if KLANTGERICHT_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured("KLANTGERICHT_TASKS must be database or immediate.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[KLANTGERICHT_TASKS]}}

# An invitation's link to set a password works this many days (and once).
KLANTGERICHT_INVITATION_DAYS = env_int("KLANTGERICHT_INVITATION_DAYS", 14)
if not 1 <= KLANTGERICHT_INVITATION_DAYS <= 90:
    raise ImproperlyConfigured("KLANTGERICHT_INVITATION_DAYS must be between 1 and 90.")
# People with an open assessment are reminded this many days before the round closes (0: only
# on the last day), and on the last day.
KLANTGERICHT_REMINDER_DAYS = env_int("KLANTGERICHT_REMINDER_DAYS", 3)
if not 0 <= KLANTGERICHT_REMINDER_DAYS <= 60:
    raise ImproperlyConfigured("KLANTGERICHT_REMINDER_DAYS must be between 0 and 60.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Aggregates over anonymous answers are shown only for at least this many people (3-10).
KLANTGERICHT_MIN_GROUP_SIZE = env_int("KLANTGERICHT_MIN_GROUP_SIZE", 5)
if not 3 <= KLANTGERICHT_MIN_GROUP_SIZE <= 10:
    raise ImproperlyConfigured("KLANTGERICHT_MIN_GROUP_SIZE must be between 3 and 10.")
