"""Development and the embedded demo (``make run``): SQLite, DEBUG on."""

from __future__ import annotations

import os

from ._keys import derived_key_encryption_keys, derived_pii_keys
from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("YIWANG_DEBUG", True)
_secret_file = VAR_DIR / "dev-secret-key"
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
if not os.environ.get("YIWANG_SECRET_KEY"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not _secret_file.exists():
        import secrets

        _secret_file.write_text(secrets.token_hex(32))
    SECRET_KEY = _secret_file.read_text().strip()
else:
    SECRET_KEY = os.environ["YIWANG_SECRET_KEY"]
YIWANG_PII_KEYS = derived_pii_keys(SECRET_KEY)
YIWANG_KEY_ENCRYPTION_KEYS = derived_key_encryption_keys(SECRET_KEY)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
