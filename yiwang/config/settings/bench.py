"""The bench server of ``bench/portal_load.py``: the local settings with
DEBUG off, plus one bench-only URL (``/__bench__/bare/<key>/``, a bare view
returning stored bytes) that exists in no other settings module. Never use
it for a real deployment."""

from __future__ import annotations

import os

from .local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "yiwang.config.bench_urls"
# Files the bare view returns: <dir>/<key>.html, written by the benchmark.
YIWANG_BENCH_BARE_DIR = os.environ.get("YIWANG_BENCH_BARE_DIR", "")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
