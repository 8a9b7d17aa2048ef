from yiwang.domains.cases.tests.conftest import case_world  # noqa: F401
