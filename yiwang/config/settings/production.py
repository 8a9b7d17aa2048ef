"""Production: every secret comes from the environment; nothing is derived."""

from __future__ import annotations

import json
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}")
    return value


SECRET_KEY = _required("YIWANG_SECRET_KEY")
YIWANG_PII_KEYS = json.loads(_required("YIWANG_PII_KEYS"))
YIWANG_KEY_ENCRYPTION_KEYS = json.loads(_required("YIWANG_KEY_ENCRYPTION_KEYS"))
# Several machines must share one platform root: create it once with
# `yiwang signing init` and share YIWANG_KEY_DIR (docs/documents.md).
YIWANG_KEY_AUTOCREATE = env_bool("YIWANG_KEY_AUTOCREATE", False)
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("YIWANG_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("YIWANG_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("YIWANG_HSTS_SECONDS", "0"))

# Each gunicorn process and each task worker keeps its database connection
# between requests (checked before reuse); size PostgreSQL's max_connections
# for web machines × YIWANG_WEB_WORKERS + worker processes (docs/deployment.md).
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(  # noqa: F405
        os.environ.get("YIWANG_DB_CONN_MAX_AGE", "60")
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
