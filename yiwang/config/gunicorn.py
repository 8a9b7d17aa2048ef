"""gunicorn settings for a web machine (docs/deployment.md):

    gunicorn -c python:yiwang.config.gunicorn yiwang.config.wsgi

Every value comes from the environment. Web processes keep no state of their
own (sessions in the database or Redis, files in shared storage), so the
number of machines behind the load balancer times YIWANG_WEB_WORKERS is the
platform's capacity; PostgreSQL's max_connections must cover all of them
(plus the task workers).
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("YIWANG_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: a request that writes holds its transaction briefly, and a
# slow one (a signed PDF) occupies one process, not an event loop.
workers = int(os.environ.get("YIWANG_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("YIWANG_WEB_THREADS", "1"))
# Signing a decision with a large attachment can take seconds; a stuck request
# must still end so its process comes back.
timeout = int(os.environ.get("YIWANG_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then so a slow leak in a library cannot grow forever.
max_requests = int(os.environ.get("YIWANG_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The TLS proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("YIWANG_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("YIWANG_ACCESS_LOG", "-")
errorlog = "-"
proc_name = "yiwang-web"
# Not preload_app: each process opens its own database connections after fork.
