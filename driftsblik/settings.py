"""Django settings for Driftsblik, all read from the environment through driftsblik.conf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from driftsblik.conf import check_oidc, email_settings, read_all, secret_key

# the generic classes of Django (ModelAdmin[Unit], ...) subscriptable at run time, as the type
# annotations the quality gate checks write them
django_stubs_ext.monkeypatch()

ENV = read_all()
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(ENV["DRIFTSBLIK_VAR_DIR"]).resolve()

SECRET_KEY = secret_key(VAR_DIR, ENV["DRIFTSBLIK_SECRET_KEY"])
DEBUG = ENV["DRIFTSBLIK_DEBUG"]
ALLOWED_HOSTS = ENV["DRIFTSBLIK_ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = ENV["DRIFTSBLIK_CSRF_TRUSTED_ORIGINS"]
DEMO_MODE = ENV["DRIFTSBLIK_DEMO"]
VISIBILITY_RADIUS = ENV["DRIFTSBLIK_VISIBILITY_RADIUS"]
SUPPRESSION_LIMIT = ENV["DRIFTSBLIK_SUPPRESSION_LIMIT"]
ROLLUP_CACHE = ENV["DRIFTSBLIK_ROLLUP_CACHE"]
BASE_URL = ENV["DRIFTSBLIK_BASE_URL"]
REMINDER_GRACE_DAYS = ENV["DRIFTSBLIK_REMINDER_GRACE_DAYS"]
REGISTERS = ENV["DRIFTSBLIK_REGISTERS"] or str(VAR_DIR / "demo-data" / "registers")
REGISTERS_BACKEND = ENV["DRIFTSBLIK_REGISTERS_BACKEND"]
PATHWAY_WORKERS = ENV["DRIFTSBLIK_PATHWAY_WORKERS"]
HTTPS = ENV["DRIFTSBLIK_HTTPS"]
MUNICIPALITY_CODE = ENV["DRIFTSBLIK_MUNICIPALITY_CODE"]
SOURCES_DIR = ENV["DRIFTSBLIK_SOURCES_DIR"]
STATBANK_URL = ENV["DRIFTSBLIK_STATBANK_URL"]
JOBINDSATS_URL = ENV["DRIFTSBLIK_JOBINDSATS_URL"]
JOBINDSATS_API_KEY = ENV["DRIFTSBLIK_JOBINDSATS_API_KEY"]
OS2MO_URL = ENV["DRIFTSBLIK_OS2MO_URL"]
OS2MO_TOKEN_URL = ENV["DRIFTSBLIK_OS2MO_TOKEN_URL"]
OS2MO_CLIENT_ID = ENV["DRIFTSBLIK_OS2MO_CLIENT_ID"]
OS2MO_CLIENT_SECRET = ENV["DRIFTSBLIK_OS2MO_CLIENT_SECRET"]
SOURCES_TIMEOUT = ENV["DRIFTSBLIK_SOURCES_TIMEOUT"]
SOURCES_ATTEMPTS = ENV["DRIFTSBLIK_SOURCES_ATTEMPTS"]
SOURCES_BACKOFF = ENV["DRIFTSBLIK_SOURCES_BACKOFF"]
IMPORT_MAX_UNPACKED_MB = ENV["DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB"]
API_RATE = ENV["DRIFTSBLIK_API_RATE"]
API_TOKEN_MAX_DAYS = ENV["DRIFTSBLIK_API_TOKEN_MAX_DAYS"]
SESSION_HOURS = ENV["DRIFTSBLIK_SESSION_HOURS"]
OIDC_ISSUER = ENV["DRIFTSBLIK_OIDC_ISSUER"]
OIDC_CLIENT_ID = ENV["DRIFTSBLIK_OIDC_CLIENT_ID"]
OIDC_CLIENT_SECRET = ENV["DRIFTSBLIK_OIDC_CLIENT_SECRET"]
OIDC_SCOPES = ENV["DRIFTSBLIK_OIDC_SCOPES"]
OIDC_EMAIL_CLAIM = ENV["DRIFTSBLIK_OIDC_EMAIL_CLAIM"]
OIDC_GROUPS_CLAIM = ENV["DRIFTSBLIK_OIDC_GROUPS_CLAIM"]
OIDC_GROUPS = ENV["DRIFTSBLIK_OIDC_GROUPS"]
SIGNON_CONTACT = ENV["DRIFTSBLIK_SIGNON_CONTACT"]
check_oidc(ENV)
# without single sign-on, password login stays on unless turned off; with it, off unless turned on
PASSWORD_LOGIN = ENV["DRIFTSBLIK_PASSWORD_LOGIN"] if ENV["DRIFTSBLIK_PASSWORD_LOGIN"] is not None else not OIDC_ISSUER
# app settings: add new lines above this line

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "driftsblik.core",
    "driftsblik.ui",
    "driftsblik.organisation",
    "driftsblik.indicators",
    "driftsblik.web",
    "driftsblik.notifications",
    "driftsblik.dialogue",
    "driftsblik.budget",
    "driftsblik.reports",
    "driftsblik.efforts",
    "driftsblik.pathways",
    "driftsblik.sources",
    "driftsblik.api",
    "ninja",  # its Swagger UI from its own static files (nothing from a CDN)
    "driftsblik.demo",
    "driftsblik.signon",
]

# a form refused for its CSRF token gets the site's Danish 403 page, not Django's English one
CSRF_FAILURE_VIEW = "driftsblik.web.errors.csrf_failure"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "driftsblik.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "driftsblik.reports.middleware.CommitteeMembersMiddleware",
    "driftsblik.core.middleware.PrivatePagesMiddleware",
    "driftsblik.api.middleware.ApiAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "driftsblik.signon.oidc.ProviderFormActionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, as django-axes asks: it answers a locked-out sign-in with the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "driftsblik.urls"
WSGI_APPLICATION = "driftsblik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "driftsblik.web.context_processors.driftsblik",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'driftsblik.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60 if not url.startswith("sqlite") else 0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        # WAL lets the web app read while an import writes; a busy timeout instead of 'locked'.
        config["OPTIONS"].update({"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"})
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    return config


DATABASES = {"default": _database(ENV["DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    # first, as django-axes asks: refuses a locked-out account and address before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = ENV["DRIFTSBLIK_LANGUAGE"]
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = ENV["DRIFTSBLIK_TIME_ZONE"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # `driftsblik collectstatic` fills it; WhiteNoise also serves from the apps
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = SESSION_HOURS * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"  # the provider's redirect back to /login/sso/callback/ is a top-level GET

# django-axes: wrong passwords for one account from one address lock that pair (docs/operator.md, Access)
AXES_FAILURE_LIMIT = ENV["DRIFTSBLIK_LOGIN_FAILURE_LIMIT"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=ENV["DRIFTSBLIK_LOGIN_LOCKOUT_MINUTES"])
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "driftsblik.signon.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded once, in the audit log (signon/signals.py)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The deploy profile (docs/operator.md, "HTTPS and security headers"): behind a TLS proxy that
# sets X-Forwarded-Proto. Off on the embedded default, which serves plain http on localhost.
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is asked for by the owner of a registrable domain (kommune.dk) for every host
    # under it, on hstspreload.org; Driftsblik runs on one host of it and cannot decide that
    "security.W021",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own static
# files only; no inline script, no inline style, no eval (the charts run Vega's expression
# interpreter: web/static/web/charts.js). A frozen issued report sends its own policy
# (reports/views.py issued_html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}


globals().update(email_settings(ENV["DRIFTSBLIK_EMAIL_URL"]))
DEFAULT_FROM_EMAIL = ENV["DRIFTSBLIK_EMAIL_FROM"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
