"""The test suite: same database engine as DATABASE_URL says (SQLite by default)."""

from __future__ import annotations

from ._keys import derived_key_encryption_keys, derived_pii_keys
from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
YIWANG_PII_KEYS = derived_pii_keys(SECRET_KEY)
YIWANG_KEY_ENCRYPTION_KEYS = derived_key_encryption_keys(SECRET_KEY)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests open connections from threads (live server, concurrency tests); keeping
# none alive lets the test database be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tests see every write at once; the recheck interval has its own test.
YIWANG_GUIDE_RECHECK_SECONDS = 0

# Ordinary tests run each task at once in the test's own process and
# transaction; tests of the engine itself switch to the database backend and a
# real worker (yiwang/core/tests/test_tasks.py, tests/scaleout/).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "sweeps"],
    }
}
