"""One settings module, driven by environment variables, with safe defaults for `make run`."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XIANGZHEN_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", False)
# The default key exists only so `make run` works out of the box; production sets DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "xiangzhen.core",
    "xiangzhen.regions",
    "xiangzhen.accounts",
    "xiangzhen.organizations",
    "xiangzhen.demands",
    "xiangzhen.offers",
    "xiangzhen.matching",
    "xiangzhen.recommendations",
    "xiangzhen.notifications",
    "xiangzhen.allocation",
    "xiangzhen.funds",
    "xiangzhen.tlog",
    "xiangzhen.stats",
    "xiangzhen.reporting",
    "xiangzhen.events",
    "xiangzhen.pairings",
    "xiangzhen.campaigns",
    "xiangzhen.brands",
    "xiangzhen.consumption",
    "xiangzhen.facilities",
    "xiangzhen.evaluation",
    "xiangzhen.portal",
    "xiangzhen.training",
    "xiangzhen.linkage",
    "xiangzhen.monitoring",
    "xiangzhen.ops",
]

MIDDLEWARE = [
    # Operations (xiangzhen/ops): first, so the request id, latency and access line cover everything.
    "xiangzhen.ops.middleware.RequestObservabilityMiddleware",
    "xiangzhen.ops.middleware.RateLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xiangzhen.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xiangzhen.core.middleware.ServiceErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiangzhen.urls"
WSGI_APPLICATION = "xiangzhen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xiangzhen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiangzhen.core.context_processors.navigation",
                "xiangzhen.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'xiangzhen.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection is pinged before a request reuses it: after a database restart the
        # first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the dev server and a management command share the file; IMMEDIATE
    # transactions take the write lock when they begin, so a second writer waits for it instead of
    # failing at once with "database is locked" (tests/test_faults.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling a plan cost about a second on national-size list queries that run in
    # milliseconds without it (bench/bench_pages.py); the platform's queries are short.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xiangzhen.accounts.backends.UserWithDepartmentBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "xiangzhen" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "xiangzhen" / "static"]
# Served by WhiteNoise straight from the finders, so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FIELD_ENCRYPTION_KEYS = [k for k in os.environ.get("XIANGZHEN_FIELD_KEYS", "").split(",") if k]

MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never routed: attachments are served by core:attachment after a scope check
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# ---- Cache, sessions and attachment storage (production shape: docs/operations.md) ----
# REDIS_URL (redis://host:6379/0) puts the cache — and with it sessions and rate limits — in Redis,
# shared by every process; without it each process keeps its own memory cache and sessions live in
# the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xiangzhen",
        }
    }
    # Written through to the database too, so a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# XIANGZHEN_STORAGE=s3 keeps attachments in an S3-compatible bucket (AWS, MinIO, OSS/COS with S3
# API); they stay private and are still served only through core:attachment after a scope check.
_s3 = os.environ.get("XIANGZHEN_STORAGE", "filesystem").lower() == "s3"
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if _s3
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ---- Security: HTTPS, cookies, sessions, CSP, two-factor login (docs/security.md) ----
# DJANGO_SECURE=1 in production (behind nginx with TLS): HTTP is redirected to HTTPS, browsers are
# told to use HTTPS only for a year (HSTS, subdomains included), and cookies go over HTTPS only.
SECURE = _env_bool("DJANGO_SECURE", False)
SECURE_SSL_REDIRECT = SECURE
# The header the TLS-terminating proxy sets, as NAME=value, e.g. HTTP_X_FORWARDED_PROTO=https.
# Set it only behind a proxy that overwrites the header, or clients could claim HTTPS themselves.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "")
if "=" in _proxy_ssl_header:
    _name, _value = _proxy_ssl_header.split("=", 1)
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip())
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600) if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = _env_bool("DJANGO_HSTS_PRELOAD", False)
# Probes on the host itself speak plain HTTP (deploy/: health, readiness, metrics).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
SESSION_COOKIE_SECURE = SECURE or _env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session lasts a working day at most (XIANGZHEN_SESSION_HOURS, default 8) and, unless
# XIANGZHEN_SESSION_EXPIRE_AT_BROWSER_CLOSE=0, also ends when the browser is closed.
SESSION_COOKIE_AGE = int(float(os.environ.get("XIANGZHEN_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("XIANGZHEN_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere (tests/test_security.py scans the templates): JS and CSS come
# from our own static files; data: only for images (QR codes). Charts set styles through the
# CSSOM, which the policy allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# Two-factor login for department staff: "optional" (each person may add an authenticator app)
# or "required" (staff without one must add it before anything else). See accounts/twofactor.py.
XIANGZHEN_STAFF_2FA = os.environ.get("XIANGZHEN_STAFF_2FA", "optional")
OTP_TOTP_ISSUER = os.environ.get("XIANGZHEN_OTP_ISSUER", "乡振")

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@xiangzhen.local")
# For DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))

# Background tasks (django-tasks). The default keeps them in the database, run by
# `manage.py db_worker`; XIANGZHEN_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs them in the calling process instead (no worker needed, but then on the request path).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("XIANGZHEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The address people open the platform at, for links in e-mails sent outside a request.
SITE_URL = os.environ.get("XIANGZHEN_SITE_URL", "http://127.0.0.1:8000")
# How many times the push tries one notification's e-mail before giving up on it.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = int(os.environ.get("XIANGZHEN_NOTIFICATION_EMAIL_MAX_ATTEMPTS", "3"))
# Seconds before a failed push e-mail is tried again (doubled on each further attempt).
NOTIFICATION_EMAIL_RETRY_SECONDS = int(os.environ.get("XIANGZHEN_NOTIFICATION_EMAIL_RETRY_SECONDS", "300"))

# ---- Logging, metrics and rate limits (xiangzhen/ops, docs/operations.md) ----
# XIANGZHEN_LOG_FORMAT=json: one JSON object per line with the request id; the access log
# (logger xiangzhen.request, one line per request) holds route names and user ids, no personal data.
_json_logs = os.environ.get("XIANGZHEN_LOG_FORMAT", "text").lower() == "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "xiangzhen.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "xiangzhen.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _json_logs else "text",
            "filters": [] if _json_logs else ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"xiangzhen.request": {"level": os.environ.get("XIANGZHEN_ACCESS_LOG_LEVEL", "INFO")}},
}
# /metrics answers a scraper on this machine, or one sending "Authorization: Bearer <token>".
XIANGZHEN_METRICS_TOKEN = os.environ.get("XIANGZHEN_METRICS_TOKEN", "")
# Proxies (nginx) allowed to name the client with X-Real-IP.
XIANGZHEN_TRUSTED_PROXIES = [p for p in os.environ.get("XIANGZHEN_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p]
# "<requests>/<seconds>" per client address; empty turns a limit off (deploy/xiangzhen.env.example sets both).
XIANGZHEN_LOGIN_RATE_LIMIT = os.environ.get("XIANGZHEN_LOGIN_RATE_LIMIT", "")
XIANGZHEN_PUBLIC_RATE_LIMIT = os.environ.get("XIANGZHEN_PUBLIC_RATE_LIMIT", "")
XIANGZHEN_PUBLIC_RATE_LIMIT_PATHS = ["/api/v1/tlog/", "/api/v1/portal/", "/portal/open-data/", "/portal/feeds/"]

# A proposed match nobody answers within this many days is released (manage.py release_stale_matches).
MATCH_RELEASE_DAYS = int(os.environ.get("MATCH_RELEASE_DAYS", "7"))
# Keep every published offer's facts in each process for top-k (recommendations/index.py): at
# national size it turns a p95 of 2.7 s into 15 ms, for the memory of the offers in each process.
RECOMMENDATION_OFFER_INDEX = _env_bool("XIANGZHEN_RECOMMENDATION_OFFER_INDEX", False)

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200
