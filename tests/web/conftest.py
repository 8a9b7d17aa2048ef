"""Fixtures of the web tests: the case world of the case domain's tests, and
an agency signing key for decisions."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.domains.cases.tests.conftest import case_world  # noqa: F401


@pytest.fixture
def agency_keys(monkeypatch: Any) -> None:
    """Decisions are signed with the agency's key (``orgs.services.agency_signer``).
    Until the orgs domain provides it, the key is made here with the real
    ``core.signing`` (a certificate issued by the platform root)."""
    from yiwang.domains.orgs import services as orgs_services

    if hasattr(orgs_services, "agency_signer"):
        return
    from yiwang.core import signing

    made: dict[int, Any] = {}

    def agency_signer(agency: Any) -> Any:
        if agency.pk not in made:
            key = signing.new_private_key()
            cert = signing.issue_agency_certificate(
                agency_name=agency.name, credit_code=agency.credit_code, public_key=key.public_key()
            )
            made[agency.pk] = (key, cert)
        return made[agency.pk]

    monkeypatch.setattr(orgs_services, "agency_signer", agency_signer, raising=False)
