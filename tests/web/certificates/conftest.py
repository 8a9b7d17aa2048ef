"""The certificates world for the web tests of certificates."""

from __future__ import annotations

from yiwang.domains.certificates.tests.conftest import case_world, cert_world  # noqa: F401
