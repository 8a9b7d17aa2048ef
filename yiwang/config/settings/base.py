"""Settings shared by every environment; each value comes from the environment
with a safe default (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "yiwang"
VAR_DIR = Path(os.environ.get("YIWANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("YIWANG_DEBUG", False)
SECRET_KEY = os.environ.get("YIWANG_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("YIWANG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "yiwang.core",
    "yiwang.domains.orgs",
    "yiwang.domains.accounts",
    "yiwang.domains.catalog",
    "yiwang.domains.cases",
    "yiwang.domains.certificates",
    "yiwang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.web.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yiwang.config.urls"
WSGI_APPLICATION = "yiwang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.web.context.platform",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"

# Lockout after repeated failed logins (django-axes), per account name.
AXES_FAILURE_LIMIT = int(os.environ.get("YIWANG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("YIWANG_LOGIN_LOCKOUT_HOURS", "0.25"))
# Per account, not per address: a hall's terminals and a village room share one
# public address, and locking it would stop everyone there (docs/configuration.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yiwang.web.views.lockout_response"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The cache (portal guide pages and catalogue counts, R3.4): memory of each
# process by default; YIWANG_CACHE_URL (or YIWANG_REDIS_URL) = redis://host:6379/1
# shares one Redis between the web processes. Cached entries name tokens kept
# in the database, so either backend is always consistent.
_CACHE_URL = os.environ.get("YIWANG_CACHE_URL", "") or os.environ.get("YIWANG_REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "yiwang",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "yiwang",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Anonymous guide pages recheck their cache key at most this often per process.
YIWANG_GUIDE_RECHECK_SECONDS = float(os.environ.get("YIWANG_GUIDE_RECHECK_SECONDS", "1"))

# Sessions live in the database, so any web process serves any request. With a
# shared Redis they are read from it first (cached_db: still written to the
# database, so a Redis restart logs nobody out). Never cached_db on per-process
# memory: a logout on one process would stay unseen by the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if str(CACHES["default"]["BACKEND"]).endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = int(os.environ.get("YIWANG_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Personal identifiers at rest (SM4-GCM) and their blind index (SM3-HMAC).
# Production must set YIWANG_PII_KEYS; see docs/configuration.md.
YIWANG_PII_KEYS: dict = {}

YIWANG_REALNAME_VERIFIER = os.environ.get(
    "YIWANG_REALNAME_VERIFIER", "yiwang.domains.accounts.realname.CheckDigitVerifier"
)
# Catalogue code formats (GB/T 39554.1 segment layout is unverified: patterns, not rules).
YIWANG_BASIC_CODE_PATTERN = os.environ.get("YIWANG_BASIC_CODE_PATTERN", r"^[0-9A-Z]{12}$")
YIWANG_IMPLEMENTATION_CODE_PATTERN = os.environ.get(
    "YIWANG_IMPLEMENTATION_CODE_PATTERN", r"^[0-9A-HJ-NPQRTUWXY]{18}[0-9A-Z]{1,22}$"
)
# Power lists (权责清单): when a power counts as stale, the grace after its basis
# changed, the days to resume after review (R4.3), public comments per day.
YIWANG_POWER_STALE_DAYS = int(os.environ.get("YIWANG_POWER_STALE_DAYS", "365"))
YIWANG_POWER_BASIS_GRACE_DAYS = int(os.environ.get("YIWANG_POWER_BASIS_GRACE_DAYS", "30"))
YIWANG_POWER_RESUME_DAYS = int(os.environ.get("YIWANG_POWER_RESUME_DAYS", "2"))
YIWANG_POWER_COMMENT_DAILY_LIMIT = int(os.environ.get("YIWANG_POWER_COMMENT_DAILY_LIMIT", "5"))

# Uploaded materials (yiwang.core.files): the largest file accepted.
YIWANG_UPLOAD_MAX_BYTES = int(os.environ.get("YIWANG_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Document signing (yiwang.core.signing, docs/documents.md): where the platform
# root CA lives, whether it may be created on first use, how long an agency's
# signing certificate is valid. Private keys are SM4-encrypted with
# YIWANG_KEY_ENCRYPTION_KEYS (same JSON shape as YIWANG_PII_KEYS without index_key).
YIWANG_KEY_DIR = Path(os.environ.get("YIWANG_KEY_DIR", VAR_DIR / "keys"))
YIWANG_KEY_AUTOCREATE = env_bool("YIWANG_KEY_AUTOCREATE", True)
YIWANG_KEY_ENCRYPTION_KEYS: dict = {}
YIWANG_AGENCY_CERT_DAYS = int(os.environ.get("YIWANG_AGENCY_CERT_DAYS", "730"))

# Cases (docs/cases.md): the public address printed in notices' QR codes,
# when a case counts as "close to its deadline", and the notifier adapters.
YIWANG_PUBLIC_URL = os.environ.get("YIWANG_PUBLIC_URL", "http://127.0.0.1:8000")
YIWANG_DUE_SOON_DAYS = int(os.environ.get("YIWANG_DUE_SOON_DAYS", "2"))
YIWANG_NOTIFIERS = env_list("YIWANG_NOTIFIERS", "yiwang.domains.cases.notify.LoggingNotifier")
YIWANG_PLATFORM_NAME = os.environ.get("YIWANG_PLATFORM_NAME", "一网政务服务平台")
YIWANG_REGION_NAME = os.environ.get("YIWANG_REGION_NAME", "无锡市")

# Background work (docs/adr/0007-task-engine.md): django-tasks with its database
# backend. Workers (`yiwang worker`, or the one `yiwang run` starts) claim rows
# with SELECT … FOR UPDATE SKIP LOCKED, so any number of them may run on any
# number of machines. "sweeps" keeps long scheduled scans from delaying messages.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "sweeps"],
    }
}
# Scheduled work that `yiwang tasks enqueue NAME` puts on the queue (cron or a
# systemd timer calls it; docs/deployment.md, "Scheduled work").
YIWANG_SCHEDULED_TASKS = {
    "certificates_expire": "yiwang.domains.certificates.tasks.certificates_expire",
    "cases_clock_refresh": "yiwang.domains.cases.tasks.cases_clock_refresh",
    "cases_documents_sweep": "yiwang.domains.cases.tasks.cases_documents_sweep",
    "tasks_prune": "yiwang.core.tasks.tasks_prune",
    "tasks_recover": "yiwang.core.tasks.tasks_recover",
}
# A task still RUNNING this many minutes after a worker took it is taken for
# lost with its worker and put back on the queue (yiwang.core.tasks): messages
# and documents take seconds; a sweep over millions of cases takes longer.
YIWANG_TASK_STALE_MINUTES = {
    queue.strip(): float(minutes)
    for queue, _, minutes in (
        part.partition("=")
        for part in os.environ.get("YIWANG_TASK_STALE_MINUTES", "default=15,sweeps=360").split(",")
        if "=" in part
    )
}
# Notifier adapters that fail are retried this many times in all, the n-th
# retry after RETRY_SECONDS × 4^(n-1) (1, 4, 16, 64 minutes by default).
YIWANG_NOTIFY_ATTEMPTS = int(os.environ.get("YIWANG_NOTIFY_ATTEMPTS", "5"))
YIWANG_NOTIFY_RETRY_SECONDS = float(os.environ.get("YIWANG_NOTIFY_RETRY_SECONDS", "60"))
# Finished task rows are kept this long (failed ones too: the record of what failed).
YIWANG_TASKS_KEEP_DAYS = int(os.environ.get("YIWANG_TASKS_KEEP_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YIWANG_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; keep its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs each untrusted signature with a traceback; verify_pdf
        # reports the reason itself.
        "pyhanko": {"level": "ERROR"},
    },
}
