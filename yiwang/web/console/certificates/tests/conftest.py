from yiwang.domains.certificates.tests.conftest import case_world, cert_world  # noqa: F401
